// Relay over the real server: connections read both ways with honest page info, keyset pages that new events do not
// shift, Query.node for every Node type within the viewer's rights, and bad connection arguments refused alike over
// HTTP and WebSocket.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { DeliveryAttempt } from '../src/modules/deliveries/delivery.entity';
import {
  ConfigureWebhookDocument,
  CreateApiTokenDocument,
  DeliveryPageDocument,
  MeDocument,
  NodeDocument,
  NodesDocument,
  NodeViewsDocument,
  NotificationPageDocument,
  PublishEventDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RevokeApiTokenDocument,
  SetEventPreferenceDocument,
  StackPageDocument,
  StackViewsDocument,
  type PageInfoFieldsFragment,
} from './generated/graphql';
import { dataOf, errorCode, type GraphQLResponse } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { apnsToken, createStack, webPushSubscription } from './helpers/settings-fixtures';
import { socketRequest } from './helpers/ws';

let server: TestServer;

beforeAll(async () => {
  // No delivery workers: deliveries stay as they were written, so their pages do not change under the test.
  server = await startTestServer({ WORKERS: '0' });
});
afterAll(async () => {
  await server?.close();
});

async function publish(
  token: string,
  stackId: string,
  eventType: 'JOB_FAIL' | 'STACK_REDEPLOY_OK' = 'JOB_FAIL',
) {
  return dataOf(
    await server.request(PublishEventDocument, { input: { stackId, eventType, data: { n: 1 } } }, token),
  ).publishEvent;
}

async function publishMany(token: string, stackId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let index = 0; index < count; index += 1) ids.push((await publish(token, stackId)).id);
  return ids;
}

interface Page {
  edges: { cursor: string; node: { id: string } }[];
  pageInfo: PageInfoFieldsFragment;
}

type PageArgs = { first?: number; after?: string; last?: number; before?: string };

/** One page of a connection, read with `token`. */
type ReadPage = (args: PageArgs) => Promise<Page>;

function notificationPages(stackId: string, token: string): ReadPage {
  return async (args) =>
    dataOf(await server.request(NotificationPageDocument, { id: stackId, ...args }, token)).stack
      .notifications;
}

function deliveryPages(stackId: string, token: string): ReadPage {
  return async (args) =>
    dataOf(await server.request(DeliveryPageDocument, { id: stackId, ...args }, token)).stack.deliveries;
}

function stackPages(token: string): ReadPage {
  return async (args) => dataOf(await server.request(StackPageDocument, args, token)).stacks;
}

/** The cursors a page reports are its own edges'. */
function expectCursorsOfEdges(page: Page): void {
  expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor ?? null);
  expect(page.pageInfo.endCursor).toBe(page.edges.at(-1)?.cursor ?? null);
}

/** Every page forward with first/after, checking each page's info; the pages in reading order. */
async function readForward(read: ReadPage, size: number): Promise<Page[]> {
  const pages: Page[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await read({ first: size, after });
    expectCursorsOfEdges(page);
    // Exact while paging forward with after: the earlier pages precede this one.
    expect(page.pageInfo.hasPreviousPage).toBe(pages.length > 0);
    pages.push(page);
    if (!page.pageInfo.hasNextPage) return pages;
    expect(page.edges).toHaveLength(size);
    after = page.pageInfo.endCursor!;
  }
}

/** Every page backward with last/before from the end of the list; the pages in reading order (oldest first). */
async function readBackward(read: ReadPage, size: number): Promise<Page[]> {
  const pages: Page[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await read({ last: size, before });
    expectCursorsOfEdges(page);
    // Exact while paging backward with before: the pages read so far follow this one.
    expect(page.pageInfo.hasNextPage).toBe(pages.length > 0);
    pages.push(page);
    if (!page.pageInfo.hasPreviousPage) return pages;
    expect(page.edges).toHaveLength(size);
    before = page.pageInfo.startCursor!;
  }
}

