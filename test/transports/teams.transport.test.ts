import { SafeHttpClient } from '../../src/lib/safe-http';
import { EventType } from '../../src/modules/events/event-types';
import { TeamsTransport } from '../../src/transports/teams.transport';
import { sampleNotification } from '../peers/notification-fixture';
import { TeamsPeer } from '../peers/teams-peer';

describe('TeamsTransport', () => {
  let peer: TeamsPeer;
  let http: SafeHttpClient;
  let transport: TeamsTransport;

  beforeEach(async () => {
    peer = await TeamsPeer.start();
    http = new SafeHttpClient({ allowPrivateNetworkTargets: true, timeoutMs: 2_000 });
    transport = new TeamsTransport(http);
  });
  afterEach(async () => {
    await http.close();
    await peer.close();
  });

  it('posts an Adaptive Card that Teams accepts (202), with the title, the stack and the details as facts', async () => {
    const notification = sampleNotification({
      eventType: EventType.JOB_FAIL,
      data: { job: 'nightly', exitCode: 3 },
    });
    const outcome = await transport.send({ url: peer.url }, notification);
    expect(outcome).toMatchObject({ ok: true, statusCode: 202, error: null });
    const [card] = peer.cards;
    expect(card.version).toBe('1.4');
    expect(card.body[0]).toMatchObject({ type: 'TextBlock', text: notification.title, weight: 'Bolder' });
    expect(card.body[1].text).toBe(`web (production) · ${notification.occurredAt}`);
    expect(card.body[2]).toEqual({
      type: 'FactSet',
      facts: [
        { title: 'Job', value: 'nightly' },
        { title: 'Exit code', value: '3' },
      ],
    });
  });

  it('marks failures and successes by colour, and sends no empty fact set', async () => {
    await transport.send(
      { url: peer.url },
      sampleNotification({ eventType: EventType.PROCESS_DOWN, data: {} }),
    );
    await transport.send({ url: peer.url }, sampleNotification({ eventType: EventType.STACK_REDEPLOY_OK }));
    expect(peer.cards[0].body).toHaveLength(2);
    expect(peer.cards[0].body[0].color).toBe('Attention');
    expect(peer.cards[1].body[0].color).toBe('Good');
  });

  it('retries a 429 after Retry-After, and fails permanently for a revoked URL', async () => {
    peer.script({ status: 429, headers: { 'retry-after': '7' } });
    expect(await transport.send({ url: peer.url }, sampleNotification())).toMatchObject({
      ok: false,
      retryable: true,
      retryAfterMs: 7000,
    });
    const revoked = await transport.send(
      { url: peer.url.replace('sig=s3cr3t', 'sig=old') },
      sampleNotification(),
    );
    expect(revoked).toMatchObject({ ok: false, retryable: false, statusCode: 401 });
  });
});
