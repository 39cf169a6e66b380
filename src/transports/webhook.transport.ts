// Webhooks signed per the Standard Webhooks specification (https://www.standardwebhooks.com/).
import { createHmac } from 'node:crypto';
import type { SafeHttpClient } from '../lib/safe-http';
import { webhookJson, type NotificationPayload } from '../modules/events/notification-payload';
import { attemptPost } from './http-outcome';
import type { DeliveryOutcome, Transport } from './transport';

export interface WebhookTarget {
  url: string;
  /** whsec_<base64 key>: the current secret first, then a rotated-out one still within its grace period. */
  secrets: string[];
}

const SECRET_PREFIX = 'whsec_';
const SIGNATURE_VERSION = 'v1';

export const WEBHOOK_HEADERS = {
  id: 'webhook-id',
  timestamp: 'webhook-timestamp',
  signature: 'webhook-signature',
} as const;

function signingKey(secret: string): Buffer {
  return Buffer.from(
    secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret,
    'base64',
  );
}

/** "v1,<sig> v1,<sig>": one signature of `${id}.${timestamp}.${body}` per secret, so a receiver holding either verifies. */
export function webhookSignature(
  id: string,
  timestampSeconds: number,
  body: string,
  secrets: readonly string[],
): string {
  const signed = `${id}.${timestampSeconds}.${body}`;
  return secrets
    .map(
      (secret) =>
        `${SIGNATURE_VERSION},${createHmac('sha256', signingKey(secret)).update(signed).digest('base64')}`,
    )
    .join(' ');
}

export class WebhookTransport implements Transport<WebhookTarget> {
  constructor(private readonly http: SafeHttpClient) {}

  async send(target: WebhookTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    if (target.secrets.length === 0) return unsigned();
    const timestamp = Math.floor(Date.now() / 1000);
    const body = webhookJson(notification, timestamp);
    const headers = {
      'content-type': 'application/json',
      // The notification id, not the attempt's: receivers deduplicate retries by it.
      [WEBHOOK_HEADERS.id]: notification.id,
      [WEBHOOK_HEADERS.timestamp]: String(timestamp),
      [WEBHOOK_HEADERS.signature]: webhookSignature(notification.id, timestamp, body, target.secrets),
    };
    return attemptPost(this.http, target.url, { headers, body });
  }
}

function unsigned(): DeliveryOutcome {
  return {
    ok: false,
    retryable: false,
    statusCode: null,
    responseExcerpt: null,
    error: 'the webhook has no signing secret',
    durationMs: 0,
  };
}
