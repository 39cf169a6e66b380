// Incidents: a failure opens one per stack, family and subject, repeats join it, the recovery resolves it and says
// after how long (Slack text, webhook body, subscription); process and container incidents are resolved by hand;
// another account's incidents stay out of reach; the list pages; concurrent publishers on PostgreSQL open one.
// SQLite, or PostgreSQL with TEST_DATABASE_URL; the concurrent publishers always on PostgreSQL when it is there.
import { randomUUID } from 'node:crypto';
import { Role } from '../src/modules/accounts/user.entity';
import { Incident } from '../src/modules/incidents/incident.entity';
import { openOrJoinIncident } from '../src/modules/incidents/incidents.repository';
import {
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  IncidentNodeDocument,
  NoiseNotificationReceivedDocument,
  PublishNoiseEventDocument,
  ResolveIncidentDocument,
  StackIncidentsDocument,
  type EventType,
  type IncidentState,
} from './generated/graphql';
import { dataOf, errorCode } from './helpers/graphql';
import { startOtherInstance, startTestServer, type Session, type TestServer } from './helpers/server';
import { POSTGRES_URL, servicesAvailable } from './helpers/services';
import { eventually, subscribe } from './helpers/ws';
import { SlackPeer } from './peers/slack-peer';
import { WebhookPeer } from './peers/webhook-peer';

jest.setTimeout(60_000);

let server: TestServer;
let webhook: WebhookPeer;
let slack: SlackPeer;

