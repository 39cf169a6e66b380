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
import { type HeaderList, keptBody } from '../lib/redaction';
import type { NotificationPayload } from '../modules/events/notification-payload';
import {
  deliveredMessageText,
  type MessageLinks,
  type MessageTemplate,
  singleLine,
  type TemplateFailureReporter,
} from './message-templates';
import { detailFields, escapeHtml, incidentLine, notificationTitle, stackLine } from './notification-text';
import {
  elapsedSince,
  excerpt,
  type DeliveryOutcome,
  type ReceivedResponse,
  type SentRequest,
  type Transport,
} from './transport';

export interface MailLogger {
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
}

export interface EmailTransportOptions {
  /** smtp://user:pass@host:port or smtps://...; mails go through one pool of connections to it. @default none */
  smtpUrl?: string | null;
  /** A second relay for a mail that smtpUrl cannot be reached for or whose envelope it refuses. @default none */
  smtpFallbackUrl?: string | null;
  /** Where mails are written as .eml files when there is no smtpUrl. @default './data/mail' */
  mailDir?: string;
  /** The From header. @default 'Stack notifications <notifications@localhost>' */
  from?: string;
  /** SMTP connect, greeting and inactivity timeout, in milliseconds. @default 10_000 */
  timeoutMs?: number;
  /** Told where each .eml file went, and of SMTP pool errors outside a send. */
  logger: MailLogger;
  /** Told when a stack's template failed on a notification and the built-in text was sent instead. */
  onTemplateFailure?: TemplateFailureReporter;
}

export interface EmailTarget {
  to: string[];
  /** Where the recipient changes which notifications they get; linked in the footer. */
  settingsUrl: string;
  /** The stack's template for email and this event type; the built-in text when absent. */
  template?: MessageTemplate | null;
  links?: MessageLinks | null;
}

export const DEFAULT_MAIL_FROM = 'Stack notifications <notifications@localhost>';
export const DEFAULT_MAIL_DIR = './data/mail';
const DEFAULT_SMTP_TIMEOUT_MS = 10_000;
const SMTP_PERMANENT_FROM = 500;
/** Errors about the message itself; anything else (connection, authentication) is the server's state or ours. */
const MESSAGE_ERROR_CODES = new Set(['EENVELOPE', 'EMESSAGE']);
/**
 * Failures another relay may not have: no connection, a greeting or login refused, the envelope refused (4xx or 5xx
 * to MAIL FROM or RCPT TO). A message refused at DATA is about its content and would be refused there too.
 */
const FALLBACK_ERROR_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'ETIMEDOUT',
  'EDNS',
  'EPROTOCOL',
  'EAUTH',
  'EENVELOPE',
]);

export interface EmailContent {
  subject: string;
  text: string;
  html: string;
}

/** Always added below the body, whatever the template: how to change which notifications one gets. */
function footerText(settingsUrl: string): string {
  return `\n-- \nYou receive this because of your notification settings: ${settingsUrl}\n`;
}

function footerHtml(settingsUrl: string): string {
  return (
    `<p style="color:#666;font-size:12px">You receive this because of your notification settings: ` +
    `<a href="${escapeHtml(settingsUrl)}">change which notifications you get</a>.</p>`
  );
}

/**
 * The subject and text body come from the template (MESSAGE_FORMATS.EMAIL). The HTML part of the built-in message
 * is a table of the same details; with a stack's own template it is that text, escaped, line breaks kept.
 */
export function notificationEmail(
  notification: NotificationPayload,
  settingsUrl: string,
  template: MessageTemplate | null = null,
  links: MessageLinks | null = null,
  onTemplateFailure?: TemplateFailureReporter,
): EmailContent {
  const rendered = deliveredMessageText('EMAIL', notification, template, links, onTemplateFailure);
  const text = rendered.text + footerText(settingsUrl);
  const subject = rendered.subject ?? '';
  if (rendered.custom) {
    const html = `<div style="white-space:pre-wrap">${escapeHtml(rendered.text)}</div>${footerHtml(settingsUrl)}`;
    return { subject, text, html };
  }
  const title = notificationTitle(notification);
  const fields = detailFields(notification.data);
  const resolved = incidentLine(notification);
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
    footerHtml(settingsUrl);
  return { subject, text, html };
}