const idsOf = (pages: Page[]) => pages.flatMap((page) => page.edges.map((edge) => edge.node.id));
const cursorsOf = (pages: Page[]) => pages.flatMap((page) => page.edges.map((edge) => edge.cursor));

/** Reading backward gives the forward list's items in reverse, page by page, each page in the list's order. */
async function expectBothWaysAgree(read: ReadPage, total: number, size: number): Promise<string[]> {
  const forward = await readForward(read, size);
  const backward = await readBackward(read, size);
  expect(idsOf(forward)).toHaveLength(total);
  expect(new Set(idsOf(forward)).size).toBe(total);
  expect(idsOf([...backward].reverse())).toEqual(idsOf(forward));
  expect(cursorsOf([...backward].reverse())).toEqual(cursorsOf(forward));
  // The page sizes do not divide the list, so the two directions cut it in different places.
  expect(total % size).not.toBe(0);
  expect(backward[0].edges).toHaveLength(size);
  expect(forward.at(-1)!.edges).toHaveLength(total % size);
  return idsOf(forward);
}

describe('connections read backward', () => {
  it('give the notification history of forward pages in reverse, across page boundaries', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const published = await publishMany(owner.token, stackId, 7);
    const ids = await expectBothWaysAgree(notificationPages(stackId, owner.token), 7, 3);
    expect(ids).toEqual([...published].reverse());
  });

  it('give the deliveries of forward pages in reverse, including those that share a createdAt', async () => {
    const owner = await server.createAccount();
    await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/hook' } },
        owner.token,
      ),
    );
    // Each notification goes to the webhook and to both people's email: three deliveries with one createdAt.
    await publishMany(owner.token, stackId, 3);
    await expectBothWaysAgree(deliveryPages(stackId, owner.token), 9, 4);
  });

  it("give the account's stacks of forward pages in reverse", async () => {
    const owner = await server.createAccount();
    for (let index = 0; index < 5; index += 1) await createStack(server, owner, `stack-${index}`);
    await expectBothWaysAgree(stackPages(owner.token), 5, 2);
  });

  it('read the items just before a cursor with last and before, in the list order', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const published = await publishMany(owner.token, stackId, 6);
    const newestFirst = [...published].reverse();
    const read = notificationPages(stackId, owner.token);
    const whole = await read({ first: 6 });
    const page = await read({ last: 2, before: whole.edges[4].cursor });
    expect(page.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(2, 4));
    expect(page.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    // Without first or last, before alone reads backward: the page ends just before the cursor.
    const alone = await read({ before: whole.edges[2].cursor });
    expect(alone.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(0, 2));
    expect(alone.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    // Both cursors: only what lies between them.
    const between = await read({ first: 10, after: whole.edges[0].cursor, before: whole.edges[4].cursor });
    expect(between.edges.map((edge) => edge.node.id)).toEqual(newestFirst.slice(1, 4));
    expect(between.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: false });
  });

  it('report an empty list with no cursors and no neighbours either way', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    for (const args of [{}, { first: 5 }, { last: 5 }]) {
      expect(await notificationPages(stackId, owner.token)(args)).toEqual({
        edges: [],
        pageInfo: { hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
      });
    }
  });
});

describe('pages by keyset', () => {
  it('neither repeat nor skip items when new events arrive between reads, and lead back to the new ones', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const older = [...(await publishMany(owner.token, stackId, 5))].reverse();
    const read = notificationPages(stackId, owner.token);

    const first = await read({ first: 2 });
    expect(first.edges.map((edge) => edge.node.id)).toEqual(older.slice(0, 2));
    expect(first.pageInfo.hasPreviousPage).toBe(false);

    const newer = [...(await publishMany(owner.token, stackId, 3))].reverse();
    const second = await read({ first: 2, after: first.pageInfo.endCursor! });
    expect(second.edges.map((edge) => edge.node.id)).toEqual(older.slice(2, 4));
    // The new events now precede the pages read.
    expect(second.pageInfo.hasPreviousPage).toBe(true);

    const newer2 = [...(await publishMany(owner.token, stackId, 1))].reverse();
    const third = await read({ first: 2, after: second.pageInfo.endCursor! });
    expect(third.edges.map((edge) => edge.node.id)).toEqual(older.slice(4));
    expect(third.pageInfo.hasNextPage).toBe(false);

    // Backward from the first page's start: exactly the events that arrived since, in the list's order.
    const caughtUp = await read({ last: 10, before: first.pageInfo.startCursor! });
    expect(caughtUp.edges.map((edge) => edge.node.id)).toEqual([...newer2, ...newer]);
    expect(caughtUp.pageInfo).toMatchObject({ hasPreviousPage: false, hasNextPage: true });
    const inTwo = await read({ last: 2, before: first.pageInfo.startCursor! });
    expect(inTwo.edges.map((edge) => edge.node.id)).toEqual(newer.slice(1));
    expect(inTwo.pageInfo.hasPreviousPage).toBe(true);
  });
});