beforeAll(async () => {
  [webhook, slack] = await Promise.all([WebhookPeer.start([]), SlackPeer.start()]);
  server = await startTestServer({ DELIVERY_POLL_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await server?.close();
  await Promise.all([webhook?.close(), slack?.close()]);
});

async function createStack(owner: Session, name = 'web'): Promise<string> {
  const { createStack } = dataOf(
    await server.request(CreateStackDocument, { input: { name, environment: 'production' } }, owner.token),
  );
  return createStack.id;
}

/** A stack whose events go to the Slack and webhook peers. */
async function chattyStack(owner: Session, name: string): Promise<string> {
  const stackId = await createStack(owner, name);
  dataOf(await server.request(ConfigureSlackDocument, { stackId, input: { url: slack.url } }, owner.token));
  const { configureWebhook } = dataOf(
    await server.request(ConfigureWebhookDocument, { stackId, input: { url: webhook.url } }, owner.token),
  );
  webhook.useSecrets([configureWebhook.signingSecret!]);
  return stackId;
}

async function publish(
  token: string,
  stackId: string,
  eventType: EventType,
  data: Record<string, unknown>,
  occurredAt?: Date,
) {
  return dataOf(
    await server.request(
      PublishNoiseEventDocument,
      { input: { stackId, eventType, data, occurredAt: occurredAt?.toISOString() } },
      token,
    ),
  ).publishEvent;
}

async function incidents(
  owner: Session,
  stackId: string,
  args: { state?: IncidentState; first?: number; after?: string } = {},
) {
  const { stack } = dataOf(
    await server.request(StackIncidentsDocument, { id: stackId, first: 20, ...args }, owner.token),
  );
  return stack.incidents;
}

async function webhookBodyOf(notificationId: string): Promise<Record<string, unknown>> {
  await eventually(() => webhook.verified.some((message) => message.id === notificationId), 30_000);
  return webhook.verified.find((message) => message.id === notificationId)!.payload;
}

describe('incidents', () => {
  it('pair server.stopped with server.backon of the same server: one incident, resolved, with its duration everywhere', async () => {
    const owner = await server.createAccount();
    const stackName = `pair-${Date.now()}`;
    const stackId = await chattyStack(owner, stackName);
    const subscriber = await subscribe(server.wsUrl, owner.token, NoiseNotificationReceivedDocument, {
      stackId,
    });
    try {
      const stoppedAt = new Date('2026-03-01T02:10:00.000Z');
      const stopped = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: 'db-1' }, stoppedAt);
      expect(stopped.incident).toMatchObject({
        family: 'server',
        subject: 'db-1',
        state: 'OPEN',
        openedAt: stoppedAt.toISOString(),
        resolvedAt: null,
        duration: null,
      });
      const backAt = new Date(stoppedAt.getTime() + 14 * 60_000);
      const back = await publish(owner.token, stackId, 'SERVER_BACKON', { server: 'db-1' }, backAt);
      expect(back.incident).toEqual({
        id: stopped.incident!.id,
        family: 'server',
        subject: 'db-1',
        state: 'RESOLVED',
        openedAt: stoppedAt.toISOString(),
        resolvedAt: backAt.toISOString(),
        duration: 14 * 60,
      });

      const live = await subscriber.waitFor(2, 30_000);
      expect(live.map((result) => result.notificationReceived)).toEqual([stopped, back]);

      const list = await incidents(owner, stackId);
      expect(list.edges).toHaveLength(1);
      expect(list.edges[0].node).toMatchObject({ ...back.incident, stack: { id: stackId } });
      expect(list.edges[0].node.notifications.nodes.map((node) => node.id)).toEqual([back.id, stopped.id]);

      // The webhook bodies carry the incident as each notification made it.
      expect(await webhookBodyOf(stopped.id)).toMatchObject({
        incident_id: stopped.incident!.id,
        incident_state: 'OPEN',
        severity: 'CRITICAL',
        outcome: 'FAILURE',
      });
      expect(await webhookBodyOf(back.id)).toMatchObject({
        incident_id: stopped.incident!.id,
        incident_state: 'RESOLVED',
        outcome: 'RECOVERY',
        incident: { duration: 14 * 60, resolvedAt: backAt.toISOString() },
      });
      // The recovery's Slack message says what it resolved and after how long.
      await eventually(
        () =>
          slack.messages.some((message) =>
            message.text?.includes(`[${stackName}] Server heartbeat restored`),
          ),
        30_000,
      );
      const recovery = slack.messages.find((message) =>
        message.text?.startsWith(`[${stackName}] Server heartbeat restored`),
      )!;
      expect(recovery.text).toContain('db-1 heartbeat restored after 14 min');
      expect(JSON.stringify(recovery.blocks)).toContain('db-1 heartbeat restored after 14 min');
    } finally {
      await subscriber.dispose();
    }
  });

  it('opens one incident per server, and a repeated failure joins the open one', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner);
    const first = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: 'db-1' });
    const other = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: 'db-2' });
    const again = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: 'db-1' });
    expect(other.incident!.id).not.toBe(first.incident!.id);
    expect(again.incident!.id).toBe(first.incident!.id);
    expect(again.incident!.state).toBe('OPEN');

    const open = await incidents(owner, stackId, { state: 'OPEN' });
    expect(open.edges.map((edge) => edge.node.subject).sort()).toEqual(['db-1', 'db-2']);
    const db1 = open.edges.find((edge) => edge.node.subject === 'db-1')!.node;
    expect(db1.notifications.nodes.map((node) => node.id)).toEqual([again.id, first.id]);

    // db-2 recovering leaves db-1 open; a recovery with nothing open belongs to no incident.
    const back = await publish(owner.token, stackId, 'SERVER_BACKON', { server: 'db-2' });
    expect(back.incident).toMatchObject({ id: other.incident!.id, state: 'RESOLVED' });
    const stray = await publish(owner.token, stackId, 'SERVER_BACKON', { server: 'db-3' });
    expect(stray.incident).toBeNull();
    expect(
      (await incidents(owner, stackId, { state: 'OPEN' })).edges.map((edge) => edge.node.subject),
    ).toEqual(['db-1']);
    expect(
      (await incidents(owner, stackId, { state: 'RESOLVED' })).edges.map((edge) => edge.node.subject),
    ).toEqual(['db-2']);

    // After a recovery, the next failure opens a new incident; informational events have none.
    const reopened = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: 'db-2' });
    expect(reopened.incident!.id).not.toBe(other.incident!.id);
    expect((await publish(owner.token, stackId, 'APP_AUTH', { app: 'x' })).incident).toBeNull();
  });

  it('pairs job.fail with job.backon by job, and redeploy failures with the next successful redeploy', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner);
    const failed = await publish(owner.token, stackId, 'JOB_FAIL', { job: 'nightly' });
    const otherJob = await publish(owner.token, stackId, 'JOB_BACKON', { job: 'hourly' });
    expect(otherJob.incident).toBeNull();
    const back = await publish(owner.token, stackId, 'JOB_BACKON', { job: 'nightly' });
    expect(back.incident).toMatchObject({ id: failed.incident!.id, family: 'job', state: 'RESOLVED' });

    const redeploy = await publish(owner.token, stackId, 'STACK_REDEPLOY_FAIL', { commit: 'abc' });
    const redeployAgain = await publish(owner.token, stackId, 'STACK_REDEPLOY_FAIL', { commit: 'def' });
    expect(redeployAgain.incident!.id).toBe(redeploy.incident!.id);
    expect(redeploy.incident).toMatchObject({ family: 'stack.redeploy', subject: '' });
    const ok = await publish(owner.token, stackId, 'STACK_REDEPLOY_OK', { commit: 'fed' });
    expect(ok.incident).toMatchObject({ id: redeploy.incident!.id, state: 'RESOLVED' });
  });

  it('resolves process and container incidents with resolveIncident only, once', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(owner);
    const down = await publish(owner.token, stackId, 'PROCESS_DOWN', { process: 'sidekiq' });
    const container = await publish(owner.token, stackId, 'CONTAINER_DOWN', { container: 'web-7' });
    expect(down.incident).toMatchObject({ family: 'process', subject: 'sidekiq', state: 'OPEN' });
    expect(container.incident).toMatchObject({ family: 'container', subject: 'web-7', state: 'OPEN' });

    const resolved = dataOf(
      await server.request(ResolveIncidentDocument, { id: down.incident!.id }, member.token),
    ).resolveIncident;
    expect(resolved).toMatchObject({
      id: down.incident!.id,
      state: 'RESOLVED',
      duration: expect.any(Number),
    });
    expect(resolved.resolvedAt).not.toBeNull();
    // Again: nothing changes.
    const again = dataOf(
      await server.request(ResolveIncidentDocument, { id: down.incident!.id }, owner.token),
    ).resolveIncident;
    expect(again).toEqual(resolved);
    // The next failure opens a new incident.
    const next = await publish(owner.token, stackId, 'PROCESS_DOWN', { process: 'sidekiq' });
    expect(next.incident!.id).not.toBe(down.incident!.id);
    expect(
      (await incidents(owner, stackId, { state: 'OPEN' })).edges.map((edge) => edge.node.id).sort(),
    ).toEqual([container.incident!.id, next.incident!.id].sort());
  });

  it("refuses another account's incident: NOT_FOUND to resolve, null by id, and changes nothing", async () => {
    const owner = await server.createAccount();
    const stranger = await server.createAccount();
    const stackId = await createStack(owner);
    const down = await publish(owner.token, stackId, 'CONTAINER_DOWN', { container: 'web-1' });
    const id = down.incident!.id;
    expect(errorCode(await server.request(ResolveIncidentDocument, { id }, stranger.token))).toBe(
      'NOT_FOUND',
    );
    expect(errorCode(await server.request(ResolveIncidentDocument, { id: 'nope' }, owner.token))).toBe(
      'NOT_FOUND',
    );
    expect(dataOf(await server.request(IncidentNodeDocument, { id }, stranger.token)).node).toBeNull();
    expect(dataOf(await server.request(IncidentNodeDocument, { id }, owner.token)).node).toMatchObject({
      __typename: 'Incident',
      id,
      state: 'OPEN',
    });
    expect((await incidents(owner, stackId)).edges[0].node.state).toBe('OPEN');
  });

  it('keeps a huge subject to an indexable size, still one incident per subject', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner);
    const huge = 'x'.repeat(30_000);
    const first = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: huge });
    const second = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: huge });
    const other = await publish(owner.token, stackId, 'SERVER_STOPPED', { server: `${huge}y` });
    expect(first.incident!.subject).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.incident!.id).toBe(first.incident!.id);
    expect(other.incident!.id).not.toBe(first.incident!.id);
    const objectSubject = await publish(owner.token, stackId, 'JOB_FAIL', { job: { name: 'a', shard: 2 } });
    expect(objectSubject.incident!.subject).toBe('{"name":"a","shard":2}');
  });

  it('lists incidents newest first in pages, forward and backward', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner);
    const base = Date.parse('2026-03-02T00:00:00.000Z');
    const ids: string[] = [];
    for (let index = 0; index < 5; index++) {
      const failed = await publish(
        owner.token,
        stackId,
        'JOB_FAIL',
        { job: `job-${index}` },
        new Date(base + index * 60_000),
      );
      ids.push(failed.incident!.id);
    }
    const newestFirst = [...ids].reverse();
    const firstPage = await incidents(owner, stackId, { first: 2 });
    expect(firstPage.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(0, 2));
    expect(firstPage.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const secondPage = await incidents(owner, stackId, { first: 2, after: firstPage.pageInfo.endCursor! });
    expect(secondPage.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(2, 4));
    const lastPage = await incidents(owner, stackId, { first: 2, after: secondPage.pageInfo.endCursor! });
    expect(lastPage.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(4));
    expect(lastPage.pageInfo.hasNextPage).toBe(false);
    const { stack } = dataOf(
      await server.request(
        StackIncidentsDocument,
        { id: stackId, last: 2, before: lastPage.pageInfo.startCursor! },
        owner.token,
      ),
    );
    expect(stack.incidents.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(2, 4));
    // A cursor of the list filtered by state is refused in the whole list.
    const open = await incidents(owner, stackId, { state: 'OPEN', first: 1 });
    expect(
      errorCode(
        await server.request(
          StackIncidentsDocument,
          { id: stackId, first: 1, after: open.pageInfo.endCursor! },
          owner.token,
        ),
      ),
    ).toBe('BAD_USER_INPUT');
  });
});

