import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { parse } from 'graphql';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  CreateStackDocument,
  MarkNotificationsReadDocument,
  NotificationReceivedDocument,
  PublishEventDocument,
  SetEventPreferenceDocument,
  StackNotificationsDocument,
} from './generated/graphql';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { eventually, subscribe, wsClient } from './helpers/ws';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

const listeners = () => server.app.services.bus.listenerCount();

async function accountWithStack(name = 'web') {
  const owner = await server.createAccount();
  const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
  const { createStack } = dataOf(
    await server.request(CreateStackDocument, { input: { name, environment: 'production' } }, owner.token),
  );
  return { owner, publisher, stackId: createStack.id };
}

function publish(
  token: string,
  stackId: string,
  eventType: 'STACK_REDEPLOY_OK' | 'JOB_FAIL' | 'CONTAINER_DOWN',
  extra = {},
) {
  return server.request(
    PublishEventDocument,
    { input: { stackId, eventType, data: { commit: 'abc123', server: 'web-1' }, ...extra } },
    token,
  );
}

describe('publishing an event', () => {
  it('returns the notification object with its wire key, title and epoch timestamp', async () => {
    const { publisher, stackId } = await accountWithStack();
    const { publishEvent } = dataOf(await publish(publisher, stackId, 'STACK_REDEPLOY_OK'));
    expect(publishEvent).toMatchObject({
      stack: { id: stackId, name: 'web', environment: 'production' },
      eventType: 'STACK_REDEPLOY_OK',
      eventKey: 'stack.redeploy.ok',
      title: 'Stack redeployed successfully',
      data: { commit: 'abc123', server: 'web-1' },
      read: false,
    });
    expect(publishEvent.timestamp).toBe(Math.floor(Date.parse(publishEvent.createdAt) / 1000));
  });

  it('needs the events:publish scope: a settings token is FORBIDDEN and nothing is written', async () => {
    const { owner, stackId } = await accountWithStack();
    const settingsOnly = await server.createToken(owner, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    expect(errorCode(await publish(settingsOnly, stackId, 'JOB_FAIL'))).toBe('FORBIDDEN');
    const { stack } = dataOf(await server.request(StackNotificationsDocument, { id: stackId }, owner.token));
    expect(stack.notifications.edges).toHaveLength(0);
  });

  it('refuses data over 64 KiB or not an object with BAD_USER_INPUT naming input.data', async () => {
    const { publisher, stackId } = await accountWithStack();
    const big = await publish(publisher, stackId, 'JOB_FAIL', { data: { log: 'x'.repeat(70 * 1024) } });
    expect(errorCode(big)).toBe('BAD_USER_INPUT');
    expect(big.errors![0].extensions!.field).toBe('input.data');
    expect(errorCode(await publish(publisher, stackId, 'JOB_FAIL', { data: [1, 2] }))).toBe('BAD_USER_INPUT');
  });

  it("answers NOT_FOUND for another account's stack", async () => {
    const { stackId } = await accountWithStack();
    const other = await accountWithStack();
    expect(errorCode(await publish(other.publisher, stackId, 'JOB_FAIL'))).toBe('NOT_FOUND');
  });

  it('returns the first notification for a repeated idempotency key and creates nothing new', async () => {
    const { owner, publisher, stackId } = await accountWithStack();
    const first = dataOf(await publish(publisher, stackId, 'JOB_FAIL', { idempotencyKey: 'deploy-42' }));
    const again = dataOf(await publish(publisher, stackId, 'JOB_FAIL', { idempotencyKey: 'deploy-42' }));
    expect(again.publishEvent.id).toBe(first.publishEvent.id);
    const { stack } = dataOf(await server.request(StackNotificationsDocument, { id: stackId }, owner.token));
    expect(stack.notifications.edges).toHaveLength(1);
    const repo = server.app.dataSource.getRepository('Delivery');
    expect(await repo.countBy({ notificationId: first.publishEvent.id })).toBe(
      await repo.countBy({ stackId }),
    );
  });

  it('accepts an idempotency key again once its 24 hours have passed', async () => {
    const { publisher, stackId } = await accountWithStack();
    const first = dataOf(await publish(publisher, stackId, 'JOB_FAIL', { idempotencyKey: 'nightly' }));
    await server.app.dataSource
      .getRepository('Notification')
      .update({ id: first.publishEvent.id }, { createdAt: new Date(Date.now() - 25 * 3600 * 1000) });
    const later = dataOf(await publish(publisher, stackId, 'JOB_FAIL', { idempotencyKey: 'nightly' }));
    expect(later.publishEvent.id).not.toBe(first.publishEvent.id);
  });

  it('writes the notification and its deliveries in one transaction: a failed write leaves nothing behind', async () => {
    const { owner, publisher, stackId } = await accountWithStack();
    const dataSource = server.app.dataSource;
    const postgres = server.database.kind === 'postgres';
    if (postgres) {
      await dataSource.query(
        `CREATE OR REPLACE FUNCTION refuse_delivery() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$ LANGUAGE plpgsql`,
      );
      await dataSource.query(
        'CREATE TRIGGER refuse_delivery BEFORE INSERT ON deliveries FOR EACH ROW EXECUTE FUNCTION refuse_delivery()',
      );
    } else {
      await dataSource.query(
        "CREATE TRIGGER refuse_delivery BEFORE INSERT ON deliveries BEGIN SELECT RAISE(ABORT, 'refused'); END",
      );
    }
    try {
      const subscriber = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {
        stackId,
      });
      await eventually(() => listeners() >= 1);
      expect(errorCode(await publish(publisher, stackId, 'JOB_FAIL'))).toBe('INTERNAL_SERVER_ERROR');
      expect(await dataSource.getRepository('Notification').countBy({ stackId })).toBe(0);
      expect(await dataSource.getRepository('Delivery').countBy({ stackId })).toBe(0);
      expect(subscriber.received).toHaveLength(0);
      await subscriber.dispose();
    } finally {
      await dataSource.query(
        postgres ? 'DROP TRIGGER refuse_delivery ON deliveries' : 'DROP TRIGGER refuse_delivery',
      );
    }
    dataOf(await publish(publisher, stackId, 'JOB_FAIL'));
  });

  it('writes one delivery per configured channel and recipient whose cell is on', async () => {
    const { owner, publisher, stackId } = await accountWithStack();
    const member = await server.addUser(owner, Role.MEMBER);
    dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
        member.token,
      ),
    );
    const { publishEvent } = dataOf(await publish(publisher, stackId, 'JOB_FAIL'));
    const rows = await server.app.dataSource
      .getRepository('Delivery')
      .findBy({ notificationId: publishEvent.id });
    expect(rows.map((row) => `${row.channel}:${row.targetLabel}`)).toEqual([`EMAIL:${owner.email}`]);
  });
});

