import { generateVAPIDKeys } from 'web-push';
import { SafeHttpClient } from '../../src/lib/safe-http';
import { EventType } from '../../src/modules/events/event-types';
import { sampleNotification } from '../peers/notification-fixture';
import { WebPushPeer, type Subscription } from '../peers/webpush-peer';
import {
  MAX_PUSH_PLAINTEXT_BYTES,
  WebPushTransport,
  webPushPayload,
  type WebPushTransportOptions,
} from '../../src/transports/webpush.transport';

describe('WebPushTransport', () => {
  const vapid = generateVAPIDKeys();
  const options: WebPushTransportOptions = {
    vapidPublicKey: vapid.publicKey,
    vapidPrivateKey: vapid.privateKey,
    vapidSubject: 'mailto:ops@example.com',
  };
  let peer: WebPushPeer;
  let http: SafeHttpClient;
  let transport: WebPushTransport;
  let subscription: Subscription;

  beforeEach(async () => {
    peer = await WebPushPeer.start(vapid.publicKey);
    http = new SafeHttpClient({ allowPrivateNetworkTargets: true, timeoutMs: 2_000, ca: peer.ca });
    transport = new WebPushTransport(http, options);
    subscription = peer.subscribe();
  });

  afterEach(async () => {
    await http.close();
    await peer.close();
  });

  it('delivers the notification encrypted for the subscription, which decrypts to the JSON payload', async () => {
    const notification = sampleNotification();
    const outcome = await transport.send(subscription, notification);
    expect(outcome).toMatchObject({ ok: true, retryable: false, statusCode: 201, error: null });
    const [message] = peer.messages;
    expect(message.payload.toString('utf8')).toBe(JSON.stringify(notification));
    expect(message.headers['content-encoding']).toBe('aes128gcm');
    expect(message.headers.ttl).toBe('86400');
    expect(message.headers.urgency).toBe('normal');
    expect(message.headers.authorization).toMatch(/^vapid t=.+, k=/);
  });

  it('trims a 10 KiB event to a push under 4 KiB that decrypts, keeping the ids, the title and the short details', async () => {
    const notification = sampleNotification({
      eventType: EventType.JOB_FAIL,
      data: {
        job: 'nightly-backup',
        exitCode: 3,
        retried: false,
        log: 'x'.repeat(10 * 1024),
        steps: Array.from({ length: 50 }, (_, index) => ({ index, name: `step ${index}` })),
      },
    });
    expect(JSON.stringify(notification).length).toBeGreaterThan(10 * 1024);
    const outcome = await transport.send(subscription, notification);
    expect(outcome).toMatchObject({ ok: true, statusCode: 201 });
    const [message] = peer.messages;
    expect(message.payload.length).toBeLessThanOrEqual(MAX_PUSH_PLAINTEXT_BYTES);
    const payload = JSON.parse(message.payload.toString('utf8')) as Record<string, unknown>;
    expect(payload).toMatchObject({
      id: notification.id,
      stack: notification.stack,
      eventKey: 'job.fail',
      title: notification.title,
      createdAt: notification.createdAt,
      dataTruncated: true,
      data: { job: 'nightly-backup', exitCode: 3, retried: false },
    });
    const data = payload.data as Record<string, unknown>;
    expect(String(data.log)).toHaveLength(200);
    expect(data).not.toHaveProperty('steps');
  });

  it('keeps as many details as fit when an event has very many of them', () => {
    const data = Object.fromEntries(
      Array.from({ length: 2000 }, (_, index) => [`key${index}`, `value ${index}`]),
    );
    const text = webPushPayload(sampleNotification({ data }));
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(MAX_PUSH_PLAINTEXT_BYTES);
    const payload = JSON.parse(text) as { data: Record<string, unknown>; dataTruncated: boolean };
    expect(payload.dataTruncated).toBe(true);
    expect(Object.keys(payload.data).length).toBeGreaterThan(100);
    expect(payload.data.key0).toBe('value 0');
  });

  it('fails permanently on a 413 from the push service', async () => {
    peer.script({ status: 413, body: 'payload too large' });
    const outcome = await transport.send(subscription, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, statusCode: 413, retryable: false });
  });

  it('sends failures with high urgency', async () => {
    await transport.send(subscription, sampleNotification({ eventType: EventType.PROCESS_DOWN }));
    expect(peer.messages[0].headers.urgency).toBe('high');
  });

  it('uses the configured TTL', async () => {
    await new WebPushTransport(http, { ...options, ttlSeconds: 600 }).send(
      subscription,
      sampleNotification(),
    );
    expect(peer.messages[0].headers.ttl).toBe('600');
  });

  it('marks an unsubscribed browser gone on 410', async () => {
    peer.unsubscribe(subscription);
    const outcome = await transport.send(subscription, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 410, targetGone: true });
  });

  it('marks an unknown subscription gone on 404', async () => {
    const outcome = await transport.send(
      { ...subscription, endpoint: `${peer.http.url}/push/unknown` },
      sampleNotification(),
    );
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 404, targetGone: true });
  });

  it('retries a 429 after Retry-After and a 5xx', async () => {
    peer.script({ status: 429, headers: { 'retry-after': '90' } }, { status: 502 });
    const limited = await transport.send(subscription, sampleNotification());
    expect(limited).toMatchObject({ ok: false, retryable: true, statusCode: 429, retryAfterMs: 90_000 });
    expect(limited.targetGone).toBeUndefined();
    expect(await transport.send(subscription, sampleNotification())).toMatchObject({
      retryable: true,
      statusCode: 502,
    });
  });

  it('is refused by the push service when signed with another VAPID key', async () => {
    const other = generateVAPIDKeys();
    const stranger = new WebPushTransport(http, {
      ...options,
      vapidPublicKey: other.publicKey,
      vapidPrivateKey: other.privateKey,
    });
    const outcome = await stranger.send(subscription, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 403 });
    expect(outcome.targetGone).toBeUndefined();
  });

  it('fails permanently, without a request, for a subscription with unusable keys', async () => {
    const outcome = await transport.send({ ...subscription, p256dh: 'bm90IGEga2V5' }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: null });
    expect(outcome.error).toMatch(/^cannot build the push message for this subscription/);
    expect(peer.http.requests).toHaveLength(0);
  });

  it('refuses a push endpoint on a private address when the guard is on', async () => {
    const guarded = new SafeHttpClient({ ca: peer.ca });
    try {
      const outcome = await new WebPushTransport(guarded, options).send(subscription, sampleNotification());
      expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: null });
      expect(peer.http.connections).toBe(0);
    } finally {
      await guarded.close();
    }
  });

  it('refuses bad VAPID settings when it is created', () => {
    expect(() => new WebPushTransport(http, { ...options, vapidSubject: 'ops@example.com' })).toThrow(
      /subject/i,
    );
  });
});
