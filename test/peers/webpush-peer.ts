// A local Web Push service over HTTPS: it checks the VAPID JWT (signature, audience, expiry, subject) and decrypts
// the aes128gcm body with the subscription's private key, as a browser's push service and the browser would.
// The build compiles tests through src/ and finds this ambient declaration only through the reference.
// eslint-disable-next-line @typescript-eslint/triple-slash-reference
/// <reference path="./http_ece.d.ts" />
import { createECDH, createPublicKey, randomBytes, randomUUID, type ECDH } from 'node:crypto';
import { decrypt } from 'http_ece';
import { verifyEs256Jwt } from './es256-jwt';
import { HttpPeer, type RecordedRequest, type ScriptedResponse } from './http-peer';
import { localCertificate } from './tls-certificate';

export interface Subscription {
  endpoint: string;
  /** The browser's P-256 public key, URL-safe base64, as PushSubscription.getKey('p256dh'). */
  p256dh: string;
  /** 16 random bytes, URL-safe base64, as PushSubscription.getKey('auth'). */
  auth: string;
}

export interface ReceivedPushMessage {
  subscription: Subscription;
  headers: RecordedRequest['headers'];
  /** The decrypted body. */
  payload: Buffer;
}

interface Subscriber {
  subscription: Subscription;
  keys: ECDH;
  gone: boolean;
}

const PUSH_PATH = '/push/';
export const MAX_PUSH_BODY_BYTES = 4096;
/** RFC 8292: a VAPID token must not be valid for more than 24 hours. */
const VAPID_MAX_LIFETIME_SECONDS = 24 * 60 * 60;
const URGENCIES = ['very-low', 'low', 'normal', 'high'];

function rawP256PublicKey(raw: Buffer) {
  // An uncompressed point: 0x04 || x || y.
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: 'P-256',
      x: raw.subarray(1, 33).toString('base64url'),
      y: raw.subarray(33).toString('base64url'),
    },
    format: 'jwk',
  });
}

export class WebPushPeer {
  readonly messages: ReceivedPushMessage[] = [];
  /** The certificate to trust (SafeHttpClientOptions.ca). */
  ca!: string;
  http!: HttpPeer;
  private readonly subscribers = new Map<string, Subscriber>();

  /** A push service that accepts VAPID tokens signed for this application server public key. */
  private constructor(private readonly vapidPublicKey: string) {}

  static async start(vapidPublicKey: string): Promise<WebPushPeer> {
    const peer = new WebPushPeer(vapidPublicKey);
    const certificate = await localCertificate();
    peer.ca = certificate.cert;
    peer.http = await HttpPeer.start({
      tls: certificate,
      check: (request) => peer.check(request),
      answer: () => ({ status: 201, headers: { location: `${peer.http.url}/message/${randomUUID()}` } }),
    });
    return peer;
  }

  /** Subscribes as a browser would: a new P-256 key pair and auth secret, and an endpoint on this service. */
  subscribe(): Subscription {
    const keys = createECDH('prime256v1');
    keys.generateKeys();
    const subscription = {
      endpoint: `${this.http.url}${PUSH_PATH}${randomUUID()}`,
      p256dh: keys.getPublicKey('base64url'),
      auth: randomBytes(16).toString('base64url'),
    };
    this.subscribers.set(subscription.endpoint, { subscription, keys, gone: false });
    return subscription;
  }

  /** The browser unsubscribed: the service answers 410 Gone for this endpoint from now on. */
  unsubscribe(subscription: Subscription): void {
    const subscriber = this.subscribers.get(subscription.endpoint);
    if (subscriber) subscriber.gone = true;
  }

  script(...responses: ScriptedResponse[]): void {
    this.http.script(...responses);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private check(request: RecordedRequest): ScriptedResponse | null {
    const subscriber = this.subscribers.get(`${this.http.url}${request.url}`);
    if (request.method !== 'POST' || !subscriber) return { status: 404, body: 'no such subscription' };
    if (subscriber.gone) return { status: 410, body: 'subscription expired or unsubscribed' };
    const vapidProblem = this.vapidProblem(String(request.headers.authorization ?? ''));
    if (vapidProblem) return { status: 403, body: vapidProblem };
    const headerProblem = pushHeaderProblem(request.headers);
    if (headerProblem) return { status: 400, body: headerProblem };
    // RFC 8030 section 7.2: push services need only accept 4096 bytes of encrypted body; larger ones are refused.
    if (request.body.length > MAX_PUSH_BODY_BYTES) return { status: 413, body: 'payload too large' };
    let payload: Buffer;
    try {
      payload = decrypt(request.body, {
        version: 'aes128gcm',
        privateKey: subscriber.keys,
        authSecret: subscriber.subscription.auth,
      });
    } catch (error) {
      return { status: 400, body: `cannot decrypt: ${(error as Error).message}` };
    }
    this.messages.push({ subscription: subscriber.subscription, headers: request.headers, payload });
    return null;
  }

  private vapidProblem(authorization: string): string | null {
    const match = /^vapid t=([^,\s]+),\s*k=([A-Za-z0-9_-]+)$/.exec(authorization);
    if (!match) return 'Authorization must be "vapid t=<jwt>, k=<public key>"';
    const [, token, key] = match;
    if (key !== this.vapidPublicKey) return 'k is not the application server key of this subscription';
    const jwt = verifyEs256Jwt(token, rawP256PublicKey(Buffer.from(key, 'base64url')));
    if (!jwt) return 'VAPID signature does not verify';
    const now = Date.now() / 1000;
    const expiry = Number(jwt.claims.exp);
    if (jwt.claims.aud !== this.http.url)
      return `aud must be ${this.http.url}, got ${String(jwt.claims.aud)}`;
    if (!(expiry > now && expiry <= now + VAPID_MAX_LIFETIME_SECONDS))
      return 'exp must be within the next 24 hours';
    if (!/^(mailto:|https:)/.test(String(jwt.claims.sub))) return 'sub must be a mailto: or https: URL';
    return null;
  }
}

function pushHeaderProblem(headers: RecordedRequest['headers']): string | null {
  if (headers['content-encoding'] !== 'aes128gcm') return 'Content-Encoding must be aes128gcm';
  if (!/^\d+$/.test(String(headers.ttl ?? ''))) return 'TTL header required';
  if (headers.urgency !== undefined && !URGENCIES.includes(String(headers.urgency))) return 'invalid Urgency';
  return null;
}
