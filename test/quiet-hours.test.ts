// Quiet hours through the real server and real peers, on a clock the test sets: critical notifications go through
// at once, the rest wait and arrive as one summary per channel when the window ends, across daylight-saving changes.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  ClearQuietHoursDocument,
  ConfigureSlackDocument,
  CreateStackDocument,
  HeldDeliveriesDocument,
  MyQuietHoursDocument,
  PublishEventDocument,
  SetEventSeverityDocument,
  SetQuietHoursDocument,
  type HeldDeliveriesQuery,
  type SetQuietHoursMutationVariables,
} from './generated/graphql';
import { startChannelPeers, type ChannelPeers } from './helpers/channel-peers';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { eventually, socketRequest } from './helpers/ws';
import { ManualClock } from './support/manual-clock';

type DeliveryNode = NonNullable<HeldDeliveriesQuery['stack']>['deliveries']['nodes'][number];

// Running: time passes from each point the test sets, as it would on the machine.
const clock = new ManualClock('2026-01-01T00:00:00.000Z', { running: true });
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

/** An account whose owner has quiet hours, with a stack whose Slack channel points at the Slack peer. */
async function quietAccount(quietHours: { timeZone: string; start: string; end: string; days?: string[] }) {
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
  dataOf(
    await server.request(
      SetQuietHoursDocument,
      { input: quietHours as SetQuietHoursMutationVariables['input'] },
      owner.token,
    ),
  );
  return { owner, publisher, stackId, channel };
}

async function publish(token: string, stackId: string, eventType: 'JOB_FAIL' | 'SERVER_STOPPED', data = {}) {
  return dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType, data: { job: 'nightly', ...data } } },
      token,
    ),
  ).publishEvent;
}

async function deliveries(
  owner: Session,
  stackId: string,
  channel: 'EMAIL' | 'SLACK',
): Promise<DeliveryNode[]> {
  const { stack } = dataOf(
    await server.request(HeldDeliveriesDocument, { id: stackId, channel }, owner.token),
  );
  return stack.deliveries.nodes;
}

const mailsTo = (email: string) => peers.smtp.mails.filter((mail) => mail.envelope.to.includes(email));
const slackIn = (channel: string) => peers.slack.messages.filter((message) => message.channel === channel);

/** Moves the clock and lets the worker look at once. */
function moveClock(to: string): void {
  clock.set(to);
  server.app.worker!.wake();
}

/** Lets the worker run a few claims, for checks that something did not happen. */
async function workerTurns(): Promise<void> {
  for (let turn = 0; turn < 5; turn += 1) {
    server.app.worker!.wake();
    await new Promise((resolve) => setTimeout(resolve, 60));
  }
}