const describeOnPostgres = servicesAvailable({ postgres: true }) ? describe : describe.skip;

describeOnPostgres('incidents with concurrent publishers on PostgreSQL', () => {
  let pg: TestServer;

  beforeAll(async () => {
    pg = await startTestServer({ WORKERS: '0' }, { postgresAdminUrl: POSTGRES_URL });
  });
  afterAll(async () => {
    await pg?.close();
  });

  it('opens one incident when two instances publish the same failure at once', async () => {
    const other = await startOtherInstance(pg);
    try {
      const owner = await pg.createAccount();
      const { createStack } = dataOf(
        await pg.request(
          CreateStackDocument,
          { input: { name: 'race', environment: 'production' } },
          owner.token,
        ),
      );
      const stackId = createStack.id;
      const servers = Array.from({ length: 10 }, (_, index) => `db-${index}`);
      const publishOn = (instance: Pick<TestServer, 'request'>, server: string) =>
        instance
          .request(
            PublishNoiseEventDocument,
            { input: { stackId, eventType: 'SERVER_STOPPED', data: { server } } },
            owner.token,
          )
          .then((response) => dataOf(response).publishEvent);
      // Each server's failure is published by both instances at the same moment, several times over.
      const results = await Promise.all(
        servers.flatMap((server) => [
          publishOn(pg, server),
          publishOn(other, server),
          publishOn(pg, server),
          publishOn(other, server),
        ]),
      );
      for (const server of servers) {
        const ofServer = results.filter((result) => result.incident?.subject === server);
        expect(ofServer).toHaveLength(4);
        expect(new Set(ofServer.map((result) => result.incident!.id)).size).toBe(1);
      }
      const { stack } = dataOf(
        await pg.request(StackIncidentsDocument, { id: stackId, first: 20 }, owner.token),
      );
      expect(stack.incidents.edges).toHaveLength(servers.length);
      for (const edge of stack.incidents.edges) expect(edge.node.notifications.nodes).toHaveLength(4);
    } finally {
      await other.close();
    }
  });

  it('makes a failure that raced an uncommitted one wait for it and join its incident', async () => {
    const owner = await pg.createAccount();
    const { createStack } = dataOf(
      await pg.request(
        CreateStackDocument,
        { input: { name: 'wait', environment: 'production' } },
        owner.token,
      ),
    );
    const key = { stackId: createStack.id, family: 'server', subject: 'db-9' };
    const dataSource = pg.app.dataSource;
    const first = dataSource.createQueryRunner();
    const second = dataSource.createQueryRunner();
    try {
      await first.startTransaction();
      const opened = await openOrJoinIncident(first.manager, key, {
        id: randomUUID(),
        accountId: owner.accountId,
        openedAt: new Date(),
      });
      expect(opened.opened).toBe(true);
      await second.startTransaction();
      const joining = openOrJoinIncident(second.manager, key, {
        id: randomUUID(),
        accountId: owner.accountId,
        openedAt: new Date(),
      });
      // The second insert waits on the first transaction's entry in the unique index of open incidents.
      const waiting = async () =>
        Number(
          (
            (await dataSource.query(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'",
            )) as { n: string }[]
          )[0].n,
        );
      for (let tries = 0; (await waiting()) === 0; tries++) {
        if (tries > 500) throw new Error('the second insert never waited');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await first.commitTransaction();
      const joined = await joining;
      await second.commitTransaction();
      expect(joined).toEqual({ incident: opened.incident, opened: false });
      expect(await dataSource.getRepository(Incident).countBy({ stackId: key.stackId })).toBe(1);
    } finally {
      await first.release();
      await second.release();
    }
  });
});
