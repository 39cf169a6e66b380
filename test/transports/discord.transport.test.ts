import { SafeHttpClient } from '../../src/lib/safe-http';
import { EventType } from '../../src/modules/events/event-types';
import { DiscordTransport, discordMessage } from '../../src/transports/discord.transport';
import { DiscordPeer, discordProblem } from '../peers/discord-peer';
import { sampleNotification } from '../peers/notification-fixture';

describe('DiscordTransport', () => {
  let peer: DiscordPeer;
  let http: SafeHttpClient;
  let transport: DiscordTransport;

  beforeEach(async () => {
    peer = await DiscordPeer.start();
    http = new SafeHttpClient({ allowPrivateNetworkTargets: true, timeoutMs: 2_000 });
    transport = new DiscordTransport(http);
  });
  afterEach(async () => {
    await http.close();
    await peer.close();
  });

  it('posts one embed Discord accepts, waiting for its answer, and pings nobody', async () => {
    const notification = sampleNotification({
      eventType: EventType.SERVER_STOPPED,
      data: { server: 'db-1', note: '@everyone look' },
    });
    const outcome = await transport.send({ url: peer.url }, notification);
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(peer.http.requests[0].url).toContain('wait=true');
    const [message] = peer.messages;
    expect(message.allowed_mentions).toEqual({ parse: [] });
    expect(message.embeds).toHaveLength(1);
    expect(message.embeds![0]).toMatchObject({
      title: notification.title,
      description: 'web (production)',
      timestamp: notification.occurredAt,
      footer: { text: 'server.stopped' },
      fields: [
        { name: 'Server', value: 'db-1', inline: true },
        { name: 'Note', value: '@everyone look', inline: true },
      ],
    });
    expect(message.embeds![0].color).toBe(0xd92d20);
  });

  it('keeps a huge event within every embed limit', () => {
    const data = Object.fromEntries(
      Array.from({ length: 40 }, (_, index) => [`${'k'.repeat(300)}${index}`, 'v'.repeat(3000)]),
    );
    const message = discordMessage(sampleNotification({ data, stackName: 's'.repeat(100) }));
    expect(discordProblem(message)).toBeNull();
    expect(message.embeds[0].fields.length).toBeGreaterThan(0);
  });

  it("waits as long as a 429's retry_after says, and retries", async () => {
    peer.rateLimit(2.5);
    const limited = await transport.send({ url: peer.url }, sampleNotification());
    expect(limited).toMatchObject({ ok: false, retryable: true, statusCode: 429, retryAfterMs: 2500 });
    expect(limited.error).toContain('You are being rate limited.');
    expect((await transport.send({ url: peer.url }, sampleNotification())).ok).toBe(true);
  });

  it('fails permanently for a deleted webhook, saying so', async () => {
    peer.unknownWebhook();
    const outcome = await transport.send({ url: peer.url }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 404 });
    expect(outcome.error).toContain('Unknown Webhook');
  });

  it('refuses a webhook URL on a private address when the guard is on', async () => {
    const guarded = new SafeHttpClient({ allowPrivateNetworkTargets: false, timeoutMs: 2_000 });
    try {
      const outcome = await new DiscordTransport(guarded).send({ url: peer.url }, sampleNotification());
      expect(outcome).toMatchObject({ ok: false, retryable: false });
      expect(peer.http.requests).toHaveLength(0);
    } finally {
      await guarded.close();
    }
  });
});
