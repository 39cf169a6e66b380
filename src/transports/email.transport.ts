// Email through one pooled SMTP transport, or, when no SMTP server is configured, as .eml files in a folder so that
// nothing is silently dropped in local development.
import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  createTransport,
  type NodemailerError,
  type SendMailOptions,
  type SMTPPoolSentMessageInfo,
  type StreamSentMessageInfo,
  type Transporter,
} from 'nodemailer';
import { errorText } from '../lib/errors';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { detailFields, escapeHtml, incidentLine, notificationTitle, stackLine } from './notification-text';
import { elapsedSince, excerpt, type DeliveryOutcome, type Transport } from './transport';

export interface MailLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface EmailTransportOptions {
  /** smtp://user:pass@host:port or smtps://...; mails go through one pool of connections to it. @default none */
  smtpUrl?: string | null;
  /** Where mails are written as .eml files when there is no smtpUrl. @default './data/mail' */
  mailDir?: string;
  /** The From header. @default 'Stack notifications <notifications@localhost>' */
  from?: string;
  /** SMTP connect, greeting and inactivity timeout, in milliseconds. @default 10_000 */
  timeoutMs?: number;
  /** Told where each .eml file went, and of SMTP pool errors outside a send. */
  logger: MailLogger;
}

export interface EmailTarget {
  to: string[];
  /** Where the recipient changes which notifications they get; linked in the footer. */
  settingsUrl: string;
}

export const DEFAULT_MAIL_FROM = 'Stack notifications <notifications@localhost>';
export const DEFAULT_MAIL_DIR = './data/mail';
const DEFAULT_SMTP_TIMEOUT_MS = 10_000;
const SMTP_PERMANENT_FROM = 500;
/** Errors about the message itself; anything else (connection, authentication) is the server's state or ours. */
const MESSAGE_ERROR_CODES = new Set(['EENVELOPE', 'EMESSAGE']);

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Headers cannot carry line breaks; a stack name with one must not add headers. */
function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

export function notificationEmail(notification: NotificationPayload, settingsUrl: string): EmailContent {
  const title = notificationTitle(notification);
  const fields = detailFields(notification.data);
  const resolved = incidentLine(notification);
  const text = [
    title,
    ...(resolved ? [resolved] : []),
    '',
    `Stack: ${stackLine(notification)}`,
    `When: ${notification.occurredAt}`,
    ...fields.map((field) => `${field.label}: ${field.value}`),
    '',
    '-- ',
    `You receive this because of your notification settings: ${settingsUrl}`,
    '',
  ].join('\n');
  const rows = [
    ['Stack', stackLine(notification)],
    ['When', notification.occurredAt],
    ...fields.map((field) => [field.label, field.value]),
  ]
    .map(
      ([label, value]) => `<tr><th align="left">${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`,
    )
    .join('');
  const html =
    `<h2>${escapeHtml(title)}</h2>` +
    (resolved ? `<p>${escapeHtml(resolved)}</p>` : '') +
    `<table cellpadding="4">${rows}</table>` +
    `<p style="color:#666;font-size:12px">You receive this because of your notification settings: ` +
    `<a href="${escapeHtml(settingsUrl)}">change which notifications you get</a>.</p>`;
  return { subject: singleLine(`[${notification.stack.name}] ${title}`), text, html };
}

/** Where composed mails go: an SMTP server or a folder. */
interface MailOutlet {
  deliver(mail: SendMailOptions): Promise<DeliveryOutcome>;
  close(): Promise<void>;
}

class SmtpOutlet implements MailOutlet {
  private readonly transporter: Transporter<SMTPPoolSentMessageInfo>;

  constructor(smtpUrl: string, timeoutMs: number, logger: MailLogger) {
    this.transporter = createTransport({
      url: smtpUrl,
      pool: true,
      connectionTimeout: timeoutMs,
      greetingTimeout: timeoutMs,
      socketTimeout: timeoutMs,
      // Idle pooled connections are closed politely before the inactivity timeout would cut them.
      idleTimeout: timeoutMs / 2,
    });
    // Without a listener an error outside any send (a pooled connection failing) would end the process.
    this.transporter.on('error', (error: Error) => logger.warn({ err: error }, 'SMTP pool error'));
  }