describe('quiet hours across a daylight-saving change', () => {
  it('Europe/Berlin: sends a critical event at once, holds a warning and sends one summary at 07:00 CEST', async () => {
    // Saturday 28 March 2026, 23:30 UTC = Sunday 00:30 CET; at 01:00 UTC the clocks go to CEST, so 07:00 local is
    // 05:00 UTC, not 06:00.
    clock.set('2026-03-28T23:30:00.000Z');
    const { owner, publisher, stackId, channel } = await quietAccount({
      timeZone: 'Europe/Berlin',
      start: '22:00',
      end: '07:00',
    });

    const critical = await publish(publisher, stackId, 'SERVER_STOPPED', { server: 'db-1' });
    await eventually(() => mailsTo(owner.email).length === 1, 10_000);
    expect(mailsTo(owner.email)[0].parsed.subject).toContain('Server heartbeat stopped');

    const held = [];
    for (let index = 0; index < 3; index += 1)
      held.push(await publish(publisher, stackId, 'JOB_FAIL', { run: index }));
    // Team channels are not affected: Slack gets all four at once.
    await eventually(() => slackIn(channel).length === 4, 10_000);
    const email = await deliveries(owner, stackId, 'EMAIL');
    const waiting = email.filter((delivery) => delivery.status === 'HELD');
    expect(waiting.map((delivery) => delivery.notification.id).sort()).toEqual(held.map((n) => n.id).sort());
    for (const delivery of waiting) {
      expect(delivery.heldReason).toBe('HELD_QUIET_HOURS');
      expect(delivery.nextAttemptAt).toBe('2026-03-29T05:00:00.000Z');
    }
    expect(email.find((delivery) => delivery.notification.id === critical.id)).toMatchObject({
      status: 'SUCCEEDED',
      heldReason: null,
    });

    // 06:59 CEST: still quiet.
    moveClock('2026-03-29T04:59:00.000Z');
    await workerTurns();
    expect(mailsTo(owner.email)).toHaveLength(1);

    moveClock('2026-03-29T05:00:00.000Z');
    await eventually(() => mailsTo(owner.email).length === 2, 10_000);
    const summary = mailsTo(owner.email)[1];
    expect(summary.parsed.subject).toContain('3 notifications while you were away');
    expect(summary.parsed.text).toContain('Job run failed');
    await workerTurns();
    expect(mailsTo(owner.email)).toHaveLength(2);

    const after = await deliveries(owner, stackId, 'EMAIL');
    const summaryRow = after.find((delivery) => delivery.summaryCount !== null)!;
    expect(summaryRow).toMatchObject({
      status: 'SUCCEEDED',
      summaryCount: 3,
      heldReason: 'HELD_QUIET_HOURS',
    });
    const summarised = after.filter((delivery) => delivery.status === 'SUMMARISED');
    expect(summarised).toHaveLength(3);
    for (const delivery of summarised) expect(delivery.summaryId).toBe(summaryRow.id);

    const { stack } = dataOf(
      await server.request(
        HeldDeliveriesDocument,
        { id: stackId, heldReason: 'HELD_QUIET_HOURS' },
        owner.token,
      ),
    );
    expect(stack.deliveries.nodes).toHaveLength(4);
  });

  it('America/New_York: a window that ends after the clocks go back ends at 07:00 EST', async () => {
    // Sunday 1 November 2026, 05:30 UTC = 01:30 EDT; at 06:00 UTC the clocks go back, so 07:00 local is 12:00 UTC.
    clock.set('2026-11-01T05:30:00.000Z');
    const { owner, publisher, stackId } = await quietAccount({
      timeZone: 'America/New_York',
      start: '22:00',
      end: '07:00',
    });
    await publish(publisher, stackId, 'JOB_FAIL');
    const [held] = (await deliveries(owner, stackId, 'EMAIL')).filter(
      (delivery) => delivery.status === 'HELD',
    );
    expect(held.nextAttemptAt).toBe('2026-11-01T12:00:00.000Z');

    // 07:00 by the summer offset is still 06:00 EST.
    moveClock('2026-11-01T11:00:00.000Z');
    await workerTurns();
    expect(mailsTo(owner.email)).toHaveLength(0);

    moveClock('2026-11-01T12:00:00.000Z');
    await eventually(() => mailsTo(owner.email).length === 1, 10_000);
    expect(mailsTo(owner.email)[0].parsed.subject).toContain('1 notification while you were away');
  });
});

