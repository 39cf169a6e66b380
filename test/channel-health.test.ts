// Channel.health: each shared channel's last delivery, failing streak and dead deliveries, as owners and members
// see it, and as nobody of another account does.
import { Role } from '../src/modules/accounts/user.entity';
import { dialectOf } from '../src/db/sql';
import {
  ChannelDeliveriesDocument,
  ChannelHealthNodeDocument,
  CreateChannelDocument,
  PublishEventDocument,
  StackChannelHealthDocument,
  StackChannelNamesDocument,
  type ChannelInput,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { createStack, expectError } from './helpers/settings-fixtures';
import { HttpPeer } from './peers/http-peer';

let server: TestServer;
let healthy: HttpPeer;
let failing: HttpPeer;

beforeAll(async () => {
  [healthy, failing] = await Promise.all([
    HttpPeer.start(),
    HttpPeer.start({ answer: () => ({ status: 500, body: 'internal error' }) }),
  ]);
  server = await startTestServer({
    DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4',
    DELIVERY_POLL_INTERVAL_MS: '50',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
});
afterAll(async () => {
  await server?.close();
  await Promise.all([healthy?.close(), failing?.close()]);
});

async function createChannel(owner: Session, stackId: string, input: ChannelInput) {
  return dataOf(await server.request(CreateChannelDocument, { stackId, input }, owner.token)).createChannel
    .channel;
}

async function settled(owner: Session, stackId: string, count: number) {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = dataOf(await server.request(ChannelDeliveriesDocument, { id: stackId }, owner.token)).stack!
      .deliveries.nodes;
    const shared = rows.filter((row) => row.channelId !== null);
    if (shared.length >= count && shared.every((row) => row.status !== 'PENDING')) return rows;
    if (Date.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function healthOf(session: Session, stackId: string) {
  return dataOf(await server.request(StackChannelHealthDocument, { id: stackId }, session.token)).stack!;
}

describe('Channel.health', () => {
  let owner: Session;
  let stackId: string;
  let good: { id: string };
  let bad: { id: string };
  let idle: { id: string };

  beforeAll(async () => {
    owner = await server.createAccount();
    stackId = await createStack(server, owner);
    good = await createChannel(owner, stackId, {
      name: 'Webhook ok',
      webhook: { url: `${healthy.url}/hook` },
    });
    bad = await createChannel(owner, stackId, {
      name: 'Webhook down',
      webhook: { url: `${failing.url}/hook` },
    });
    const published = dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId, eventType: 'STACK_REDEPLOY_OK', data: { commit: 'abc123' } } },
        owner.token,
      ),
    ).publishEvent;
    expect(published.id).toBeTruthy();
    await settled(owner, stackId, 2);
    // Created after the event: it was never tried.
    idle = await createChannel(owner, stackId, {
      name: 'Webhook new',
      webhook: { url: `${healthy.url}/new` },
    });
  });

  it('tells a channel that delivers from one that fails every attempt and one never tried', async () => {
    const started = Date.now();
    const stack = await healthOf(owner, stackId);
    const byName = new Map(stack.sharedChannels.map((channel) => [channel.name, channel.health]));

    const ok = byName.get('Webhook ok')!;
    expect(ok).toMatchObject({
      lastDeliveryOk: true,
      lastStatusCode: 200,
      lastError: null,
      failingSince: null,
      deadCount: 0,
    });
    expect(Date.parse(ok.lastDeliveryAt as string)).toBeLessThanOrEqual(started);

    const down = byName.get('Webhook down')!;
    expect(down).toMatchObject({
      lastDeliveryOk: false,
      lastStatusCode: 500,
      lastError: 'HTTP 500 Internal Server Error',
      deadCount: 1,
    });
    expect(Date.parse(down.failingSince as string)).toBeLessThanOrEqual(
      Date.parse(down.lastDeliveryAt as string),
    );

    expect(byName.get('Webhook new')).toEqual({
      lastDeliveryAt: null,
      lastDeliveryOk: null,
      lastStatusCode: null,
      lastError: null,
      failingSince: null,
      deadCount: 0,
    });
    expect(stack.personalChannels.map((channel) => channel.health)).toEqual([null, null, null]);
  });

  it('is the same through node(id:) and for a member, who reads it without changing anything', async () => {
    const member = await server.addUser(owner, Role.MEMBER);
    const asMember = await healthOf(member, stackId);
    expect(asMember).toEqual(await healthOf(owner, stackId));
    const node = dataOf(await server.request(ChannelHealthNodeDocument, { id: bad.id }, member.token)).node;
    expect(node).toEqual({ id: bad.id, health: { lastDeliveryOk: false, deadCount: 1 } });
    expect(good.id).not.toEqual(idle.id);
  });

  it('is not readable from another account, neither through the stack nor by the channel id', async () => {
    const stranger = await server.createAccount();
    expectError(
      await server.request(StackChannelHealthDocument, { id: stackId }, stranger.token),
      'NOT_FOUND',
    );
    for (const id of [good.id, bad.id]) {
      expect(dataOf(await server.request(ChannelHealthNodeDocument, { id }, stranger.token)).node).toBeNull();
    }
  });

  it('is read in one statement for all the channels of a stack, and only when asked for', async () => {
    const manager = server.app.dataSource.manager;
    const spy = jest.spyOn(manager, 'query');
    const healthStatements = () =>
      spy.mock.calls.filter(([sql]) => String(sql).includes('AS dead_count')).length;
    try {
      await healthOf(owner, stackId);
      expect(healthStatements()).toBe(1);
      spy.mockClear();
      dataOf(await server.request(StackChannelNamesDocument, { id: stackId }, owner.token));
      expect(healthStatements()).toBe(0);
    } finally {
      spy.mockRestore();
    }
  });

  it("finds each channel's newest delivery through the index of deliveries by channel", async () => {
    const manager = server.app.dataSource.manager;
    const spy = jest.spyOn(manager, 'query');
    await healthOf(owner, stackId);
    const call = spy.mock.calls.find(([sql]) => String(sql).includes('AS dead_count'))!;
    spy.mockRestore();
    const [sql, parameters] = call as [string, unknown[]];
    let plan: string;
    if (dialectOf(manager) === 'postgres') {
      plan = await server.app.dataSource.transaction(async (inner) => {
        await inner.query('SET LOCAL enable_seqscan = off');
        const rows = (await inner.query(`EXPLAIN ${sql}`, parameters)) as { 'QUERY PLAN': string }[];
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
    } else {
      const rows = (await manager.query(`EXPLAIN QUERY PLAN ${sql}`, parameters)) as { detail: string }[];
      plan = rows.map((row) => row.detail).join('\n');
    }
    expect(plan).toContain('ix_deliveries_target_created');
  });
});
