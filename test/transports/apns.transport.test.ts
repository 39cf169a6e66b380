import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventType } from '../../src/modules/events/event-types';
import { ApnsPeer } from '../peers/apns-peer';
import { sampleNotification } from '../peers/notification-fixture';
import { ApnsTransport, type ApnsTransportOptions } from '../../src/transports/apns.transport';

const keyId = 'ABC123DEFG';
const teamId = 'TEAM123456';
const topic = 'com.example.stacks';
const deviceToken = 'a'.repeat(64);

describe('ApnsTransport', () => {
  const signingKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyPem = signingKey.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  let peer: ApnsPeer;
  const transports: ApnsTransport[] = [];

  const transport = (overrides: Partial<ApnsTransportOptions> = {}) => {
    const created = new ApnsTransport({
      keyPem,
      keyId,
      teamId,
      topic,
      address: peer.address,
      port: peer.port,
      ca: peer.ca,
      timeoutMs: 2_000,
      ...overrides,
    });
    transports.push(created);
    return created;
  };

  beforeEach(async () => {
    peer = await ApnsPeer.start({ publicKey: signingKey.publicKey, keyId, teamId });
  });

  afterEach(async () => {
    await Promise.all(transports.splice(0).map((created) => created.close()));
    await peer.close();
  });

  it('delivers an alert with the event title, the stack, a thread per stack and the notification id', async () => {
    const notification = sampleNotification({ eventType: EventType.STACK_REDEPLOY_FAIL });
    const outcome = await transport().send({ deviceToken }, notification);
    expect(outcome).toMatchObject({ ok: true, retryable: false, statusCode: 200, error: null });
    const [push] = peer.pushes;
    expect(push.deviceToken).toBe(deviceToken);
    expect(push.headers['apns-topic']).toBe(topic);
    expect(push.headers['apns-push-type']).toBe('alert');
    expect(push.headers['apns-id']).toBe(notification.id);
    expect(push.payload).toEqual({
      aps: {
        alert: { title: 'Stack redeploy failed', body: 'web (production): Commit sha: a1b2c3d' },
        sound: 'default',
        'thread-id': notification.stack.id,
      },
      notificationId: notification.id,
      stackId: notification.stack.id,
      eventType: 'stack.redeploy.fail',
    });
  });

  it('reads the signing key from a file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'apns-'));
    try {
      const keyFile = path.join(dir, 'AuthKey.p8');
      await writeFile(keyFile, keyPem);
      const outcome = await transport({ keyPem: undefined, keyFile }).send(
        { deviceToken },
        sampleNotification(),
      );
      expect(outcome.ok).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [400, 'BadDeviceToken'],
    [410, 'Unregistered'],
  ])('marks the device gone on %i %s, without retrying', async (status, reason) => {
    peer.replyTo(deviceToken, { status, reason });
    const outcome = await transport().send({ deviceToken }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, targetGone: true, statusCode: status });
    expect(outcome.responseExcerpt).toBe(JSON.stringify({ reason }));
    expect(outcome.error).toBe(`APNs answered ${status}: ${reason}`);
  });

  it.each([
    [429, 'TooManyRequests'],
    [500, 'InternalServerError'],
    [503, 'ServiceUnavailable'],
  ])(
    'leaves %i %s to our retry schedule: retryable, and node-apn does not retry it itself',
    async (status, reason) => {
      peer.replyTo(deviceToken, { status, reason, retryAfter: '30' });
      const outcome = await transport().send({ deviceToken }, sampleNotification());
      expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: status });
      expect(outcome.targetGone).toBeUndefined();
      expect(peer.requestCount).toBe(1);
    },
  );

  it('retries after an expired provider token, which node-apn renews for the next attempt', async () => {
    peer.replyTo(deviceToken, { status: 403, reason: 'ExpiredProviderToken' });
    const sender = transport();
    const first = await sender.send({ deviceToken }, sampleNotification());
    expect(first).toMatchObject({ ok: false, retryable: true, statusCode: 403 });
    expect((await sender.send({ deviceToken }, sampleNotification())).ok).toBe(true);
  });

  it('does not retry other client errors, and keeps the device', async () => {
    peer.replyTo(deviceToken, { status: 400, reason: 'DeviceTokenNotForTopic' });
    const outcome = await transport().send({ deviceToken }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 400 });
    expect(outcome.targetGone).toBeUndefined();
  });

  it('is refused with a key APNs does not know, permanently', async () => {
    const otherKey = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const outcome = await transport({
      keyPem: otherKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    }).send({ deviceToken }, sampleNotification());
    expect(outcome).toMatchObject({
      ok: false,
      retryable: false,
      statusCode: 403,
      error: 'APNs answered 403: InvalidProviderToken',
    });
  });

  it('is refused with the wrong key id', async () => {
    const outcome = await transport({ keyId: 'WRONG00000' }).send({ deviceToken }, sampleNotification());
    expect(outcome).toMatchObject({
      ok: false,
      statusCode: 403,
      error: 'APNs answered 403: InvalidProviderToken',
    });
  });

  it('treats no answer in time as retryable', async () => {
    peer.replyTo(deviceToken, { hang: true });
    const outcome = await transport({ timeoutMs: 300 }).send({ deviceToken }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
    expect(outcome.error).toMatch(/timeout/);
  });

  it('treats an unreachable APNs as retryable', async () => {
    const unreachable = transport();
    await peer.close();
    const outcome = await unreachable.send({ deviceToken }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
    peer = await ApnsPeer.start({ publicKey: signingKey.publicKey, keyId, teamId });
  });

  it('refuses a certificate it was not told to trust', async () => {
    const outcome = await transport({ ca: undefined }).send(
      { deviceToken: randomUUID().replace(/-/g, '') },
      sampleNotification(),
    );
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
    expect(peer.requestCount).toBe(0);
  });

  it('needs a signing key', () => {
    expect(() => new ApnsTransport({ keyId, teamId, topic })).toThrow(
      'APNs needs a signing key: set keyPem or keyFile',
    );
  });
});
