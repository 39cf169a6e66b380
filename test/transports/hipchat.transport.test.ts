import { SafeHttpClient } from '../../src/lib/safe-http';
import { EventType } from '../../src/modules/events/event-types';
import { HipchatPeer } from '../peers/hipchat-peer';
import { sampleNotification } from '../peers/notification-fixture';
import { HIPCHAT_FROM, HipchatTransport, hipchatMessage } from '../../src/transports/hipchat.transport';

describe('HipchatTransport', () => {
  const token = 'room-notification-token';
  let peer: HipchatPeer;
  let http: SafeHttpClient;
  let transport: HipchatTransport;

  beforeEach(async () => {
    peer = await HipchatPeer.start([token]);
    http = new SafeHttpClient({ allowPrivateNetworkTargets: true, timeoutMs: 2_000 });
    transport = new HipchatTransport(http, { apiUrl: peer.apiUrl });
  });

  afterEach(async () => {
    await http.close();
    await peer.close();
  });

  it('posts an HTML room message that Hipchat accepts', async () => {
    const outcome = await transport.send({ token, room: 'Deploys' }, sampleNotification());
    expect(outcome).toMatchObject({
      ok: true,
      statusCode: 200,
      responseExcerpt: '{"status":"sent"}',
      error: null,
    });
    expect(peer.messages).toEqual([
      expect.objectContaining({
        token,
        roomId: 'Deploys',
        from: HIPCHAT_FROM,
        messageFormat: 'html',
        notify: '1',
      }),
    ]);
    expect(peer.messages[0].message).toContain(
      '<strong>web</strong> (production): Stack redeployed successfully',
    );
    expect(peer.messages[0].message).toContain('<em>Commit sha</em>: a1b2c3d');
    expect(HIPCHAT_FROM.length).toBeLessThanOrEqual(15);
  });

  it.each([
    [EventType.STACK_REDEPLOY_FAIL, 'red'],
    [EventType.STACK_REDEPLOY_OK, 'green'],
    [EventType.STACK_DEPLOY_STARTED, 'yellow'],
  ])('colours %s %s', async (eventType, color) => {
    await transport.send({ token, room: 'Deploys' }, sampleNotification({ eventType }));
    expect(peer.messages[0].color).toBe(color);
  });

  it('escapes HTML from event data', () => {
    const html = hipchatMessage(
      sampleNotification({ stackName: '<b>x</b>', data: { note: '<script>alert(1)</script>' } }),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;b&gt;x&lt;/b&gt;');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it("records Hipchat's error for a bad token and does not retry", async () => {
    const outcome = await transport.send({ token: 'revoked', room: 'Deploys' }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 401 });
    expect(outcome.error).toMatch(/^HTTP 401 Unauthorized: Unauthorized: Auth token invalid/);
    expect(outcome.responseExcerpt).toContain('"type":"Unauthorized"');
    expect(outcome.error).not.toContain('revoked');
  });

  it('does not retry an unknown room', async () => {
    peer.failWith(404, 'Not Found', 'Room not found');
    const outcome = await transport.send({ token, room: 'Nowhere' }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 404 });
    expect(outcome.error).toContain('Room not found');
  });

  it('retries a 429 after Retry-After', async () => {
    peer.rateLimit(60);
    const outcome = await transport.send({ token, room: 'Deploys' }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: 429, retryAfterMs: 60_000 });
  });

  it("retries API v1's 403 rate limit answer until X-RateLimit-Reset", async () => {
    const resetAt = Math.floor(Date.now() / 1000) + 120;
    peer.failWith(403, 'Forbidden', 'You have exceeded the rate limit.', {
      'x-ratelimit-reset': String(resetAt),
    });
    const outcome = await transport.send({ token, room: 'Deploys' }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: 403 });
    expect(outcome.retryAfterMs).toBeGreaterThan(110_000);
    expect(outcome.retryAfterMs).toBeLessThanOrEqual(120_000);
  });

  it('retries a Hipchat server error', async () => {
    peer.failWith(503, 'Service Unavailable', 'Down for maintenance');
    const outcome = await transport.send({ token, room: 'Deploys' }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: 503 });
  });
});