describe('the notificationReceived subscription', () => {
  it('delivers an event published over HTTP by another token, the moment it happens', async () => {
    const { owner, publisher, stackId } = await accountWithStack();
    const before = listeners();
    const subscriber = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {});
    await eventually(() => listeners() === before + 1);
    const { publishEvent } = dataOf(await publish(publisher, stackId, 'STACK_REDEPLOY_OK'));
    const [received] = await subscriber.waitFor(1);
    expect(received.notificationReceived).toEqual({ ...publishEvent, browserAlert: true });
    await subscriber.dispose();
  });

  it('filters by stack and by event type', async () => {
    const { owner, publisher, stackId } = await accountWithStack('one');
    const { createStack: other } = dataOf(
      await server.request(
        CreateStackDocument,
        { input: { name: 'two', environment: 'staging' } },
        owner.token,
      ),
    );
    const before = listeners();
    const byStack = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, { stackId });
    const byType = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {
      eventTypes: ['CONTAINER_DOWN'],
    });
    await eventually(() => listeners() === before + 2);
    dataOf(await publish(publisher, other.id, 'JOB_FAIL'));
    dataOf(await publish(publisher, stackId, 'JOB_FAIL'));
    dataOf(await publish(publisher, other.id, 'CONTAINER_DOWN'));
    const [stackOnly] = await byStack.waitFor(1);
    const [typeOnly] = await byType.waitFor(1);
    expect(stackOnly.notificationReceived).toMatchObject({ stack: { id: stackId }, eventType: 'JOB_FAIL' });
    expect(typeOnly.notificationReceived).toMatchObject({
      stack: { id: other.id },
      eventType: 'CONTAINER_DOWN',
    });
    // A later event proves the earlier ones were filtered rather than late.
    dataOf(await publish(publisher, stackId, 'CONTAINER_DOWN'));
    await byStack.waitFor(2);
    await byType.waitFor(2);
    expect(byStack.received).toHaveLength(2);
    expect(byType.received).toHaveLength(2);
    await Promise.all([byStack.dispose(), byType.dispose()]);
  });

  it("never shows another account's notifications", async () => {
    const mine = await accountWithStack();
    const theirs = await accountWithStack();
    const before = listeners();
    const foreign = await subscribe(server.wsUrl, theirs.owner.token, NotificationReceivedDocument, {});
    const own = await subscribe(server.wsUrl, mine.owner.token, NotificationReceivedDocument, {});
    await eventually(() => listeners() === before + 2);
    dataOf(await publish(mine.publisher, mine.stackId, 'JOB_FAIL'));
    await own.waitFor(1);
    dataOf(await publish(theirs.publisher, theirs.stackId, 'JOB_FAIL'));
    await foreign.waitFor(1);
    expect(foreign.received.map((r) => r.notificationReceived.stack.id)).toEqual([theirs.stackId]);
    await Promise.all([foreign.dispose(), own.dispose()]);
  });

  it('refuses a stackId of another account with NOT_FOUND', async () => {
    const mine = await accountWithStack();
    const theirs = await accountWithStack();
    const subscriber = await subscribe(server.wsUrl, theirs.owner.token, NotificationReceivedDocument, {
      stackId: mine.stackId,
    });
    await eventually(() => subscriber.errors.length > 0);
    expect(JSON.stringify(subscriber.errors)).toContain('NOT_FOUND');
    await subscriber.dispose();
  });

  it.each([
    ['no token', null],
    ['an unknown token', 'sn_not-a-real-token'],
  ])('closes the connection with 4403 when connection_init carries %s', async (_label, token) => {
    let code = 0;
    const client = wsClient(server.wsUrl, token, { onClose: (closeCode) => (code = closeCode) });
    await new Promise<void>((resolve) => {
      client.subscribe(
        { query: 'subscription { notificationReceived { id } }' },
        { next: () => {}, error: () => resolve(), complete: () => resolve() },
      );
    });
    expect(code).toBe(4403);
    await client.dispose();
  });

  it('closes with 4403 for a revoked token', async () => {
    const { owner } = await accountWithStack();
    const { viewer } = (await server.app.services.tokens.authenticate(`Bearer ${owner.token}`)) as {
      viewer: Parameters<typeof server.app.services.tokens.revoke>[0];
    };
    await server.app.services.tokens.revoke(viewer, viewer.tokenId);
    let code = 0;
    const client = wsClient(server.wsUrl, owner.token, { onClose: (closeCode) => (code = closeCode) });
    await new Promise<void>((resolve) => {
      client.subscribe(
        { query: 'subscription { notificationReceived { id } }' },
        { next: () => {}, error: () => resolve(), complete: () => resolve() },
      );
    });
    expect(code).toBe(4403);
    await client.dispose();
  });

  it('gives each of 100 subscribers exactly one copy', async () => {
    const { owner, publisher, stackId } = await accountWithStack();
    const before = listeners();
    const subscribers = await Promise.all(
      Array.from({ length: 100 }, () =>
        subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, { stackId }),
      ),
    );
    await eventually(() => listeners() === before + 100);
    const { publishEvent } = dataOf(await publish(publisher, stackId, 'JOB_FAIL'));
    // A second event is the marker: once it arrives, a duplicate of the first would have too.
    const { publishEvent: marker } = dataOf(await publish(publisher, stackId, 'CONTAINER_DOWN'));
    await Promise.all(subscribers.map((subscriber) => subscriber.waitFor(2)));
    for (const subscriber of subscribers) {
      expect(subscriber.received.map((r) => r.notificationReceived.id)).toEqual([publishEvent.id, marker.id]);
    }
    await Promise.all(subscribers.map((subscriber) => subscriber.dispose()));
    await eventually(() => listeners() === before);
  });

  it('frees its listener when the client unsubscribes or the socket closes', async () => {
    const { owner, stackId } = await accountWithStack();
    const before = listeners();
    const first = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, { stackId });
    const second = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {});
    await eventually(() => listeners() === before + 2);
    await first.dispose();
    await eventually(() => listeners() === before + 1);
    // Terminating the socket without a complete message still frees the subscription.
    second.client.terminate();
    await eventually(() => listeners() === before);
  });

  it("gives each subscriber the stack's fields as that subscriber sees them: a viewer's own are never shared", async () => {
    const { owner, publisher, stackId } = await accountWithStack();
    const member = await server.addUser(owner, Role.MEMBER);
    const document = parse(`
      subscription WithAddress($stackId: ID) {
        notificationReceived(stackId: $stackId) {
          id
          stackName
          stack {
            id
            name
            channels {
              kind
              ... on EmailChannel {
                address
              }
            }
          }
        }
      }
    `) as TypedDocumentNode<
      {
        notificationReceived: {
          id: string;
          stackName: string;
          stack: { id: string; name: string; channels: { kind: string; address?: string }[] };
        };
      },
      { stackId: string }
    >;
    const before = listeners();
    const subscribers = [
      await subscribe(server.wsUrl, owner.token, document, { stackId }),
      await subscribe(server.wsUrl, member.token, document, { stackId }),
    ];
    await eventually(() => listeners() === before + 2);
    const { publishEvent } = dataOf(await publish(publisher, stackId, 'JOB_FAIL'));
    const addresses: string[] = [];
    for (const subscriber of subscribers) {
      const [{ notificationReceived }] = await subscriber.waitFor(1);
      expect(notificationReceived).toMatchObject({
        id: publishEvent.id,
        stackName: 'web',
        stack: { id: stackId, name: 'web' },
      });
      addresses.push(
        notificationReceived.stack.channels.find((channel) => channel.kind === 'EMAIL')!.address!,
      );
      await subscriber.dispose();
    }
    expect(addresses).toEqual([owner.email, member.email]);
  });

  it("sets browserAlert from the viewer's own BROWSER cell", async () => {
    const { owner, publisher, stackId } = await accountWithStack();
    const member = await server.addUser(owner, Role.MEMBER);
    dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'BROWSER', enabled: false },
        member.token,
      ),
    );
    const before = listeners();
    const ownerSub = await subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, { stackId });
    const memberSub = await subscribe(server.wsUrl, member.token, NotificationReceivedDocument, { stackId });
    await eventually(() => listeners() === before + 2);
    dataOf(await publish(publisher, stackId, 'JOB_FAIL'));
    const [ownerGot] = await ownerSub.waitFor(1);
    const [memberGot] = await memberSub.waitFor(1);
    expect(ownerGot.notificationReceived.browserAlert).toBe(true);
    expect(memberGot.notificationReceived.browserAlert).toBe(false);
    await Promise.all([ownerSub.dispose(), memberSub.dispose()]);
  });
});