  async deliver(mail: SendMailOptions): Promise<DeliveryOutcome> {
    const started = performance.now();
    try {
      const info = await this.transporter.sendMail(mail);
      return sentOutcome(info, elapsedSince(started));
    } catch (error) {
      return smtpErrorOutcome(error as NodemailerError, elapsedSince(started));
    }
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

class MailDirOutlet implements MailOutlet {
  private readonly transporter: Transporter<StreamSentMessageInfo>;

  constructor(
    private readonly mailDir: string,
    private readonly logger: MailLogger,
  ) {
    this.transporter = createTransport({ streamTransport: true, buffer: true });
  }

  async deliver(mail: SendMailOptions): Promise<DeliveryOutcome> {
    const started = performance.now();
    try {
      const info = await this.transporter.sendMail(mail);
      const file = path.resolve(
        this.mailDir,
        `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomUUID()}.eml`,
      );
      await mkdir(this.mailDir, { recursive: true });
      await writeFile(file, info.message as Buffer);
      this.logger.info(
        { path: file, to: mail.to, subject: mail.subject },
        'no SMTP server configured: mail written to a file',
      );
      return { ...okOutcome(elapsedSince(started)), responseExcerpt: `written to ${file}` };
    } catch (error) {
      return { ...failedOutcome(elapsedSince(started), errorText(error)), retryable: true };
    }
  }

  async close(): Promise<void> {}
}

function okOutcome(durationMs: number): DeliveryOutcome {
  return { ok: true, retryable: false, statusCode: null, responseExcerpt: null, error: null, durationMs };
}

function failedOutcome(durationMs: number, error: string): DeliveryOutcome {
  return { ok: false, retryable: false, statusCode: null, responseExcerpt: null, error, durationMs };
}

/** "250 2.0.0 Ok: queued" -> 250. */
function replyCode(response: string | undefined): number | null {
  const match = /^(\d{3})/.exec(response ?? '');
  return match ? Number(match[1]) : null;
}

/** Accepted by the server. Recipients it refused while accepting others are listed, not retried: retrying would
 * send the mail again to those who have it. */
function sentOutcome(info: SMTPPoolSentMessageInfo, durationMs: number): DeliveryOutcome {
  const rejected = info.rejected.length > 0 ? `; rejected: ${info.rejected.join(', ')}` : '';
  return {
    ...okOutcome(durationMs),
    statusCode: replyCode(info.response),
    responseExcerpt: excerpt(`${info.response}${rejected}`),
  };
}

/** SMTP 5xx about the message is permanent; 4xx, connection and authentication failures are worth another try. */
function smtpErrorOutcome(error: NodemailerError, durationMs: number): DeliveryOutcome {
  const statusCode = error.responseCode ?? null;
  const aboutMessage = MESSAGE_ERROR_CODES.has(error.code ?? '');
  const permanent = aboutMessage && (statusCode === null || statusCode >= SMTP_PERMANENT_FROM);
  return {
    ...failedOutcome(durationMs, errorText(error)),
    retryable: !permanent,
    statusCode,
    responseExcerpt: excerpt(error.response),
  };
}

export class EmailTransport implements Transport<EmailTarget> {
  private readonly outlet: MailOutlet;
  private readonly from: string;

  constructor(options: EmailTransportOptions) {
    this.from = options.from ?? DEFAULT_MAIL_FROM;
    this.outlet = options.smtpUrl
      ? new SmtpOutlet(options.smtpUrl, options.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS, options.logger)
      : new MailDirOutlet(options.mailDir ?? DEFAULT_MAIL_DIR, options.logger);
  }

  send(target: EmailTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    const content = notificationEmail(notification, target.settingsUrl);
    return this.outlet.deliver({ from: this.from, to: target.to, ...content });
  }

  /** A plain-text notice to people, e.g. that a shared channel was disabled; same server, same outcome rules. */
  sendNotice(to: string[], subject: string, text: string): Promise<DeliveryOutcome> {
    return this.outlet.deliver({ from: this.from, to, subject: singleLine(subject), text });
  }

  close(): Promise<void> {
    return this.outlet.close();
  }
}
