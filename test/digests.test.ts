// Digests per channel through the real server and real peers, on a clock the test sets: beyond the allowance, a
// window's notifications wait for one digest at its end; webhooks get every event unless a digest is set on them.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  ClearDigestDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  HeldDeliveriesDocument,
  PublishEventDocument,
  SetDigestDocument,
  SetMessageTemplateDocument,
  type HeldDeliveriesQuery,
} from './generated/graphql';
import { startChannelPeers, type ChannelPeers } from './helpers/channel-peers';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { eventually } from './helpers/ws';
import { ManualClock } from './support/manual-clock';

type DeliveryNode = NonNullable<HeldDeliveriesQuery['stack']>['deliveries']['nodes'][number];

const clock = new ManualClock('2026-06-01T10:00:00.000Z', { running: true });
let peers: ChannelPeers;
let server: TestServer;

beforeAll(async () => {
  peers = await startChannelPeers();
  server = await startTestServer(
    { ...peers.env, DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4', DELIVERY_POLL_INTERVAL_MS: '50' },
    { clock },
  );
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
});

/** A stack whose Slack channel and webhook point at the peers; only the Slack channel names this stack. */
async function digestStack() {
  const owner = await server.createAccount();
  const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
  const { createStack } = dataOf(
    await server.request(
      CreateStackDocument,
      { input: { name: 'jobs', environment: 'production' } },
      owner.token,
    ),
  );
  const stackId = createStack.id;
  const channel = `#jobs-${stackId.slice(0, 8)}`;
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

async function publishFailures(token: string, stackId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) {
    const { publishEvent } = dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId, eventType: 'JOB_FAIL', data: { job: `import-${index}` } } },
        token,
      ),
    );
    ids.push(publishEvent.id);
  }
  return ids;
}

async function deliveries(
  owner: Session,
  stackId: string,
  channel: 'SLACK' | 'WEBHOOK',
): Promise<DeliveryNode[]> {
  const { stack } = dataOf(
    await server.request(HeldDeliveriesDocument, { id: stackId, channel }, owner.token),
  );
  return stack.deliveries.nodes;
}

const slackIn = (channel: string) => peers.slack.messages.filter((message) => message.channel === channel);
const webhooksOf = (ids: string[]) =>
  peers.webhook.verified.filter((message) => ids.includes(String(message.payload.id)));