/** Where composed mails go: an SMTP server or a folder. */
interface MailOutlet {
  deliver(mail: SendMailOptions): Promise<DeliveryOutcome>;
  close(): Promise<void>;
}

/** What one relay made of a mail, and the error behind a failure. */
interface RelayAttempt {
  outcome: DeliveryOutcome;
  error: NodemailerError | null;
}

// ---------------------------------------------------------------------------------------------------------------
// What the delivery log keeps of a mail: the envelope, the subject and the text part, and the server's replies

/** The address of "Name <address>", as the envelope carries it. */
function envelopeAddress(address: unknown): string {
  const text = String(address ?? '');
  return /<([^<>]*)>\s*$/.exec(text)?.[1] ?? text.trim();
}

function recipientsOf(mail: SendMailOptions): string[] {
  const to = mail.to;
  return (Array.isArray(to) ? to : to === undefined ? [] : [to]).map(envelopeAddress);
}

/** The relay as the log names it: scheme, host and port, never the credentials of the SMTP URL. */
function relayName(smtpUrl: string): string {
  try {
    const url = new URL(smtpUrl);
    return `${url.protocol}//${url.host}`;
  } catch {
    return 'smtp relay';
  }
}

/** A mail as the delivery log keeps it: MAIL FROM and each RCPT TO as sent, the subject, the text part. */
function mailRequest(mail: SendMailOptions, relay: string): SentRequest {
  const text = typeof mail.text === 'string' ? mail.text : '';
  const body = keptBody(text);
  const headers: HeaderList = [
    ['mail-from', envelopeAddress(mail.from)],
    ...recipientsOf(mail).map((to): [string, string] => ['rcpt-to', to]),
    ['subject', String(mail.subject ?? '')],
  ];
  return {
    method: 'SMTP',
    url: relay,
    headers,
    body: body.text,
    bodyTruncated: body.truncated,
    bodySize: Buffer.byteLength(text),
  };
}

/** "RCPT TO:<a@b> 550 No such user" for each refused recipient. */
function recipientReplies(errors: readonly NodemailerError[] | undefined): string[] {
  return (errors ?? []).map(
    (error) => `RCPT TO:<${error.recipient ?? ''}> ${error.response ?? errorText(error)}`,
  );
}

/** The server's replies as the log keeps them, one a line; the reply code of the last one is the status. */
function smtpReplies(status: number | null, lines: string[]): ReceivedResponse | undefined {
  if (lines.length === 0) return undefined;
  const body = keptBody(lines.join('\n'));
  return { status, headers: [], body: body.text, bodyTruncated: body.truncated };
}

class SmtpOutlet implements MailOutlet {
  private readonly transporter: Transporter<SMTPPoolSentMessageInfo>;
  private readonly relay: string;

  constructor(smtpUrl: string, timeoutMs: number, logger: MailLogger) {
    this.relay = relayName(smtpUrl);
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

  async attempt(mail: SendMailOptions): Promise<RelayAttempt> {
    const started = performance.now();
    const request = mailRequest(mail, this.relay);
    try {
      const info = await this.transporter.sendMail(mail);
      return { outcome: { ...sentOutcome(info, elapsedSince(started)), request }, error: null };
    } catch (error) {
      const failure = error as NodemailerError;
      return { outcome: { ...smtpErrorOutcome(failure, elapsedSince(started)), request }, error: failure };
    }
  }

  async deliver(mail: SendMailOptions): Promise<DeliveryOutcome> {
    return (await this.attempt(mail)).outcome;
  }

  async close(): Promise<void> {
    this.transporter.close();
  }
}

/** A primary relay and the one that takes what the primary cannot; the attempt says which relay took the mail. */
class FallbackOutlet implements MailOutlet {
  constructor(
    private readonly primary: SmtpOutlet,
    private readonly fallback: SmtpOutlet,
  ) {}

