// iOS push through APNs over HTTP/2 with token-based (ES256 JWT) authentication, using @parse/node-apn.
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import {
  Notification,
  Provider,
  type ProviderOptions,
  type ResponseFailure,
  type Responses,
} from '@parse/node-apn';
import { errorText } from '../lib/errors';
import { keptBody, MASK, redactHeaders } from '../lib/redaction';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { notificationTitle, shortDetail, stackLine, truncate } from './notification-text';
import {
  elapsedSince,
  excerpt,
  type DeliveryOutcome,
  type ReceivedResponse,
  type SentRequest,
  type Transport,
} from './transport';

export interface ApnsTransportOptions {
  /** The .p8 signing key as PEM text; give this or keyFile. */
  keyPem?: string;
  /** Path of the .p8 signing key; read once at start. */
  keyFile?: string;
  /** The signing key's id, from Apple's developer account (the JWT `kid`). */
  keyId: string;
  /** The developer team id (the JWT `iss`). */
  teamId: string;
  /** The app's bundle id, sent as apns-topic. */
  topic: string;
  /** api.push.apple.com when true, api.sandbox.push.apple.com otherwise. @default false */
  production?: boolean;
  /** Another APNs host, e.g. a local peer. @default the production or sandbox host */
  address?: string;
  /** @default 443 */
  port?: number;
  /** PEM certificates to trust besides Node's roots, e.g. a local peer's self-signed one. @default none */
  ca?: string | Buffer | (string | Buffer)[];
  /** How long one request may take, in milliseconds. @default 10_000 */
  timeoutMs?: number;
}

export interface ApnsTarget {
  /** The hex device token the app registered. */
  deviceToken: string;
}

const DEFAULT_APNS_TIMEOUT_MS = 10_000;
const PRODUCTION_HOST = 'api.push.apple.com';
const SANDBOX_HOST = 'api.sandbox.push.apple.com';
/** As much of a device token as the delivery log shows, as IosDevice.tokenHint does. */
const TOKEN_HINT_CHARS = 6;
/** Beyond node-apn's own request timeout, before we stop waiting for it. */
const DEADLINE_MARGIN_MS = 1_000;
/** node-apn's shutdown waits for a 'close' that an already destroyed HTTP/2 session never emits again. */
const SHUTDOWN_GRACE_MS = 1_000;
/** APNs keeps an undeliverable alert this long for an offline device. */
const EXPIRY_SECONDS = 24 * 60 * 60;
const ALERT_BODY_MAX_CHARS = 180;
const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** The device token will never work again: the app was removed or the token is not a token. */
const DEVICE_GONE_REASONS = new Set(['BadDeviceToken', 'Unregistered']);
/** node-apn regenerates its provider token after this answer, so the next attempt can succeed. */
const EXPIRED_TOKEN_REASON = 'ExpiredProviderToken';
const HTTP_TOO_MANY_REQUESTS = 429;
const HTTP_FORBIDDEN = 403;

function signingKey(options: ApnsTransportOptions): string {
  if (options.keyPem) {
    if (!options.keyPem.includes('-----BEGIN'))
      throw new Error('APNs keyPem must be the PEM text of the .p8 key');
    return options.keyPem;
  }
  if (options.keyFile) return readFileSync(options.keyFile, 'utf8');
  throw new Error('APNs needs a signing key: set keyPem or keyFile');
}

function providerOptions(options: ApnsTransportOptions): ProviderOptions {
  const extraCa = options.ca === undefined ? [] : Array.isArray(options.ca) ? options.ca : [options.ca];
  return {
    token: { key: signingKey(options), keyId: options.keyId, teamId: options.teamId },
    production: options.production ?? false,
    ...(options.address ? { address: options.address } : {}),
    ...(options.port ? { port: options.port } : {}),
    // node-apn hands `ca` to TLS, which then trusts only these: keep the public roots beside the extra ones.
    ...(extraCa.length > 0 ? { ca: [...rootCertificates, ...extraCa] } : {}),
    requestTimeout: options.timeoutMs ?? DEFAULT_APNS_TIMEOUT_MS,
    // Our delivery pipeline owns retries. node-apn's own would retry at once: it reads "Retry-After" in a header
    // case HTTP/2 never delivers, so it never waits.
    connectionRetryLimit: 0,
  };
}

export function apnsNotification(notification: NotificationPayload, topic: string): Notification {
  const note = new Notification();
  note.topic = topic;
  note.pushType = 'alert';
  note.threadId = notification.stack.id;
  const detail = shortDetail(notification, ALERT_BODY_MAX_CHARS);
  note.alert = {
    title: notificationTitle(notification),
    body: truncate(
      detail ? `${stackLine(notification)}: ${detail}` : stackLine(notification),
      ALERT_BODY_MAX_CHARS,
    ),
  };
  note.sound = 'default';
  note.expiry = Math.floor(Date.now() / 1000) + EXPIRY_SECONDS;
  note.payload = {
    notificationId: notification.id,
    stackId: notification.stack.id,
    eventType: notification.eventKey,
  };
  // apns-id must be a UUID; with our id there, APNs' answers and logs name the notification.
  if (UUID_PATTERN.test(notification.id)) note.id = notification.id;
  return note;
}