describe('bad connection arguments', () => {
  async function over(
    transport: 'HTTP' | 'WebSocket',
    token: string,
    stackId: string,
    args: PageArgs,
  ): Promise<GraphQLResponse<unknown>> {
    const variables = { id: stackId, ...args };
    if (transport === 'HTTP') return server.request(NotificationPageDocument, variables, token);
    return {
      status: 200,
      ...(await socketRequest(server.wsUrl, NotificationPageDocument, variables, token)),
    };
  }

  let owner: Session;
  let stackId: string;
  let otherStackCursor: string;
  let stacksCursor: string;
  beforeAll(async () => {
    owner = await server.createAccount();
    stackId = await createStack(server, owner);
    await publishMany(owner.token, stackId, 2);
    const otherStack = await createStack(server, owner, 'other');
    await publishMany(owner.token, otherStack, 1);
    otherStackCursor = (await notificationPages(otherStack, owner.token)({ first: 1 })).edges[0].cursor;
    stacksCursor = (await stackPages(owner.token)({ first: 1 })).edges[0].cursor;
  });

  const cases: [string, () => PageArgs, string, RegExp][] = [
    ['first with last', () => ({ first: 2, last: 2 }), 'last', /first and after, or backward with last/],
    ['a negative first', () => ({ first: -1 }), 'first', /between 1 and 100, not -1/],
    ['a negative last', () => ({ last: -5 }), 'last', /between 1 and 100, not -5/],
    ['last over the cap', () => ({ last: 101 }), 'last', /between 1 and 100, not 101/],
    ['a malformed before', () => ({ last: 2, before: 'bm90LWEtY3Vyc29y' }), 'before', /not a cursor/],
    ["another stack's cursor", () => ({ first: 2, after: otherStackCursor }), 'after', /not a cursor/],
    ["the stack list's cursor", () => ({ last: 2, before: stacksCursor }), 'before', /not a cursor/],
  ];

  for (const transport of ['HTTP', 'WebSocket'] as const) {
    it.each(cases)(
      `refuse %s over ${transport} with BAD_USER_INPUT naming it`,
      async (_name, args, field, message) => {
        const response = await over(transport, owner.token, stackId, args());
        expect(errorCode(response)).toBe('BAD_USER_INPUT');
        expect(response.errors![0].extensions!.field).toBe(field);
        expect(response.errors![0].message).toMatch(message);
        expect(response.data ?? null).toBeNull();
      },
    );
  }

  it("never reads another account's history with that account's cursor", async () => {
    const stranger = await server.createAccount();
    const strangerStack = await createStack(server, stranger);
    await publishMany(stranger.token, strangerStack, 2);
    const cursor = (await notificationPages(strangerStack, stranger.token)({ first: 1 })).pageInfo.endCursor!;
    expect(errorCode(await over('HTTP', owner.token, stackId, { first: 5, after: cursor }))).toBe(
      'BAD_USER_INPUT',
    );
    expect(
      errorCode(
        await server.request(NotificationPageDocument, { id: strangerStack, after: cursor }, owner.token),
      ),
    ).toBe('NOT_FOUND');
  });
});