describe('quiet hours windows', () => {
  it('a window crossing midnight holds on the day after the day it starts on, and not on other days', async () => {
    // Friday 4 December 2026 22:00 to Saturday 06:00 in Berlin (CET, UTC+1).
    clock.set('2026-12-05T01:00:00.000Z'); // Saturday 02:00: inside Friday's window
    const { owner, publisher, stackId } = await quietAccount({
      timeZone: 'Europe/Berlin',
      start: '22:00',
      end: '06:00',
      days: ['FRIDAY'],
    });
    const inside = await publish(publisher, stackId, 'JOB_FAIL');
    const of = async (id: string) =>
      (await deliveries(owner, stackId, 'EMAIL')).find((delivery) => delivery.notification.id === id)!;
    // Read before the clock moves past the window's end, when the worker may release it.
    expect(await of(inside.id)).toMatchObject({
      heldReason: 'HELD_QUIET_HOURS',
      nextAttemptAt: '2026-12-05T05:00:00.000Z',
    });
    clock.set('2026-12-06T01:00:00.000Z'); // Sunday 02:00: Saturday's window is not set
    const outside = await publish(publisher, stackId, 'JOB_FAIL');
    expect((await of(outside.id)).heldReason).toBeNull();
  });

  it('shows quiet hours on me, clears them, and holds nothing once cleared', async () => {
    clock.set('2026-12-05T01:00:00.000Z');
    const { owner, publisher, stackId } = await quietAccount({
      timeZone: 'Europe/Berlin',
      start: '23:30',
      end: '06:15',
      days: ['SUNDAY', 'FRIDAY'],
    });
    const { me } = dataOf(await server.request(MyQuietHoursDocument, {}, owner.token));
    expect(me.quietHours).toEqual({
      timeZone: 'Europe/Berlin',
      start: '23:30',
      end: '06:15',
      days: ['FRIDAY', 'SUNDAY'],
    });
    const { clearQuietHours } = dataOf(await server.request(ClearQuietHoursDocument, {}, owner.token));
    expect(clearQuietHours.quietHours).toBeNull();
    const sent = await publish(publisher, stackId, 'JOB_FAIL');
    const email = await deliveries(owner, stackId, 'EMAIL');
    expect(email.find((delivery) => delivery.notification.id === sent.id)!.heldReason).toBeNull();
  });

  it("lets through what the stack rates CRITICAL, and shows nobody else's quiet hours", async () => {
    clock.set('2026-12-05T01:00:00.000Z');
    const { owner, publisher, stackId } = await quietAccount({
      timeZone: 'Europe/Berlin',
      start: '22:00',
      end: '07:00',
    });
    dataOf(
      await server.request(
        SetEventSeverityDocument,
        { stackId, eventType: 'JOB_FAIL', severity: 'CRITICAL' },
        owner.token,
      ),
    );
    const sent = await publish(publisher, stackId, 'JOB_FAIL');
    const email = await deliveries(owner, stackId, 'EMAIL');
    expect(email.find((delivery) => delivery.notification.id === sent.id)!.heldReason).toBeNull();

    const admin = await server.addUser(owner, Role.ADMIN);
    const { me } = dataOf(
      await server.request<{ me: { account: { users: { id: string; quietHours: unknown }[] } } }, object>(
        '{ me { account { users { id quietHours { timeZone } } } } }',
        {},
        admin.token,
      ),
    );
    expect(me.account.users.find((user) => user.id === owner.userId)!.quietHours).toBeNull();
  });

  it('refuses a time zone, a time or days that are not ones, with BAD_USER_INPUT, and changes nothing', async () => {
    const owner = await server.createAccount();
    const set = (input: Record<string, unknown>) =>
      server.request(
        SetQuietHoursDocument,
        { input: { timeZone: 'Europe/Berlin', start: '22:00', end: '07:00', ...input } as never },
        owner.token,
      );
    for (const input of [
      { timeZone: 'Europe/Atlantis' },
      { timeZone: '+02:00' },
      { timeZone: 'x'.repeat(10_000) },
      { start: '24:00' },
      { start: '7:00' },
      { end: '07:60' },
      { end: '22:00' },
      { days: [] },
    ]) {
      expect(errorCode(await set(input))).toBe('BAD_USER_INPUT');
    }
    // The same over WebSocket.
    const overSocket = await socketRequest(
      server.wsUrl,
      SetQuietHoursDocument,
      { input: { timeZone: 'Mars/Olympus_Mons', start: '22:00', end: '07:00' } },
      owner.token,
    );
    expect(overSocket.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const { me } = dataOf(await server.request(MyQuietHoursDocument, {}, owner.token));
    expect(me.quietHours).toBeNull();
  });

  it('refuses setting quiet hours with a token without settings:write', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER, [Scope.SETTINGS_READ]);
    const response = await server.request(
      SetQuietHoursDocument,
      { input: { timeZone: 'Europe/Berlin', start: '22:00', end: '07:00' } },
      member.token,
    );
    expect(errorCode(response)).toBe('FORBIDDEN');
  });
});