function failureOutcome(failure: ResponseFailure | undefined, durationMs: number): DeliveryOutcome {
  const statusCode = typeof failure?.status === 'number' ? failure.status : null;
  const reason =
    failure?.response?.reason ?? (failure?.error ? errorText(failure.error) : 'no answer from APNs');
  const retryable =
    statusCode === null ||
    statusCode === HTTP_TOO_MANY_REQUESTS ||
    statusCode >= 500 ||
    (statusCode === HTTP_FORBIDDEN && reason === EXPIRED_TOKEN_REASON);
  const outcome: DeliveryOutcome = {
    ok: false,
    retryable,
    statusCode,
    responseExcerpt: failure?.response ? excerpt(JSON.stringify(failure.response)) : null,
    error: statusCode === null ? reason : `APNs answered ${statusCode}: ${reason}`,
    durationMs,
  };
  const response = apnsResponse(failure);
  if (response) outcome.response = response;
  if (DEVICE_GONE_REASONS.has(reason)) outcome.targetGone = true;
  return outcome;
}

function apnsOutcome(result: Responses<unknown, ResponseFailure>, durationMs: number): DeliveryOutcome {
  if (result.sent.length > 0) {
    return {
      ok: true,
      retryable: false,
      statusCode: 200,
      responseExcerpt: null,
      error: null,
      durationMs,
      response: { status: 200, headers: [], body: null, bodyTruncated: false },
    };
  }
  return failureOutcome(result.failed[0], durationMs);
}

/** node-apn's request headers and JSON body of a notification (it declares no types for them). */
type Compiled = Notification & { headers(): Record<string, string | number>; compile(): string };

/**
 * The request as the delivery log keeps it: the device token as a hint, the apns-* headers and the JSON payload.
 * The provider token (authorization) that node-apn adds is not in it.
 */
function apnsRequest(note: Notification, deviceToken: string, origin: string): SentRequest {
  const payload = (note as Compiled).compile();
  const body = keptBody(payload);
  return {
    method: 'POST',
    url: `${origin}/3/device/${MASK}${deviceToken.slice(-TOKEN_HINT_CHARS)}`,
    headers: redactHeaders((note as Compiled).headers()),
    body: body.text,
    bodyTruncated: body.truncated,
    bodySize: Buffer.byteLength(payload),
  };
}

/** APNs' answer as node-apn reports it: the status and the JSON body with the reason; it drops the headers. */
function apnsResponse(failure: ResponseFailure | undefined): ReceivedResponse | undefined {
  if (typeof failure?.status !== 'number') return undefined;
  const body = failure.response ? keptBody(JSON.stringify(failure.response)) : null;
  return {
    status: failure.status,
    headers: [],
    body: body?.text ?? null,
    bodyTruncated: body?.truncated ?? false,
  };
}

/**
 * Retry-After is not reported: node-apn drops it from what it returns (and APNs does not document sending one);
 * the delivery schedule decides when to try again.
 */
export class ApnsTransport implements Transport<ApnsTarget> {
  private readonly provider: Provider;
  private readonly deadlineMs: number;
  /** https://host:port of the APNs server, as the delivery log names it. */
  private readonly origin: string;

  constructor(private readonly options: ApnsTransportOptions) {
    this.provider = new Provider(providerOptions(options));
    this.deadlineMs = (options.timeoutMs ?? DEFAULT_APNS_TIMEOUT_MS) + DEADLINE_MARGIN_MS;
    const host = options.address ?? (options.production ? PRODUCTION_HOST : SANDBOX_HOST);
    this.origin = new URL(`https://${host}:${options.port ?? 443}`).origin;
  }

  async send(target: ApnsTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    const started = performance.now();
    const note = apnsNotification(notification, this.options.topic);
    const request = apnsRequest(note, target.deviceToken, this.origin);
    try {
      const sending = this.provider.send(note, target.deviceToken);
      const result = await settleWithin(sending, this.deadlineMs);
      if (result === TIMED_OUT) {
        return {
          ...failureOutcome(
            { device: target.deviceToken, error: new Error('no answer from APNs in time') },
            elapsedSince(started),
          ),
          request,
        };
      }
      return { ...apnsOutcome(result, elapsedSince(started)), request };
    } catch (error) {
      return {
        ...failureOutcome({ device: target.deviceToken, error: error as Error }, elapsedSince(started)),
        request,
      };
    }
  }

  async close(): Promise<void> {
    const shutdown = new Promise<void>((resolve) => {
      void this.provider.shutdown(resolve);
    });
    await settleWithin(shutdown, SHUTDOWN_GRACE_MS);
  }
}

const TIMED_OUT = Symbol('timed out');

async function settleWithin<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
