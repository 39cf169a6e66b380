// The one interface every channel's transport implements. Transports know nothing of the database; the delivery
// worker knows nothing of wire formats.
import type { HeaderList } from '../lib/redaction';
import type { NotificationPayload } from '../modules/events/notification-payload';

/** What an attempt sent, as the delivery log keeps it: secrets masked, the body bounded. */
export interface SentRequest {
  /** POST for HTTP; SMTP for email. */
  method: string;
  /** Where it went, with what may be a secret (a capability path, a token) reduced to a hint. */
  url: string;
  /** HTTP headers as sent; for email the envelope and subject. Credentials are masked. */
  headers: HeaderList;
  /** Null when it is not kept (Web Push's body is encrypted for the browser). */
  body: string | null;
  bodyTruncated: boolean;
  /** Bytes of the body as sent. */
  bodySize: number;
}

/** What came back to an attempt, as the delivery log keeps it. */
export interface ReceivedResponse {
  /** HTTP status or SMTP reply code. */
  status: number | null;
  headers: HeaderList;
  /** The answer's body (for email the server's reply lines), bounded. */
  body: string | null;
  bodyTruncated: boolean;
}

export interface DeliveryOutcome {
  /** The receiver accepted the notification. */
  ok: boolean;
  /** When !ok: whether trying again later may succeed (timeouts, connection errors, 408, 429, 5xx, SMTP 4xx). */
  retryable: boolean;
  /** HTTP status, SMTP reply code or null when no answer came. */
  statusCode: number | null;
  /** The first 2 KiB of what the receiver answered. */
  responseExcerpt: string | null;
  /** What went wrong, in words, when !ok. */
  error: string | null;
  durationMs: number;
  /** The receiver asked to wait this long before trying again (Retry-After). */
  retryAfterMs?: number;
  /** The target no longer exists (APNs Unregistered/BadDeviceToken, Web Push 404/410): remove it. */
  targetGone?: boolean;
  /** What was sent; absent when the attempt stopped before sending (no secret, no channel). */
  request?: SentRequest;
  /** What came back; absent when no answer came. */
  response?: ReceivedResponse;
}

export interface Transport<Target> {
  send(target: Target, notification: NotificationPayload): Promise<DeliveryOutcome>;
  /** Releases pooled connections. */
  close?(): Promise<void>;
}

export const RESPONSE_EXCERPT_BYTES = 2048;

export function excerpt(body: string | Buffer | null | undefined): string | null {
  if (body === null || body === undefined) return null;
  const buffer = typeof body === 'string' ? Buffer.from(body) : body;
  return buffer.subarray(0, RESPONSE_EXCERPT_BYTES).toString('utf8');
}

/** Milliseconds since a performance.now() reading: an outcome's durationMs. */
export function elapsedSince(started: number): number {
  return performance.now() - started;
}
