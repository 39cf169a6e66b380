import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateVAPIDKeys } from 'web-push';
import { ChannelKind } from '../../src/modules/events/event-types';
import { sampleNotification } from '../peers/notification-fixture';
import { WebhookPeer } from '../peers/webhook-peer';
import { closeTransports, createTransports } from '../../src/transports/index';

describe('createTransports', () => {
  let mailDir: string;
  const logger = { info: () => undefined, warn: () => undefined };

  beforeEach(async () => {
    mailDir = await mkdtemp(path.join(tmpdir(), 'transports-'));
  });

  afterEach(async () => {
    await rm(mailDir, { recursive: true, force: true });
  });

  it('builds one transport per channel sharing one HTTP client, and closes them all', async () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const peer = await WebhookPeer.start([secret]);
    const vapid = generateVAPIDKeys();
    const transports = createTransports({
      http: { allowPrivateNetworkTargets: true },
      email: { mailDir, logger },
      apns: null,
      webPush: {
        vapidPublicKey: vapid.publicKey,
        vapidPrivateKey: vapid.privateKey,
        vapidSubject: 'mailto:a@b.c',
      },
    });
    try {
      const outcome = await transports[ChannelKind.WEBHOOK].send(
        { url: peer.url, secrets: [secret] },
        sampleNotification(),
      );
      expect(outcome.ok).toBe(true);
      expect(Object.keys(transports).sort()).toEqual([...Object.values(ChannelKind), 'httpClient'].sort());
    } finally {
      await closeTransports(transports);
      await peer.close();
    }
  });

  it('fails deliveries to a channel without credentials permanently, saying why', async () => {
    const transports = createTransports({ http: {}, email: { mailDir, logger }, apns: null, webPush: null });
    try {
      const ios = await transports[ChannelKind.IOS].send({ deviceToken: 'ab' }, sampleNotification());
      expect(ios).toMatchObject({
        ok: false,
        retryable: false,
        error: 'iOS push is not configured on this server (no APNs key)',
      });
      const browser = await transports[ChannelKind.BROWSER].send(
        { endpoint: 'https://push.example/x', p256dh: 'x', auth: 'y' },
        sampleNotification(),
      );
      expect(browser).toMatchObject({ ok: false, retryable: false });
      expect(browser.error).toMatch(/browser push is not configured/);
    } finally {
      await closeTransports(transports);
    }
  });
});