async function workerTurns(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) {
    server.app.worker!.wake();
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

it('sends 2 of 20 job failures at once and the other 18 in one digest at the window end; the webhook gets all 20', async () => {
  clock.set('2026-06-01T10:00:00.000Z');
  const { owner, publisher, stackId, channel } = await digestStack();
  const { setDigest } = dataOf(
    await server.request(
      SetDigestDocument,
      { stackId, channel: 'SLACK', windowMinutes: 10, allowance: 2 },
      owner.token,
    ),
  );
  expect(setDigest.stack.digests).toEqual([{ channel: 'SLACK', windowMinutes: 10, allowance: 2 }]);

  const ids = await publishFailures(publisher, stackId, 20);
  await eventually(() => webhooksOf(ids).length === 20, 20_000);
  await eventually(() => slackIn(channel).length === 2, 10_000);
  await workerTurns();
  expect(slackIn(channel)).toHaveLength(2);

  const slack = await deliveries(owner, stackId, 'SLACK');
  const held = slack.filter((delivery) => delivery.status === 'HELD');
  expect(held).toHaveLength(18);
  for (const delivery of held) {
    expect(delivery.heldReason).toBe('DIGESTED');
    expect(delivery.nextAttemptAt).toBe('2026-06-01T10:10:00.000Z');
  }

  clock.set('2026-06-01T10:10:00.000Z');
  server.app.worker!.wake();
  await eventually(() => slackIn(channel).length === 3, 10_000);
  const digest = slackIn(channel)[2];
  expect(digest.text).toContain('Digest: 18 more notifications');
  expect(JSON.stringify(digest.blocks)).toContain('and 13 more');
  await workerTurns();
  expect(slackIn(channel)).toHaveLength(3);
  expect(webhooksOf(ids)).toHaveLength(20);

  const after = await deliveries(owner, stackId, 'SLACK');
  expect(after.filter((delivery) => delivery.status === 'SUMMARISED')).toHaveLength(18);
  expect(after.filter((delivery) => delivery.summaryCount === 18)).toHaveLength(1);
});

it('digests a webhook once a digest is set on it, and not after it is cleared', async () => {
  clock.set('2026-06-02T10:00:00.000Z');
  const { owner, publisher, stackId } = await digestStack();
  dataOf(
    await server.request(
      SetDigestDocument,
      { stackId, channel: 'WEBHOOK', windowMinutes: 5, allowance: 1 },
      owner.token,
    ),
  );
  const ids = await publishFailures(publisher, stackId, 4);
  await eventually(() => webhooksOf(ids).length === 1, 10_000);
  clock.set('2026-06-02T10:05:00.000Z');
  server.app.worker!.wake();
  const summaries = () =>
    peers.webhook.verified.filter((message) => message.payload.title === 'Digest: 3 more notifications');
  await eventually(() => summaries().length === 1, 10_000);
  expect(summaries()[0].payload).toMatchObject({ stack: { id: stackId }, data: { notifications: 3 } });

  const { clearDigest } = dataOf(
    await server.request(ClearDigestDocument, { stackId, channel: 'WEBHOOK' }, owner.token),
  );
  expect(clearDigest.digests).toEqual([]);
  const more = await publishFailures(publisher, stackId, 3);
  await eventually(() => webhooksOf(more).length === 3, 10_000);
});

it('starts a fresh allowance in the next window', async () => {
  clock.set('2026-06-03T10:00:00.000Z');
  const { owner, publisher, stackId, channel } = await digestStack();
  dataOf(
    await server.request(
      SetDigestDocument,
      { stackId, channel: 'SLACK', windowMinutes: 1, allowance: 1 },
      owner.token,
    ),
  );
  await publishFailures(publisher, stackId, 2);
  clock.set('2026-06-03T10:01:00.000Z');
  await publishFailures(publisher, stackId, 1);
  // One of the first window, its digest, and the first of the second window.
  await eventually(() => slackIn(channel).length === 3, 10_000);
  const slack = await deliveries(owner, stackId, 'SLACK');
  expect(slack.filter((delivery) => delivery.status === 'HELD')).toHaveLength(0);
});

it('refuses bad bounds, members and other accounts with codes, and changes nothing', async () => {
  const { owner, stackId } = await digestStack();
  const set = (variables: Record<string, unknown>, token = owner.token) =>
    server.request(
      SetDigestDocument,
      { stackId, channel: 'SLACK', windowMinutes: 10, allowance: 2, ...variables } as never,
      token,
    );
  for (const bad of [{ windowMinutes: 0 }, { windowMinutes: 1441 }, { allowance: -1 }, { allowance: 1001 }]) {
    expect(errorCode(await set(bad))).toBe('BAD_USER_INPUT');
  }
  const member = await server.addUser(owner, Role.MEMBER);
  expect(errorCode(await set({}, member.token))).toBe('FORBIDDEN');
  expect(
    errorCode(await server.request(ClearDigestDocument, { stackId, channel: 'SLACK' }, member.token)),
  ).toBe('FORBIDDEN');
  const stranger = await server.createAccount();
  expect(errorCode(await set({}, stranger.token))).toBe('NOT_FOUND');
  expect(
    errorCode(await server.request(ClearDigestDocument, { stackId, channel: 'SLACK' }, stranger.token)),
  ).toBe('NOT_FOUND');
  const { stack } = dataOf(
    await server.request<{ stack: { digests: unknown[] } }, { id: string }>(
      'query ($id: ID!) { stack(id: $id) { digests { channel } } }',
      { id: stackId },
      owner.token,
    ),
  );
  expect(stack.digests).toEqual([]);
  const { setDigest } = dataOf(await set({ allowance: 0 }));
  expect(setDigest.stack.digests).toEqual([{ channel: 'SLACK', windowMinutes: 10, allowance: 0 }]);
});

it("writes a digest with the Slack channel's template for all event types, not an event type's own", async () => {
  clock.set('2026-06-10T10:00:00.000Z');
  const { owner, publisher, stackId, channel } = await digestStack();
  dataOf(
    await server.request(
      SetDigestDocument,
      { stackId, channel: 'SLACK', windowMinutes: 10, allowance: 1 },
      owner.token,
    ),
  );
  const template = (eventType: 'JOB_FAIL' | null, body: string) =>
    server.request(
      SetMessageTemplateDocument,
      { input: { stackId, channelId: `SlackChannel:${stackId}`, eventType, template: body } },
      owner.token,
    );
  dataOf(await template('JOB_FAIL', 'job {{ data.job }} failed'));
  dataOf(
    await template(null, 'ALL {{ title }}{% if data.notifications %} ({{ data.notifications }}){% endif %}'),
  );

  await publishFailures(publisher, stackId, 3);
  await eventually(() => slackIn(channel).length === 1, 10_000);
  expect(slackIn(channel)[0].text).toBe('job import-0 failed');

  clock.set('2026-06-10T10:10:00.000Z');
  server.app.worker!.wake();
  await eventually(() => slackIn(channel).length === 2, 10_000);
  expect(slackIn(channel)[1].text).toBe('ALL Digest: 2 more notifications (2)');
});