describe('the cost of an operation', () => {
  it('counts a backward page by last as a forward one by first, and Query.nodes by its ids', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const nested = (count: string) =>
      `{ stacks(${count}) { nodes { notifications(${count}) { nodes { id title } } } } }`;
    for (const count of ['first: 100', 'last: 100']) {
      expect(errorCode(await server.request(nested(count), {}, owner.token))).toBe('QUERY_TOO_COMPLEX');
    }
    expect((await server.request(nested('last: 2'), {}, owner.token)).errors).toBeUndefined();

    const byIds = `query ($ids: [ID!]!) {
      nodes(ids: $ids) { ... on Stack { notifications(first: 100) { nodes { id title } } } }
    }`;
    const many = await server.request(byIds, { ids: Array(100).fill(stackId) }, owner.token);
    expect(errorCode(many)).toBe('QUERY_TOO_COMPLEX');
    expect((await server.request(byIds, { ids: [stackId, stackId] }, owner.token)).errors).toBeUndefined();
  });
});

describe('Query.node', () => {
  /** An account with a stack, a webhook, an ADMIN and a MEMBER, one notification and its deliveries. */
  async function accountWithEverything() {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner, 'shop');
    dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/hook' } },
        owner.token,
      ),
    );
    const notification = await publish(owner.token, stackId);
    const deliveries = dataOf(
      await server.request(DeliveryPageDocument, { id: stackId, first: 10 }, owner.token),
    ).stack.deliveries.edges.map((edge) => edge.node);
    const { me } = dataOf(await server.request(MeDocument, {}, owner.token));
    return { owner, admin, member, stackId, notification, deliveries, ownerTokenId: me.apiTokens[0].id };
  }

  async function node(id: string, token: string) {
    return dataOf(await server.request(NodeDocument, { id }, token)).node;
  }

  it('returns each Node type by its id, as its own fields show it', async () => {
    const { owner, stackId, notification, deliveries, ownerTokenId } = await accountWithEverything();
    expect(await node(stackId, owner.token)).toEqual({ __typename: 'Stack', id: stackId, name: 'shop' });
    expect(await node(notification.id, owner.token)).toEqual({
      __typename: 'Notification',
      id: notification.id,
      eventKey: 'job.fail',
      read: false,
      stack: { id: stackId },
    });
    const webhook = deliveries.find((delivery) => delivery.channel === 'WEBHOOK')!;
    expect(await node(webhook.id, owner.token)).toEqual({
      __typename: 'Delivery',
      id: webhook.id,
      channel: 'WEBHOOK',
      target: expect.any(String),
      notification: { id: notification.id },
    });
    expect(await node(owner.userId, owner.token)).toEqual({
      __typename: 'User',
      id: owner.userId,
      email: owner.email,
      role: 'OWNER',
    });
    expect(await node(owner.accountId, owner.token)).toMatchObject({
      __typename: 'Account',
      id: owner.accountId,
    });
    expect(await node(ownerTokenId, owner.token)).toEqual({
      __typename: 'ApiToken',
      id: ownerTokenId,
      name: 'bootstrap',
      revokedAt: null,
    });
  });

  it('answers null for every id of another account, whatever its type', async () => {
    const mine = await accountWithEverything();
    const theirs = await accountWithEverything();
    const ids = [
      theirs.stackId,
      theirs.notification.id,
      theirs.deliveries[0].id,
      theirs.owner.userId,
      theirs.owner.accountId,
      theirs.ownerTokenId,
    ];
    for (const id of ids) expect(await node(id, mine.owner.token)).toBeNull();
    const { nodes } = dataOf(
      await server.request(NodesDocument, { ids: [mine.stackId, ...ids] }, mine.owner.token),
    );
    expect(nodes).toEqual([
      expect.objectContaining({ id: mine.stackId }),
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
  });

  it('answers null for unknown and malformed ids', async () => {
    const { owner } = await accountWithEverything();
    for (const id of [
      '0190c1f2-7a1e-7cc0-8b1a-5f0e6a9d2c11',
      'not an id',
      '',
      'Stack:x',
      'EmailChannel:a:b',
      'x'.repeat(5000),
    ]) {
      expect(await node(id, owner.token)).toBeNull();
    }
  });

  it('shows a MEMBER what a MEMBER may see: shared deliveries and their own, their own tokens', async () => {
    const { owner, member, stackId, notification, deliveries, ownerTokenId } = await accountWithEverything();
    const webhook = deliveries.find((delivery) => delivery.channel === 'WEBHOOK')!;
    const ownerEmail = deliveries.find((delivery) => delivery.target === owner.email)!;
    const memberEmail = deliveries.find((delivery) => delivery.target === member.email)!;
    expect(await node(stackId, member.token)).toMatchObject({ id: stackId });
    expect(await node(notification.id, member.token)).toMatchObject({ id: notification.id });
    expect(await node(owner.userId, member.token)).toMatchObject({ id: owner.userId });
    expect(await node(webhook.id, member.token)).toMatchObject({ id: webhook.id });
    expect(await node(memberEmail.id, member.token)).toMatchObject({ id: memberEmail.id });
    expect(await node(ownerEmail.id, member.token)).toBeNull();
    expect(await node(ownerTokenId, member.token)).toBeNull();
  });

  it("shows an ADMIN the account's deliveries and tokens", async () => {
    const { admin, member, deliveries, ownerTokenId } = await accountWithEverything();
    const memberEmail = deliveries.find((delivery) => delivery.target === member.email)!;
    expect(await node(memberEmail.id, admin.token)).toMatchObject({ id: memberEmail.id });
    expect(await node(ownerTokenId, admin.token)).toMatchObject({ __typename: 'ApiToken', id: ownerTokenId });
  });

  it('needs settings:read; a revoked token is UNAUTHENTICATED, and refused by a socket', async () => {
    const { owner, stackId } = await accountWithEverything();
    const publishOnly = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    expect(errorCode(await server.request(NodeDocument, { id: stackId }, publishOnly))).toBe('FORBIDDEN');

    const { createApiToken } = dataOf(
      await server.request(
        CreateApiTokenDocument,
        { input: { name: 'reader', scopes: ['SETTINGS_READ'] } },
        owner.token,
      ),
    );
    expect(await node(stackId, createApiToken.secret)).toMatchObject({ id: stackId });
    dataOf(await server.request(RevokeApiTokenDocument, { id: createApiToken.token.id }, owner.token));
    const refused = await server.request(NodeDocument, { id: stackId }, createApiToken.secret);
    expect(errorCode(refused)).toBe('UNAUTHENTICATED');
    expect(refused.data?.node ?? null).toBeNull();
    // A socket refuses bad credentials at connection_init, closing with 4403, before any operation runs.
    const overSocket = await socketRequest(
      server.wsUrl,
      NodeDocument,
      { id: stackId },
      createApiToken.secret,
    );
    expect(overSocket).toEqual({ closeCode: 4403 });
  });

  it('answers nodes in the order of the ids, refusing more than 100 ids', async () => {
    const { owner, stackId, notification } = await accountWithEverything();
    const { nodes } = dataOf(
      await server.request(
        NodesDocument,
        { ids: [notification.id, 'nothing', stackId, stackId] },
        owner.token,
      ),
    );
    expect(nodes.map((found) => found && [found.__typename, found.id])).toEqual([
      ['Notification', notification.id],
      null,
      ['Stack', stackId],
      ['Stack', stackId],
    ]);
    const tooMany = await server.request(NodesDocument, { ids: Array(101).fill(stackId) }, owner.token);
    expect(errorCode(tooMany)).toBe('BAD_USER_INPUT');
    expect(tooMany.errors![0].extensions!.field).toBe('ids');
  });
});