  async deliver(mail: SendMailOptions): Promise<DeliveryOutcome> {
    const first = await this.primary.attempt(mail);
    if (first.error === null || !FALLBACK_ERROR_CODES.has(first.error.code ?? '')) return first.outcome;
    const second = await this.fallback.attempt(mail);
    const primaryFailure = `primary relay: ${first.outcome.error}`;
    const durationMs = first.outcome.durationMs + second.outcome.durationMs;
    if (second.outcome.ok) {
      return {
        ...second.outcome,
        durationMs,
        responseExcerpt: excerpt(`fallback relay: ${second.outcome.responseExcerpt} (${primaryFailure})`),
      };
    }
    return {
      ...second.outcome,
      durationMs,
      // Worth another try if either relay might take it later.
      retryable: first.outcome.retryable || second.outcome.retryable,
      error: `${primaryFailure}; fallback relay: ${second.outcome.error}`,
    };
  }

  async close(): Promise<void> {
    await Promise.all([this.primary.close(), this.fallback.close()]);
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
      return {
        ...okOutcome(elapsedSince(started)),
        responseExcerpt: `written to ${file}`,
        request: mailRequest(mail, `file://${file}`),
      };
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
  const statusCode = replyCode(info.response);
  const outcome: DeliveryOutcome = {
    ...okOutcome(durationMs),
    statusCode,
    responseExcerpt: excerpt(`${info.response}${rejected}`),
  };
  const replies = smtpReplies(statusCode, [
    ...recipientReplies(info.rejectedErrors),
    ...(info.response ? [info.response] : []),
  ]);
  return replies ? { ...outcome, response: replies } : outcome;
}

/** SMTP 5xx about the message is permanent; 4xx, connection and authentication failures are worth another try. */
function smtpErrorOutcome(error: NodemailerError, durationMs: number): DeliveryOutcome {
  const statusCode = error.responseCode ?? null;
  const aboutMessage = MESSAGE_ERROR_CODES.has(error.code ?? '');
  const permanent = aboutMessage && (statusCode === null || statusCode >= SMTP_PERMANENT_FROM);
  const outcome: DeliveryOutcome = {
    ...failedOutcome(durationMs, errorText(error)),
    retryable: !permanent,
    statusCode,
    responseExcerpt: excerpt(error.response),
  };
  // A refused envelope lists each refused recipient's reply; the error's own reply is the last of them then.
  const perRecipient = recipientReplies(error.rejectedErrors);
  const last = error.response && !perRecipient.some((line) => line.endsWith(error.response!));
  const replies = smtpReplies(statusCode, [...perRecipient, ...(last ? [error.response!] : [])]);
  return replies ? { ...outcome, response: replies } : outcome;
}

export class EmailTransport implements Transport<EmailTarget> {
  private readonly outlet: MailOutlet;
  private readonly from: string;
  private readonly onTemplateFailure?: TemplateFailureReporter;

  constructor(options: EmailTransportOptions) {
    this.from = options.from ?? DEFAULT_MAIL_FROM;
    this.onTemplateFailure = options.onTemplateFailure;
    const timeoutMs = options.timeoutMs ?? DEFAULT_SMTP_TIMEOUT_MS;
    if (!options.smtpUrl) {
      this.outlet = new MailDirOutlet(options.mailDir ?? DEFAULT_MAIL_DIR, options.logger);
    } else {
      const primary = new SmtpOutlet(options.smtpUrl, timeoutMs, options.logger);
      this.outlet = options.smtpFallbackUrl
        ? new FallbackOutlet(primary, new SmtpOutlet(options.smtpFallbackUrl, timeoutMs, options.logger))
        : primary;
    }
  }

  send(target: EmailTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    const content = notificationEmail(
      notification,
      target.settingsUrl,
      target.template ?? null,
      target.links ?? null,
      this.onTemplateFailure,
    );
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
