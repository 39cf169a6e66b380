// Flapping through the real server and real peers, on a clock the test sets: a server that stops and comes back on
// over and over is told of as it happens until it flaps, then in one summary per window and one "settled" message;
// another server of the stack is told of as usual; a stack's own rule is checked and kept to its account.
// SQLite, or PostgreSQL with TEST_DATABASE_URL.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  ClearFlappingDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  FlappingIncidentsDocument,
  HeldDeliveriesDocument,
  PublishFlappingEventDocument,
  SetFlappingDocument,
  StackFlappingDocument,
  type FlappingInput,
  type HeldDeliveriesQuery,
} from './generated/graphql';
import { startChannelPeers, type ChannelPeers } from './helpers/channel-peers';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { eventually, socketRequest } from './helpers/ws';
import { ManualClock } from './support/manual-clock';

type DeliveryNode = NonNullable<HeldDeliveriesQuery['stack']>['deliveries']['nodes'][number];

const DEFAULT_RULE = { threshold: 3, windowMinutes: 10, settleMinutes: 15 };

// Running: time passes from each point the test sets, as it would on the machine.
const clock = new ManualClock('2026-07-01T02:00:00.000Z', { running: true });
let peers: ChannelPeers;
let server: TestServer;

beforeAll(async () => {
  peers = await startChannelPeers();
  server = await startTestServer(
    { ...peers.env, DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4', DELIVERY_POLL_INTERVAL_MS: '50' },
    { clock },
  );
}, 60_000);
afterAll(async () => {
  await server?.close();
  await peers?.close();
});

/** A stack whose Slack channel and webhook point at the peers. */
async function flappingStack() {
  const owner = await server.createAccount();
  const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
  const { createStack } = dataOf(
    await server.request(
      CreateStackDocument,
      { input: { name: 'web', environment: 'production' } },
      owner.token,
    ),
  );
  const stackId = createStack.id;
  const channel = `#ops-${stackId.slice(0, 8)}`;
  dataOf(
    await server.request(
      ConfigureSlackDocument,
      { stackId, input: { url: peers.slack.url, channel } },
      owner.token,
    ),
  );
  const { configureWebhook } = dataOf(
    await server.request(
      ConfigureWebhookDocument,
      { stackId, input: { url: peers.webhook.url } },
      owner.token,
    ),
  );
  peers.webhook.useSecrets([configureWebhook.signingSecret!]);
  return { owner, publisher, stackId, channel };
}

/** Publishes a server event at `at` (the clock is moved there first). */
async function publishAt(
  token: string,
  stackId: string,
  eventType: 'SERVER_STOPPED' | 'SERVER_BACKON',
  server_: string,
  at: Date,
) {
  clock.set(at);
  return dataOf(
    await server.request(
      PublishFlappingEventDocument,
      { input: { stackId, eventType, data: { server: server_ } } },
      token,
    ),
  ).publishEvent;
}

const slackIn = (channel: string) => peers.slack.messages.filter((message) => message.channel === channel);
const slackAbout = (channel: string, server_: string) =>
  slackIn(channel).filter((message) => JSON.stringify(message).includes(server_));
const webhooksOf = (stackId: string) =>
  peers.webhook.verified.filter((message) => (message.payload.stack as { id: string }).id === stackId);

async function slackDeliveries(owner: Session, stackId: string): Promise<DeliveryNode[]> {
  const { stack } = dataOf(
    await server.request(HeldDeliveriesDocument, { id: stackId, channel: 'SLACK' }, owner.token),
  );
  return stack.deliveries.nodes;
}

async function incidentsOf(owner: Session, stackId: string) {
  const { stack } = dataOf(await server.request(FlappingIncidentsDocument, { id: stackId }, owner.token));
  return stack.incidents.nodes;
}

/** Lets the worker run a few claims, for checks that something did not happen. */
async function workerTurns(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) {
    server.app.worker!.wake();
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

/** The server's clock runs on from each time the test sets: what it records is a few milliseconds later. */
function expectNear(actual: string, expected: string): void {
  const late = Date.parse(actual) - Date.parse(expected);
  expect(late).toBeGreaterThanOrEqual(0);
  expect(late).toBeLessThan(2000);
}

function moveClock(to: string): void {
  clock.set(to);
  server.app.worker!.wake();
}

describe('a flapping server', () => {
  it('is told of as it happens until it flaps, then in one summary and one "settled" message, not 21 times', async () => {
    const { owner, publisher, stackId, channel } = await flappingStack();
    const start = Date.parse('2026-07-01T02:10:00.000Z');
    const at = (seconds: number) => new Date(start + seconds * 1000);

    // Ten stop/start cycles of web-1 in five minutes, and it is left stopped; web-2 stops and comes back once.
    const published = [];
    for (let cycle = 0; cycle < 10; cycle += 1) {
      published.push(await publishAt(publisher, stackId, 'SERVER_STOPPED', 'web-1', at(cycle * 30)));
      published.push(await publishAt(publisher, stackId, 'SERVER_BACKON', 'web-1', at(cycle * 30 + 15)));
      if (cycle === 4) {
        await publishAt(publisher, stackId, 'SERVER_STOPPED', 'web-2', at(cycle * 30 + 20));
        await publishAt(publisher, stackId, 'SERVER_BACKON', 'web-2', at(cycle * 30 + 25));
      }
    }
    published.push(await publishAt(publisher, stackId, 'SERVER_STOPPED', 'web-1', at(300)));

    // Three opens in ten minutes are allowed; the fourth (02:11:30) makes web-1 flap.
    const since = published[6].incident!.flappingSince!;
    expectNear(since, '2026-07-01T02:11:30.000Z');
    expect(published.slice(0, 6).map((each) => each.incident!.flapping)).toEqual(Array(6).fill(false));
    expect(published[6].incident).toMatchObject({ state: 'OPEN', flapping: true, flappingSince: since });
    expect(published[7].incident).toMatchObject({ state: 'RESOLVED', flapping: true, flappingSince: since });

    // The six transitions before it flapped went out as they came, and web-2's two; nothing else.
    await eventually(() => slackAbout(channel, 'web-1').length === 6, 10_000);
    await eventually(() => slackAbout(channel, 'web-2').length === 2, 10_000);
    await workerTurns();
    expect(slackIn(channel)).toHaveLength(8);
    expect(webhooksOf(stackId)).toHaveLength(8);

    // The other fifteen wait for the end of the window that began when it started flapping, and say why.
    const windowEnd = new Date(Date.parse(since) + 10 * 60_000).toISOString();
    const held = (await slackDeliveries(owner, stackId)).filter((delivery) => delivery.status === 'HELD');
    expect(held).toHaveLength(15);
    for (const delivery of held) {
      expect(delivery.heldReason).toBe('FLAPPING');
      expect(delivery.nextAttemptAt).toBe(windowEnd);
    }
    // The incidents of the flapping show it; the earlier ones do not.
    const incidents = await incidentsOf(owner, stackId);
    const web1 = incidents.filter((incident) => incident.subject === 'web-1');
    expect(web1).toHaveLength(11);
    expect(web1.filter((incident) => incident.flapping).map((incident) => incident.flappingSince)).toEqual(
      Array(8).fill(since),
    );
    expect(incidents.find((incident) => incident.subject === 'web-2')).toMatchObject({
      flapping: false,
      flappingSince: null,
    });

    // At the window's end: one summary, on Slack and to the webhook.
    moveClock('2026-07-01T02:21:31.000Z');
    await eventually(() => slackIn(channel).length === 9, 10_000);
    const summary = slackIn(channel)[8];
    expect(summary.text).toContain(
      'server web-1 flapped: stopped 8 times, back on 7 times between 02:11 and 02:15 UTC; now: stopped',
    );
    await eventually(() => webhooksOf(stackId).length === 9, 10_000);
    expect(webhooksOf(stackId)[8].payload).toMatchObject({
      title:
        'server web-1 flapped: stopped 8 times, back on 7 times between 02:11 and 02:15 UTC; now: stopped',
      data: { flapping: 'server web-1', notifications: 15, stopped: 8, 'back on': 7, now: 'stopped' },
      incident: null,
    });
    await workerTurns();
    expect(slackIn(channel)).toHaveLength(9);

    // Still flapping until fifteen minutes without a transition (its last at 02:15:00).
    moveClock('2026-07-01T02:29:50.000Z');
    await workerTurns();
    expect(slackIn(channel)).toHaveLength(9);
    expect((await incidentsOf(owner, stackId)).filter((incident) => incident.flapping)).toHaveLength(8);

    moveClock('2026-07-01T02:30:01.000Z');
    await eventually(() => slackIn(channel).length === 10, 10_000);
    expect(slackIn(channel)[9].text).toContain('server web-1 settled: stopped since 02:15 UTC');
    await eventually(() => webhooksOf(stackId).length === 10, 10_000);
    expect(webhooksOf(stackId)[9].payload).toMatchObject({
      eventType: 'SERVER_STOPPED',
      data: { settled: 'server web-1', now: 'stopped' },
      incident_id: published[published.length - 1].incident!.id,
      incident_state: 'OPEN',
    });
    await workerTurns();
    expect(slackIn(channel)).toHaveLength(10);
    expect(webhooksOf(stackId)).toHaveLength(10);

    // Settled: no incident flaps any more, and each keeps when its flapping began.
    const after = await incidentsOf(owner, stackId);
    expect(after.filter((incident) => incident.flapping)).toHaveLength(0);
    expect(after.filter((incident) => incident.flappingSince === since)).toHaveLength(8);
    const log = await slackDeliveries(owner, stackId);
    expect(log.filter((delivery) => delivery.status === 'SUMMARISED')).toHaveLength(15);
    const flapping = log.filter((delivery) => delivery.heldReason === 'FLAPPING');
    expect(flapping.filter((delivery) => delivery.status === 'SUCCEEDED')).toHaveLength(2);

    // The next transition after it settled is told of at once again.
    const back = await publishAt(
      publisher,
      stackId,
      'SERVER_BACKON',
      'web-1',
      new Date('2026-07-01T02:31:00Z'),
    );
    expect(back.incident).toMatchObject({ state: 'RESOLVED', flapping: false, flappingSince: null });
    await eventually(() => slackIn(channel).length === 11, 10_000);
  });

  it("follows the stack's own rule once it is set, and the defaults again once it is cleared", async () => {
    const { owner, publisher, stackId, channel } = await flappingStack();
    expect(
      dataOf(await server.request(StackFlappingDocument, { id: stackId }, owner.token)).stack!.flapping,
    ).toEqual({ ...DEFAULT_RULE, overridden: false });
    const rule = { threshold: 1, windowMinutes: 5, settleMinutes: 6 };
    const { setFlapping } = dataOf(
      await server.request(SetFlappingDocument, { stackId, input: rule }, owner.token),
    );
    expect(setFlapping).toEqual({ ...rule, overridden: true, stack: { id: stackId } });

    const start = Date.parse('2026-07-02T08:00:00.000Z');
    const at = (seconds: number) => new Date(start + seconds * 1000);
    await publishAt(publisher, stackId, 'SERVER_STOPPED', 'db-1', at(0));
    await publishAt(publisher, stackId, 'SERVER_BACKON', 'db-1', at(10));
    // The second open within five minutes is more than one: it flaps.
    const second = await publishAt(publisher, stackId, 'SERVER_STOPPED', 'db-1', at(20));
    expect(second.incident!.flapping).toBe(true);
    expectNear(second.incident!.flappingSince!, at(20).toISOString());
    await eventually(() => slackIn(channel).length === 2, 10_000);
    await workerTurns();
    expect(slackIn(channel)).toHaveLength(2);
    moveClock(at(5 * 60 + 21).toISOString());
    await eventually(() => slackIn(channel).length === 3, 10_000);
    expect(slackIn(channel)[2].text).toContain(
      'server db-1 flapped: stopped once at 08:00 UTC; now: stopped',
    );
    moveClock(at(6 * 60 + 21).toISOString());
    await eventually(() => slackIn(channel).length === 4, 10_000);
    expect(slackIn(channel)[3].text).toContain('server db-1 settled: stopped since 08:00 UTC');

    const { clearFlapping } = dataOf(await server.request(ClearFlappingDocument, { stackId }, owner.token));
    expect(clearFlapping.flapping).toEqual({ ...DEFAULT_RULE, overridden: false });
    await publishAt(publisher, stackId, 'SERVER_BACKON', 'db-1', at(400));
    const again = await publishAt(publisher, stackId, 'SERVER_STOPPED', 'db-1', at(410));
    expect(again.incident!.flapping).toBe(false);
  });
});

describe('flapping settings', () => {
  const bad: [string, FlappingInput, string][] = [
    ['a threshold of 0', { threshold: 0, windowMinutes: 10, settleMinutes: 15 }, 'input.threshold'],
    ['a negative threshold', { threshold: -3, windowMinutes: 10, settleMinutes: 15 }, 'input.threshold'],
    [
      'a huge threshold',
      { threshold: 2_000_000_000, windowMinutes: 10, settleMinutes: 15 },
      'input.threshold',
    ],
    ['a window of 0 minutes', { threshold: 3, windowMinutes: 0, settleMinutes: 15 }, 'input.windowMinutes'],
    [
      'a window over a day',
      { threshold: 3, windowMinutes: 1441, settleMinutes: 1441 },
      'input.windowMinutes',
    ],
    ['a negative settle time', { threshold: 3, windowMinutes: 10, settleMinutes: -1 }, 'input.settleMinutes'],
    [
      'settling before a window ends',
      { threshold: 3, windowMinutes: 30, settleMinutes: 10 },
      'input.settleMinutes',
    ],
  ];

  it.each(bad)(
    'refuses %s with BAD_USER_INPUT, over HTTP and WebSocket, and changes nothing',
    async (_name, input, field) => {
      const { owner, stackId } = await flappingStack();
      const response = await server.request(SetFlappingDocument, { stackId, input }, owner.token);
      expect(errorCode(response)).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0].extensions?.field).toBe(field);
      const overSocket = await socketRequest(
        server.wsUrl,
        SetFlappingDocument,
        { stackId, input },
        owner.token,
      );
      expect(overSocket.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(
        dataOf(await server.request(StackFlappingDocument, { id: stackId }, owner.token)).stack!.flapping,
      ).toEqual({ ...DEFAULT_RULE, overridden: false });
    },
  );

  it("refuses another account's stack (NOT_FOUND) and members (FORBIDDEN), and changes nothing", async () => {
    const { owner, stackId } = await flappingStack();
    const stranger = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const input = { threshold: 50, windowMinutes: 60, settleMinutes: 60 };
    expect(errorCode(await server.request(SetFlappingDocument, { stackId, input }, stranger.token))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await server.request(ClearFlappingDocument, { stackId }, stranger.token))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await server.request(SetFlappingDocument, { stackId, input }, member.token))).toBe(
      'FORBIDDEN',
    );
    expect(
      dataOf(await server.request(StackFlappingDocument, { id: stackId }, owner.token)).stack!.flapping,
    ).toEqual({ ...DEFAULT_RULE, overridden: false });
    expect(errorCode(await server.request(StackFlappingDocument, { id: stackId }, stranger.token))).toBe(
      'NOT_FOUND',
    );
  });
});
