// Hipchat room notifications through the v1 API (POST /v1/rooms/message, form-encoded, token in the query).
import type { HttpResponse, SafeHttpClient } from '../lib/safe-http';
import { EventOutcome } from '../modules/events/event-types';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { attemptPost, httpOutcome } from './http-outcome';
import {
  deliveredMessageText,
  type MessageLinks,
  type MessageTemplate,
  type TemplateFailureReporter,
} from './message-templates';
import { notificationOutcome } from './notification-text';
import type { DeliveryOutcome, Transport } from './transport';

export interface HipchatTransportOptions {
  /** Base URL of the Hipchat API; Hipchat Server installs have their own. @default 'https://api.hipchat.com' */
  apiUrl?: string;
}

export interface HipchatTarget {
  /** A room notification token or an admin token. */
  token: string;
  /** Room id or name. */
  room: string;
  /** The stack's template for this channel and event type; the built-in text when absent. */
  template?: MessageTemplate | null;
  links?: MessageLinks | null;
}

export const DEFAULT_HIPCHAT_API_URL = 'https://api.hipchat.com';
/** The v1 API refuses a `from` longer than 15 characters. */
export const HIPCHAT_FROM = 'Stacks';
const HTTP_FORBIDDEN = 403;

const COLOR_BY_OUTCOME: Record<EventOutcome, string> = {
  [EventOutcome.FAILURE]: 'red',
  [EventOutcome.RECOVERY]: 'green',
  [EventOutcome.SUCCESS]: 'green',
  [EventOutcome.INFORMATIONAL]: 'yellow',
};

/**
 * The message as Hipchat's HTML subset, written by the template (MESSAGE_FORMATS.HIPCHAT); everything from the event
 * is escaped.
 */
export function hipchatMessage(
  notification: NotificationPayload,
  template: MessageTemplate | null = null,
  links: MessageLinks | null = null,
  onTemplateFailure?: TemplateFailureReporter,
): string {
  return deliveredMessageText('HIPCHAT', notification, template, links, onTemplateFailure).text;
}

export function hipchatColor(notification: NotificationPayload): string {
  return COLOR_BY_OUTCOME[notificationOutcome(notification)];
}

/** The form fields of a room notification (the token travels in the query). */
export function hipchatFields(
  target: Omit<HipchatTarget, 'token'>,
  notification: NotificationPayload,
  onTemplateFailure?: TemplateFailureReporter,
): Record<string, string> {
  return {
    room_id: target.room,
    from: HIPCHAT_FROM,
    message: hipchatMessage(notification, target.template ?? null, target.links ?? null, onTemplateFailure),
    message_format: 'html',
    notify: '1',
    color: hipchatColor(notification),
  };
}

interface HipchatError {
  error?: { code?: number; type?: string; message?: string };
}

function hipchatErrorText(response: HttpResponse): string | null {
  try {
    const { error } = JSON.parse(response.body.toString('utf8')) as HipchatError;
    return error ? [error.type, error.message].filter(Boolean).join(': ') : null;
  } catch {
    return null;
  }
}

/** Hipchat answers 200 {"status":"sent"}, or {"error":{"code","type","message"}}. */
function hipchatOutcome(response: HttpResponse, durationMs: number): DeliveryOutcome {
  const outcome = httpOutcome(response, durationMs);
  if (outcome.ok) return outcome;
  const detail = hipchatErrorText(response);
  const error = detail ? `${outcome.error}: ${detail}` : outcome.error;
  if (response.statusCode !== HTTP_FORBIDDEN) return { ...outcome, error };
  // API v1 answers 403 when the rate limit is exceeded and says when the window resets in X-RateLimit-Reset.
  const resetAt = Number(response.headers['x-ratelimit-reset']) * 1000;
  const retryAfterMs = outcome.retryAfterMs ?? (resetAt > 0 ? Math.max(0, resetAt - Date.now()) : undefined);
  return { ...outcome, error, retryable: true, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) };
}

export class HipchatTransport implements Transport<HipchatTarget> {
  private readonly endpoint: string;

  constructor(
    private readonly http: SafeHttpClient,
    options: HipchatTransportOptions = {},
    private readonly onTemplateFailure?: TemplateFailureReporter,
  ) {
    this.endpoint = `${(options.apiUrl ?? DEFAULT_HIPCHAT_API_URL).replace(/\/+$/, '')}/v1/rooms/message`;
  }

  send(target: HipchatTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    const url = new URL(this.endpoint);
    url.searchParams.set('format', 'json');
    url.searchParams.set('auth_token', target.token);
    const body = new URLSearchParams(hipchatFields(target, notification, this.onTemplateFailure)).toString();
    return attemptPost(
      this.http,
      url.toString(),
      { headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
      hipchatOutcome,
      // The token is the one secret: the API's path and the format are shown.
      { url: { keepPath: true, keepQuery: ['format'] } },
    );
  }
}
