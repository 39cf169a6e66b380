// Browser push (Web Push with VAPID): web-push encrypts and signs, our safe HTTP client posts to the push service.
import { generateRequestDetails, getVapidHeaders, type RequestDetails, type Urgency } from 'web-push';
import { errorText } from '../lib/errors';
import type { HttpResponse, SafeHttpClient } from '../lib/safe-http';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { attemptPost, httpOutcome } from './http-outcome';
import { EventOutcome } from '../modules/events/event-types';
import { notificationOutcome, truncate } from './notification-text';
import type { DeliveryOutcome, Transport } from './transport';

export interface WebPushTransportOptions {
  /** VAPID public key, URL-safe base64 (what web-push's generateVAPIDKeys returns); browsers subscribe with it. */
  vapidPublicKey: string;
  /** VAPID private key, URL-safe base64. */
  vapidPrivateKey: string;
  /** mailto: or https: contact that push services may use about our traffic. */
  vapidSubject: string;
  /** How long the push service keeps a message for an offline browser, in seconds. @default 86_400 (24 h) */
  ttlSeconds?: number;
}

export interface WebPushTarget {
  /** The subscription's push service URL. */
  endpoint: string;
  /** The browser's P-256 ECDH public key, URL-safe base64. */
  p256dh: string;
  /** The browser's 16-byte auth secret, URL-safe base64. */
  auth: string;
}

export const DEFAULT_WEB_PUSH_TTL_SECONDS = 24 * 60 * 60;

/**
 * The largest plaintext that fits the 4096 bytes of encrypted body every push service accepts (RFC 8030 7.2): less
 * the aes128gcm header with its 65-byte key id (86 bytes), the padding delimiter and the 16-byte tag (RFC 8291).
 */
export const MAX_PUSH_PLAINTEXT_BYTES = 4096 - 86 - 1 - 16;
/** A string of the event's data longer than this is cut when the payload has to shrink. */
const TRIMMED_STRING_CHARS = 200;

/**
 * The notification as JSON for a push. When it is too large, `data` keeps its numbers, booleans and (shortened)
 * strings for as long as they fit, and `dataTruncated: true` says the rest is in the notification the page reads
 * by its id; the ids, the stack, the event and its title are always there.
 */
export function webPushPayload(
  notification: NotificationPayload,
  maxBytes: number = MAX_PUSH_PLAINTEXT_BYTES,
): string {
  const whole = JSON.stringify(notification);
  if (Buffer.byteLength(whole) <= maxBytes) return whole;
  const data: Record<string, unknown> = {};
  const base = { ...notification, data, dataTruncated: true };
  let size = Buffer.byteLength(JSON.stringify(base));
  for (const [key, value] of Object.entries(notification.data)) {
    if (value !== null && typeof value === 'object') continue;
    const kept = typeof value === 'string' ? truncate(value, TRIMMED_STRING_CHARS) : value;
    // The entry plus its comma.
    const entrySize = Buffer.byteLength(`${JSON.stringify(key)}:${JSON.stringify(kept)},`);
    if (size + entrySize > maxBytes) continue;
    data[key] = kept;
    size += entrySize;
  }
  return JSON.stringify(base);
}
/** The push service no longer knows the subscription: the browser unsubscribed or it expired. */
const SUBSCRIPTION_GONE_STATUSES = new Set([404, 410]);

function webPushOutcome(response: HttpResponse, durationMs: number): DeliveryOutcome {
  const outcome = httpOutcome(response, durationMs);
  return SUBSCRIPTION_GONE_STATUSES.has(response.statusCode) ? { ...outcome, targetGone: true } : outcome;
}

/** web-push puts numbers (TTL, Content-Length) among its headers; undici computes Content-Length itself. */
function requestHeaders(details: RequestDetails): Record<string, string> {
  return Object.fromEntries(
    Object.entries(details.headers)
      .filter(([name]) => name.toLowerCase() !== 'content-length')
      .map(([name, value]) => [name, String(value)]),
  );
}

export class WebPushTransport implements Transport<WebPushTarget> {
  constructor(
    private readonly http: SafeHttpClient,
    private readonly options: WebPushTransportOptions,
  ) {
    // Signs once with a placeholder audience so bad keys or a bad subject fail at start, not at every delivery.
    getVapidHeaders(
      'https://push.example',
      options.vapidSubject,
      options.vapidPublicKey,
      options.vapidPrivateKey,
      'aes128gcm',
    );
  }

  async send(target: WebPushTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    const urgency: Urgency = notificationOutcome(notification) === EventOutcome.FAILURE ? 'high' : 'normal';
    let details: RequestDetails;
    try {
      details = generateRequestDetails(
        { endpoint: target.endpoint, keys: { p256dh: target.p256dh, auth: target.auth } },
        webPushPayload(notification),
        {
          vapidDetails: {
            subject: this.options.vapidSubject,
            publicKey: this.options.vapidPublicKey,
            privateKey: this.options.vapidPrivateKey,
          },
          TTL: this.options.ttlSeconds ?? DEFAULT_WEB_PUSH_TTL_SECONDS,
          contentEncoding: 'aes128gcm',
          urgency,
        },
      );
    } catch (error) {
      // Malformed subscription keys or endpoint: sending again cannot help.
      return unusableSubscription(error);
    }
    return attemptPost(
      this.http,
      details.endpoint,
      { headers: requestHeaders(details), body: details.body ?? Buffer.alloc(0) },
      webPushOutcome,
      // Encrypted for the browser: only its size tells anything.
      { bodySizeOnly: true },
    );
  }
}

function unusableSubscription(error: unknown): DeliveryOutcome {
  return {
    ok: false,
    retryable: false,
    statusCode: null,
    responseExcerpt: null,
    error: `cannot build the push message for this subscription: ${errorText(error)}`,
    durationMs: 0,
  };
}
