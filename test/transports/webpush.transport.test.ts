import { generateVAPIDKeys } from 'web-push';
import { SafeHttpClient } from '../../src/lib/safe-http';
import { EventType } from '../../src/modules/events/event-types';
import { sampleNotification } from '../peers/notification-fixture';
import { WebPushPeer, type Subscription } from '../peers/webpush-peer';
import { WebPushTransport, type WebPushTransportOptions } from '../../src/transports/webpush.transport';

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
