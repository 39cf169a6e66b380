import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { SafeHttpClient } from '../../src/lib/safe-http';
import { webhookBody } from '../../src/modules/events/notification-payload';
import { sampleNotification } from '../peers/notification-fixture';
import { WebhookPeer } from '../peers/webhook-peer';
import { WebhookTransport, webhookSignature } from '../../src/transports/webhook.transport';

const newSecret = () => `whsec_${randomBytes(24).toString('base64')}`;

describe('WebhookTransport', () => {
  const current = newSecret();
  const previous = newSecret();
  let peer: WebhookPeer;
  let http: SafeHttpClient;
  let transport: WebhookTransport;

  beforeEach(async () => {
    peer = await WebhookPeer.start([current]);
    http = new SafeHttpClient({ allowPrivateNetworkTargets: true, timeoutMs: 2_000 });
    transport = new WebhookTransport(http);
  });

  afterEach(async () => {
    await http.close();
    await peer.close();
  });

  it('delivers a body the standardwebhooks package verifies, with the notification id as webhook-id', async () => {
    const notification = sampleNotification();
    const outcome = await transport.send({ url: peer.url, secrets: [current] }, notification);
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(peer.verified).toHaveLength(1);
    expect(peer.verified[0].id).toBe(notification.id);
    expect(peer.verified[0].payload).toEqual(webhookBody(notification, peer.verified[0].timestamp));
    expect(peer.verified[0].payload).toMatchObject({
      event_type: 'stack.redeploy.ok',
      title: 'Stack redeployed successfully',
      // When this attempt was sent, as the signed webhook-timestamp header says.
      timestamp: peer.verified[0].timestamp,
    });
    expect(Math.abs(peer.verified[0].timestamp - Date.now() / 1000)).toBeLessThan(5);
  });

  it('signs with every secret during a rotation, so a receiver holding either verifies', async () => {
    const target = { url: peer.url, secrets: [current, previous] };
    const signature = String((await send(target)).headers['webhook-signature']);
    expect(signature.split(' ')).toHaveLength(2);
    peer.useSecrets([previous]);
    expect((await transport.send(target, sampleNotification())).ok).toBe(true);
    peer.useSecrets([current]);
    expect((await transport.send(target, sampleNotification())).ok).toBe(true);
    expect(peer.unverified).toHaveLength(0);
  });

  it('produces the signature standardwebhooks would produce for the same message', () => {
    const body = '{"hello":"world"}';
    const at = new Date('2025-01-01T00:00:00Z');
    expect(webhookSignature('msg_1', at.getTime() / 1000, body, [current])).toBe(
      new Webhook(current).sign('msg_1', at, body),
    );
  });

  it('keeps the same webhook-id on every retry of one notification', async () => {
    const notification = sampleNotification();
    peer.answerServerError();
    const first = await transport.send({ url: peer.url, secrets: [current] }, notification);
    const second = await transport.send({ url: peer.url, secrets: [current] }, notification);
    expect(first).toMatchObject({
      ok: false,
      retryable: true,
      statusCode: 500,
      responseExcerpt: 'internal error',
    });
    expect(second.ok).toBe(true);
    expect(peer.deliveriesOf(notification.id)).toBe(2);
  });

  it('sends a retry with the time of the retry, in the body and the signed header, and both verify', async () => {
    const notification = sampleNotification();
    peer.answerServerError();
    await transport.send({ url: peer.url, secrets: [current] }, notification);
    // Into the next second, as any retry on the schedule is.
    await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 50));
    await transport.send({ url: peer.url, secrets: [current] }, notification);
    expect(peer.verified).toHaveLength(2);
    const [first, retry] = peer.verified;
    expect(retry.timestamp).toBeGreaterThan(first.timestamp);
    expect(first.payload.timestamp).toBe(first.timestamp);
    expect(retry.payload.timestamp).toBe(retry.timestamp);
    expect({ ...first.payload, timestamp: 0 }).toEqual({ ...retry.payload, timestamp: 0 });
  });

  it('is refused by a receiver that does not know the secret, permanently', async () => {
    const outcome = await transport.send({ url: peer.url, secrets: [newSecret()] }, sampleNotification());
    expect(outcome).toMatchObject({
      ok: false,
      retryable: false,
      statusCode: 401,
      error: 'HTTP 401 Unauthorized',
    });
    expect(peer.unverified).toHaveLength(1);
  });

  it('reports a dropped connection as retryable', async () => {
    peer.dropConnection();
    const outcome = await transport.send({ url: peer.url, secrets: [current] }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
  });

  it('does not follow a redirect and fails permanently', async () => {
    peer.redirectTo(`${peer.http.url}/elsewhere`);
    const outcome = await transport.send({ url: peer.url, secrets: [current] }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 302 });
    expect(peer.http.requests).toHaveLength(1);
  });

  it('passes Retry-After on from a 429', async () => {
    peer.script({ status: 429, headers: { 'retry-after': '30' } });
    const outcome = await transport.send({ url: peer.url, secrets: [current] }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: 429, retryAfterMs: 30_000 });
  });

  it('refuses a webhook URL that resolves to a private address when the guard is on', async () => {
    const guarded = new SafeHttpClient();
    try {
      const outcome = await new WebhookTransport(guarded).send(
        { url: peer.url, secrets: [current] },
        sampleNotification(),
      );
      expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: null });
      expect(outcome.error).toMatch(/127\.0\.0\.1 is a loopback address/);
      expect(peer.http.connections).toBe(0);
    } finally {
      await guarded.close();
    }
  });

  it('fails permanently without a signing secret rather than send an unsigned webhook', async () => {
    const outcome = await transport.send({ url: peer.url, secrets: [] }, sampleNotification());
    expect(outcome).toMatchObject({
      ok: false,
      retryable: false,
      error: 'the webhook has no signing secret',
    });
    expect(peer.http.requests).toHaveLength(0);
  });

  async function send(target: { url: string; secrets: string[] }) {
    await transport.send(target, sampleNotification());
    return peer.http.requests[peer.http.requests.length - 1];
  }
});