describe('the notification history', () => {
  async function publishMany(session: { publisher: string; stackId: string }, count: number) {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const { publishEvent } = dataOf(
        await publish(session.publisher, session.stackId, index % 2 ? 'JOB_FAIL' : 'STACK_REDEPLOY_OK'),
      );
      ids.push(publishEvent.id);
    }
    return ids;
  }

  it('pages newest first with cursors and filters by event type', async () => {
    const session = await accountWithStack();
    const ids = await publishMany(session, 5);
    const first = dataOf(
      await server.request(
        StackNotificationsDocument,
        { id: session.stackId, first: 2 },
        session.owner.token,
      ),
    );
    expect(first.stack.notifications.edges.map((e) => e.node.id)).toEqual([ids[4], ids[3]]);
    expect(first.stack.notifications.pageInfo.hasNextPage).toBe(true);
    const rest = dataOf(
      await server.request(
        StackNotificationsDocument,
        { id: session.stackId, first: 10, after: first.stack.notifications.pageInfo.endCursor },
        session.owner.token,
      ),
    );
    expect(rest.stack.notifications.edges.map((e) => e.node.id)).toEqual([ids[2], ids[1], ids[0]]);
    expect(rest.stack.notifications.pageInfo.hasNextPage).toBe(false);
    const jobs = dataOf(
      await server.request(
        StackNotificationsDocument,
        { id: session.stackId, eventTypes: ['JOB_FAIL'] },
        session.owner.token,
      ),
    );
    expect(jobs.stack.notifications.edges.map((e) => e.node.id)).toEqual([ids[3], ids[1]]);
  });

  it('keeps read state per user: single notifications, then all', async () => {
    const session = await accountWithStack();
    const member: Session = await server.addUser(session.owner, Role.MEMBER);
    const ids = await publishMany(session, 4);
    const marked = dataOf(
      await server.request(
        MarkNotificationsReadDocument,
        { stackId: session.stackId, ids: [ids[0], ids[2]] },
        session.owner.token,
      ),
    );
    expect(marked.markNotificationsRead).toEqual({
      stack: { id: session.stackId, unreadCount: 2 },
      notifications: [
        { id: ids[0], read: true },
        { id: ids[2], read: true },
      ],
      truncated: false,
    });
    const unread = dataOf(
      await server.request(
        StackNotificationsDocument,
        { id: session.stackId, unreadOnly: true },
        session.owner.token,
      ),
    );
    expect(unread.stack.notifications.edges.map((e) => e.node.id)).toEqual([ids[3], ids[1]]);
    const all = dataOf(
      await server.request(StackNotificationsDocument, { id: session.stackId }, session.owner.token),
    );
    expect(all.stack.notifications.edges.map((e) => e.node.read)).toEqual([false, true, false, true]);
    const memberView = dataOf(
      await server.request(StackNotificationsDocument, { id: session.stackId }, member.token),
    );
    expect(memberView.stack.unreadCount).toBe(4);

    const allRead = dataOf(
      await server.request(MarkNotificationsReadDocument, { stackId: session.stackId }, session.owner.token),
    );
    // Marking all returns what it changed: the two still unread, newest first.
    expect(allRead.markNotificationsRead).toEqual({
      stack: { id: session.stackId, unreadCount: 0 },
      notifications: [
        { id: ids[3], read: true },
        { id: ids[1], read: true },
      ],
      truncated: false,
    });
    const [newer] = await publishMany(session, 1);
    const after = dataOf(
      await server.request(
        StackNotificationsDocument,
        { id: session.stackId, unreadOnly: true },
        session.owner.token,
      ),
    );
    expect(after.stack.unreadCount).toBe(1);
    expect(after.stack.notifications.edges.map((e) => e.node.id)).toEqual([newer]);
  });

  it('marking all read lists at most the newest 100 it changed, and says there were more', async () => {
    const session = await accountWithStack();
    const ids = await publishMany(session, 102);
    dataOf(
      await server.request(
        MarkNotificationsReadDocument,
        { stackId: session.stackId, ids: [ids[101]] },
        session.owner.token,
      ),
    );
    const { markNotificationsRead } = dataOf(
      await server.request(MarkNotificationsReadDocument, { stackId: session.stackId }, session.owner.token),
    );
    expect(markNotificationsRead.truncated).toBe(true);
    expect(markNotificationsRead.notifications.map((each) => each.id)).toEqual(ids.slice(1, 101).reverse());
    expect(markNotificationsRead.notifications.every((each) => each.read)).toBe(true);
    expect(markNotificationsRead.stack.unreadCount).toBe(0);
    const again = dataOf(
      await server.request(MarkNotificationsReadDocument, { stackId: session.stackId }, session.owner.token),
    );
    expect(again.markNotificationsRead).toMatchObject({ notifications: [], truncated: false });
  });

  it("refuses to mark another stack's notification read with NOT_FOUND", async () => {
    const mine = await accountWithStack();
    const theirs = await accountWithStack();
    const [id] = await publishMany(theirs, 1);
    expect(
      errorCode(
        await server.request(
          MarkNotificationsReadDocument,
          { stackId: mine.stackId, ids: [id] },
          mine.owner.token,
        ),
      ),
    ).toBe('NOT_FOUND');
  });
});