describe('Query.node of channels, preference rows and cells, attempts, devices and subscriptions', () => {
  /**
   * An account with a stack, Slack and a webhook, an ADMIN and a MEMBER who set a personal cell and registered a
   * phone and a browser, one notification and an attempt recorded for each of its deliveries.
   */
  async function accountWithViews() {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner, 'shop');
    dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/hook' } },
        owner.token,
      ),
    );
    dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'WEBHOOK', enabled: false },
        owner.token,
      ),
    );
    dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
        member.token,
      ),
    );
    dataOf(
      await server.request(
        RegisterIosDeviceDocument,
        { input: { token: apnsToken(), deviceName: 'phone' } },
        member.token,
      ),
    );
    dataOf(
      await server.request(
        RegisterWebPushSubscriptionDocument,
        { input: webPushSubscription() },
        member.token,
      ),
    );
    await publish(owner.token, stackId, 'STACK_REDEPLOY_OK');
    // No delivery worker runs: each delivery gets one attempt written as the worker writes them.
    const { stack } = dataOf(await server.request(StackViewsDocument, { id: stackId }, owner.token));
    const attempts = server.app.dataSource.getRepository(DeliveryAttempt);
    for (const [index, delivery] of stack.deliveries.nodes.entries()) {
      await attempts.insert({
        deliveryId: delivery.id,
        at: new Date(Date.UTC(2026, 0, 1, 0, 0, index)),
        durationMs: 12 + index,
        ok: false,
        statusCode: 500,
        responseExcerpt: `error ${index}`,
        error: null,
      });
    }
    return { owner, admin, member, stackId };
  }

  async function views(stackId: string, session: Session) {
    const { stack } = dataOf(await server.request(StackViewsDocument, { id: stackId }, session.token));
    return stack;
  }

  async function nodes(ids: string[], session: Session) {
    return dataOf(await server.request(NodeViewsDocument, { ids }, session.token)).nodes;
  }

  /** Every object of these kinds the stack's own fields show the viewer, by id, as they show it. */
  async function expectNodesAsShown(stackId: string, session: Session) {
    const stack = await views(stackId, session);
    const expected = new Map<string, unknown>();
    for (const channel of stack.channels) {
      expected.set(channel.id, channel);
      if (channel.__typename === 'IosChannel') {
        for (const { id, deviceTokenHint, deviceName, createdAt } of channel.devices) {
          expected.set(id, { __typename: 'IosDevice', id, deviceTokenHint, deviceName, createdAt });
        }
      }
      if (channel.__typename === 'BrowserChannel') {
        for (const subscription of channel.webPushSubscriptions) {
          expected.set(subscription.id, { __typename: 'WebPushSubscription', ...subscription });
        }
      }
    }
    for (const row of stack.preferences) {
      expected.set(row.id, { __typename: 'EventPreferenceRow', ...row });
      for (const cell of row.cells) expected.set(cell.id, { __typename: 'PreferenceCell', ...cell });
    }
    for (const delivery of stack.deliveries.nodes) {
      for (const attempt of delivery.attempts) {
        expected.set(attempt.id, { __typename: 'DeliveryAttempt', ...attempt });
      }
    }
    const ids = [...expected.keys()];
    for (let start = 0; start < ids.length; start += 100) {
      const batch = ids.slice(start, start + 100);
      // Each found as shown, its id the one asked for.
      expect(await nodes(batch, session)).toEqual(batch.map((id) => expected.get(id)));
    }
    return stack;
  }

  it('returns each as the stack shows it to the viewer, under the id it was asked for', async () => {
    const { owner, admin, member, stackId } = await accountWithViews();
    const memberView = await expectNodesAsShown(stackId, member);
    const ownerView = await expectNodesAsShown(stackId, owner);
    await expectNodesAsShown(stackId, admin);
    // What was checked: all six channels, the 14 rows of 6 cells, the member's devices and the attempts.
    expect(memberView.channels.map((channel) => channel.__typename).sort()).toEqual([
      'BrowserChannel',
      'EmailChannel',
      'HipchatChannel',
      'IosChannel',
      'SlackChannel',
      'WebhookChannel',
    ]);
    expect(memberView.preferences).toHaveLength(14);
    expect(memberView.deliveries.nodes.flatMap((delivery) => delivery.attempts).length).toBeGreaterThan(0);
    const memberIos = memberView.channels.find((channel) => channel.__typename === 'IosChannel');
    expect(memberIos && 'devices' in memberIos ? memberIos.devices : []).toHaveLength(1);
    // A webhook's URL is shown whole to an OWNER, as a hint to a MEMBER: node shows each the same.
    const webhookOf = (stack: typeof ownerView) =>
      stack.channels.find((channel) => channel.__typename === 'WebhookChannel');
    expect(webhookOf(ownerView)).toMatchObject({ url: 'http://127.0.0.1:9/hook' });
    expect(webhookOf(memberView)).toMatchObject({ url: null });
    const [ownerWebhook, memberWebhook] = await Promise.all([
      nodes([webhookOf(ownerView)!.id], owner),
      nodes([webhookOf(memberView)!.id], member),
    ]);
    expect(ownerWebhook).toEqual([webhookOf(ownerView)]);
    expect(memberWebhook).toEqual([webhookOf(memberView)]);
  });

  it("answers null for another user's personal channels, cells, rows, devices and subscriptions", async () => {
    const { owner, admin, member, stackId } = await accountWithViews();
    const memberView = await views(stackId, member);
    const ownerView = await views(stackId, owner);
    const personal = (stack: typeof memberView) => [
      ...stack.channels.filter((channel) => channel.scope === 'PERSONAL').map((channel) => channel.id),
      ...stack.preferences.map((row) => row.id),
      ...stack.preferences.flatMap((row) =>
        row.cells.filter((cell) => cell.scope === 'PERSONAL').map((cell) => cell.id),
      ),
      ...stack.channels.flatMap((channel) =>
        channel.__typename === 'IosChannel'
          ? channel.devices.map((device) => device.id)
          : channel.__typename === 'BrowserChannel'
            ? channel.webPushSubscriptions.map((subscription) => subscription.id)
            : [],
      ),
    ];
    const membersOwn = personal(memberView);
    // 3 channels, 14 rows, 14 x 3 cells, a device and a subscription.
    expect(membersOwn).toHaveLength(3 + 14 + 42 + 2);
    for (const viewer of [owner, admin]) {
      expect(await nodes(membersOwn, viewer)).toEqual(membersOwn.map(() => null));
    }
    const ownersOwn = personal(ownerView);
    expect(await nodes(ownersOwn, member)).toEqual(ownersOwn.map(() => null));
    // The shared ones are the same objects for everyone in the account.
    const shared = ownerView.channels
      .filter((channel) => channel.scope === 'SHARED')
      .map((channel) => channel.id);
    expect(
      memberView.channels.filter((channel) => channel.scope === 'SHARED').map((channel) => channel.id),
    ).toEqual(shared);
    expect((await nodes(shared, member)).map((found) => found?.id)).toEqual(shared);
  });

  it("answers null for a MEMBER's view of the attempts of someone else's personal delivery", async () => {
    const { owner, admin, member, stackId } = await accountWithViews();
    const all = (await views(stackId, owner)).deliveries.nodes;
    const ownerEmail = all.find((delivery) => delivery.target === owner.email)!;
    const memberEmail = all.find((delivery) => delivery.target === member.email)!;
    const webhook = all.find((delivery) => delivery.channel === 'WEBHOOK')!;
    const idsOf = (delivery: (typeof all)[number]) => delivery.attempts.map((attempt) => attempt.id);
    expect(idsOf(ownerEmail)).toHaveLength(1);
    expect(await nodes(idsOf(ownerEmail), member)).toEqual([null]);
    expect(
      (await nodes([...idsOf(memberEmail), ...idsOf(webhook)], member)).map((found) => found?.id),
    ).toEqual([...idsOf(memberEmail), ...idsOf(webhook)]);
    expect((await nodes(idsOf(memberEmail), admin)).map((found) => found?.id)).toEqual(idsOf(memberEmail));
  });

  it("answers null for every one of another account's, whoever of it asks", async () => {
    const mine = await accountWithViews();
    const theirs = await accountWithViews();
    const theirIds = async (session: Session) => {
      const stack = await views(theirs.stackId, session);
      return [
        ...stack.channels.map((channel) => channel.id),
        ...stack.preferences.flatMap((row) => [row.id, ...row.cells.map((cell) => cell.id)]),
        ...stack.deliveries.nodes.flatMap((delivery) => delivery.attempts.map((attempt) => attempt.id)),
        ...stack.channels.flatMap((channel) =>
          channel.__typename === 'IosChannel'
            ? channel.devices.map((device) => device.id)
            : channel.__typename === 'BrowserChannel'
              ? channel.webPushSubscriptions.map((subscription) => subscription.id)
              : [],
        ),
      ];
    };
    const ids = [...new Set([...(await theirIds(theirs.owner)), ...(await theirIds(theirs.member))])];
    expect(ids.length).toBeGreaterThan(100);
    for (const viewer of [mine.owner, mine.admin, mine.member]) {
      for (let start = 0; start < ids.length; start += 100) {
        const batch = ids.slice(start, start + 100);
        expect(await nodes(batch, viewer)).toEqual(batch.map(() => null));
      }
    }
  });

  it('answers null, with no error, for malformed derived ids', async () => {
    const { member, stackId } = await accountWithViews();
    const stack = await views(stackId, member);
    const attempt = stack.deliveries.nodes.flatMap((delivery) => delivery.attempts)[0].id;
    const me = member.userId;
    const malformed = [
      `SlackChannel:${stackId}:x`,
      `SlackChannel:${stackId.toUpperCase()}`,
      'SlackChannel:not-a-uuid',
      'SlackChannel:',
      `SlackChannel:${me}`,
      `EmailChannel:${stackId}`,
      `EmailChannel:${me}:${stackId}`,
      `EmailChannel:`,
      `PigeonChannel:${stackId}`,
      `Channel:${stackId}`,
      `PreferenceCell:${stackId}:NOT_AN_EVENT:SLACK`,
      `PreferenceCell:${stackId}:job.fail:SLACK`,
      `PreferenceCell:${stackId}:constructor:SLACK`,
      `PreferenceCell:${stackId}:JOB_FAIL:PIGEON`,
      `PreferenceCell:${stackId}:JOB_FAIL:slack`,
      `PreferenceCell:${stackId}:JOB_FAIL:SLACK:${me}`,
      `PreferenceCell:${stackId}:JOB_FAIL:EMAIL`,
      `PreferenceCell:${stackId}:JOB_FAIL:EMAIL:${me}:x`,
      `PreferenceCell:${stackId}:JOB_FAIL`,
      `PreferenceCell:not-a-uuid:JOB_FAIL:SLACK`,
      `PreferenceCell:${stackId}`,
      `EventPreferenceRow:${stackId}:JOB_FAIL`,
      `EventPreferenceRow:${stackId}:JOB_FAIL:${me}:x`,
      `EventPreferenceRow:${stackId}:PIGEON:${me}`,
      `EventPreferenceRow:not-a-uuid:JOB_FAIL:${me}`,
      `EventPreferenceRow:${stackId}`,
      'DeliveryAttempt:0',
      'DeliveryAttempt:-1',
      'DeliveryAttempt:01',
      'DeliveryAttempt:1.5',
      'DeliveryAttempt:1e3',
      'DeliveryAttempt:abc',
      'DeliveryAttempt:',
      'DeliveryAttempt:99999999999999999999999',
      'DeliveryAttempt:9007199254740993',
      `${attempt}:1`,
      `${attempt}0000000`,
      `IosDevice:${stackId}`,
      `WebPushSubscription:${stackId}`,
      `DeliveryAttempt:${stackId}`,
    ];
    expect(await nodes(malformed, member)).toEqual(malformed.map(() => null));
    for (const id of malformed.slice(0, 3)) {
      expect(dataOf(await server.request(NodeDocument, { id }, member.token)).node).toBeNull();
    }
  });
});
