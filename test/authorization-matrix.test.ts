// Every query, mutation and subscription of the schema, each with its rule (public, or a scope and a role), run as
// every kind of caller that must be refused: no token, a malformed one, an unknown one, a revoked one, one without
// the scope, a MEMBER where OWNER or ADMIN is needed, another account's. Each gets its code, learns nothing of the
// account, and changes nothing. A new operation without a row in the table fails the first test.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { randomBytes } from 'node:crypto';
import { Kind, OperationTypeNode, print, type OperationDefinitionNode } from 'graphql';
import { CloseCode, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ALL_SCOPES, Scope } from '../src/modules/accounts/api-token.entity';
import { Role, User } from '../src/modules/accounts/user.entity';
import { createSchema } from '../src/schema';
import {
  AddUserDocument,
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateApiTokenDocument,
  CreateStackDocument,
  DeleteStackDocument,
  EventTypesDocument,
  MarkNotificationsReadDocument,
  MeDocument,
  NotificationReceivedDocument,
  PublishEventDocument,
  RedeliverDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  RemoveUserDocument,
  RevokeApiTokenDocument,
  RotateWebhookSecretDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  SetUserRoleDocument,
  StackDeliveriesDocument,
  StackDocument,
  StacksDocument,
  TestChannelDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  UpdateStackDocument,
  VapidPublicKeyDocument,
} from './generated/graphql';
import { databaseFingerprint } from './helpers/database-fingerprint';
import { dataOf, graphqlRequest, type GraphQLResponse } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { apnsToken, webPushSubscription } from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  // No delivery worker: the outbox rows a fixture creates stay as they are, so "nothing changed" is exact.
  // Callers without a token have a smaller cost budget (abuse.test.ts); here every caller gets the same one, so each
  // refusal is about who is asking.
  server = await startTestServer({ WORKERS: '0', GRAPHQL_MAX_COST_ANONYMOUS: '5000' });
});
afterAll(async () => {
  await server?.close();
});

/** Nothing listens there: channels are configured but every send fails at once. */
const DEAD_END = 'http://127.0.0.1:9';

/** Account A with something of every kind, named so that any of it in a response is recognisable. */
async function accountA() {
  const tag = randomBytes(4).toString('hex');
  const owner = await server.createAccount(`account-a-${tag}`, `owner-${tag}@a.example`);
  const admin = await server.addUser(owner, Role.ADMIN);
  const member = await server.addUser(owner, Role.MEMBER);
  const request = <R, V>(document: TypedDocumentNode<R, V>, variables: V, token = owner.token) =>
    server.request(document, variables, token).then(dataOf);
  const stackName = `vault-${tag}`;
  const { createStack } = await request(CreateStackDocument, {
    input: { name: stackName, environment: `env-${tag}` },
  });
  const stackId = createStack.id;
  const room = `room-${tag}`;
  await request(ConfigureHipchatDocument, { stackId, input: { token: `hipchat${tag}`, room } });
  await request(ConfigureSlackDocument, {
    stackId,
    input: { url: `${DEAD_END}/services/${tag}`, channel: `#c-${tag}` },
  });
  await request(ConfigureWebhookDocument, { stackId, input: { url: `${DEAD_END}/hook-${tag}` } });
  const { publishEvent } = await request(PublishEventDocument, {
    input: { stackId, eventType: 'JOB_FAIL', data: { job: `job-${tag}` } },
  });
  const { stack } = await request(StackDeliveriesDocument, { id: stackId, first: 100, channel: 'WEBHOOK' });
  const webhookDelivery = stack.deliveries.edges[0].node.id;
  const device = apnsToken();
  await request(
    RegisterIosDeviceDocument,
    { input: { token: device, deviceName: `phone-${tag}` } },
    member.token,
  );
  const subscription = webPushSubscription();
  await request(RegisterWebPushSubscriptionDocument, { input: subscription }, member.token);
  const memberUser = await server.app.dataSource.getRepository(User).findOneByOrFail({ id: member.userId });
  const { token: memberSpareToken } = await server.app.services.tokens.create(
    memberUser,
    `spare-${tag}`,
    ALL_SCOPES,
  );
  return {
    tag,
    owner,
    admin,
    member,
    stackId,
    notificationId: publishEvent.id,
    webhookDelivery,
    device,
    endpoint: subscription.endpoint,
    memberSpareTokenId: memberSpareToken.id,
    /** What must never appear in an answer to anyone outside account A (unless the request itself named it). */
    markers: [
      tag,
      stackId,
      publishEvent.id,
      webhookDelivery,
      owner.userId,
      admin.userId,
      member.userId,
      owner.accountId,
      memberSpareToken.id,
    ],
  };
}

type AccountA = Awaited<ReturnType<typeof accountA>>;

type Rule =
  | { public: true }
  | {
      scope: Scope;
      /** The least role allowed: MEMBER (anyone in the account) or ADMIN (OWNER or ADMIN). */
      role: Role.MEMBER | Role.ADMIN;
      /**
       * What another account's token gets: NOT_FOUND when the operation names something of account A, OWN_ACCOUNT
       * when it only acts on the caller's own account (and must show nothing of A).
       */
      foreign: 'NOT_FOUND' | 'OWN_ACCOUNT';
    };

interface MatrixEntry {
  rule: Rule;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  document: TypedDocumentNode<any, any>;
  /** Valid variables for account A (a fresh value each call where uniqueness matters). */
  variables(a: AccountA): Record<string, unknown>;
}

const read = (role: Role.MEMBER | Role.ADMIN, foreign: 'NOT_FOUND' | 'OWN_ACCOUNT') =>
  ({ scope: Scope.SETTINGS_READ, role, foreign }) as const;
const write = (role: Role.MEMBER | Role.ADMIN, foreign: 'NOT_FOUND' | 'OWN_ACCOUNT') =>
  ({ scope: Scope.SETTINGS_WRITE, role, foreign }) as const;

/** One row per operation of the schema, keyed by its field name. */
const matrix: Record<string, MatrixEntry> = {
  // Queries
  eventTypes: { rule: { public: true }, document: EventTypesDocument, variables: () => ({}) },
  me: { rule: read(Role.MEMBER, 'OWN_ACCOUNT'), document: MeDocument, variables: () => ({}) },
  stack: {
    rule: read(Role.MEMBER, 'NOT_FOUND'),
    document: StackDocument,
    variables: (a) => ({ id: a.stackId }),
  },
  stacks: {
    rule: read(Role.MEMBER, 'OWN_ACCOUNT'),
    document: StacksDocument,
    variables: () => ({ first: 100 }),
  },
  vapidPublicKey: {
    rule: read(Role.MEMBER, 'OWN_ACCOUNT'),
    document: VapidPublicKeyDocument,
    variables: () => ({}),
  },
  // Mutations
  addUser: {
    rule: write(Role.ADMIN, 'OWN_ACCOUNT'),
    document: AddUserDocument,
    variables: () => ({
      input: { email: `new-${randomBytes(4).toString('hex')}@example.com`, name: 'New', role: 'MEMBER' },
    }),
  },
  configureHipchat: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: ConfigureHipchatDocument,
    variables: (a) => ({ stackId: a.stackId, input: { token: 'otherToken1', room: 'other' } }),
  },
  configureSlack: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: ConfigureSlackDocument,
    variables: (a) => ({ stackId: a.stackId, input: { url: `${DEAD_END}/services/other` } }),
  },
  configureWebhook: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: ConfigureWebhookDocument,
    variables: (a) => ({ stackId: a.stackId, input: { url: `${DEAD_END}/other` } }),
  },
  createApiToken: {
    rule: write(Role.MEMBER, 'OWN_ACCOUNT'),
    document: CreateApiTokenDocument,
    variables: () => ({ input: { name: 'extra', scopes: ['SETTINGS_READ'] } }),
  },
  createStack: {
    rule: write(Role.ADMIN, 'OWN_ACCOUNT'),
    document: CreateStackDocument,
    variables: () => ({ input: { name: 'another', environment: 'staging' } }),
  },
  deleteStack: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: DeleteStackDocument,
    variables: (a) => ({ id: a.stackId }),
  },
  markNotificationsRead: {
    rule: read(Role.MEMBER, 'NOT_FOUND'),
    document: MarkNotificationsReadDocument,
    variables: (a) => ({ stackId: a.stackId, ids: [a.notificationId] }),
  },
  publishEvent: {
    rule: { scope: Scope.EVENTS_PUBLISH, role: Role.MEMBER, foreign: 'NOT_FOUND' },
    document: PublishEventDocument,
    variables: (a) => ({ input: { stackId: a.stackId, eventType: 'APP_AUTH', data: { by: 'matrix' } } }),
  },
  redeliver: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: RedeliverDocument,
    variables: (a) => ({ deliveryId: a.webhookDelivery }),
  },
  registerIosDevice: {
    rule: write(Role.MEMBER, 'OWN_ACCOUNT'),
    document: RegisterIosDeviceDocument,
    variables: () => ({ input: { token: apnsToken(), deviceName: 'new phone' } }),
  },
  registerWebPushSubscription: {
    rule: write(Role.MEMBER, 'OWN_ACCOUNT'),
    document: RegisterWebPushSubscriptionDocument,
    variables: () => ({ input: webPushSubscription() }),
  },
  removeChannel: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: RemoveChannelDocument,
    variables: (a) => ({ stackId: a.stackId, kind: 'WEBHOOK' }),
  },
  removeUser: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: RemoveUserDocument,
    variables: (a) => ({ userId: a.member.userId }),
  },
  revokeApiToken: {
    // A MEMBER revokes their own tokens; the token named here is the member's.
    rule: write(Role.MEMBER, 'NOT_FOUND'),
    document: RevokeApiTokenDocument,
    variables: (a) => ({ id: a.memberSpareTokenId }),
  },
  rotateWebhookSecret: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: RotateWebhookSecretDocument,
    variables: (a) => ({ stackId: a.stackId }),
  },
  setEventPreference: {
    // A shared channel's cell: OWNER or ADMIN (a personal cell is anyone's own).
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: SetEventPreferenceDocument,
    variables: (a) => ({ stackId: a.stackId, eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false }),
  },
  setEventPreferences: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: SetEventPreferencesDocument,
    variables: (a) => ({
      stackId: a.stackId,
      changes: [{ eventType: 'JOB_FAIL', channel: 'WEBHOOK', enabled: false }],
    }),
  },
  setUserRole: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: SetUserRoleDocument,
    variables: (a) => ({ userId: a.member.userId, role: 'ADMIN' }),
  },
  testChannel: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: TestChannelDocument,
    variables: (a) => ({ stackId: a.stackId, kind: 'WEBHOOK' }),
  },
  unregisterIosDevice: {
    rule: write(Role.MEMBER, 'NOT_FOUND'),
    document: UnregisterIosDeviceDocument,
    variables: (a) => ({ token: a.device }),
  },
  unregisterWebPushSubscription: {
    rule: write(Role.MEMBER, 'NOT_FOUND'),
    document: UnregisterWebPushSubscriptionDocument,
    variables: (a) => ({ endpoint: a.endpoint }),
  },
  updateStack: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: UpdateStackDocument,
    variables: (a) => ({ id: a.stackId, input: { name: 'renamed' } }),
  },
  // Subscriptions (over graphql-ws, below)
  notificationReceived: {
    rule: read(Role.MEMBER, 'NOT_FOUND'),
    document: NotificationReceivedDocument,
    variables: (a) => ({ stackId: a.stackId }),
  },
};

function rootField(entry: MatrixEntry): { type: OperationTypeNode; field: string } {
  const operation = entry.document.definitions.find(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  )!;
  const [selection] = operation.selectionSet.selections;
  if (selection.kind !== Kind.FIELD) throw new Error('the first selection of an operation must be its field');
  return { type: operation.operation, field: selection.name.value };
}

const httpEntries = Object.entries(matrix).filter(
  ([, entry]) => rootField(entry).type !== OperationTypeNode.SUBSCRIPTION,
);

/** The principals that must be refused, and the code each gets. */
interface Caller {
  name: string;
  token(a: AccountA): Promise<string | null>;
}

const unauthenticatedCallers: Caller[] = [
  { name: 'no token', token: async () => null },
  { name: 'a malformed token', token: async () => 'not-a-token-at-all' },
  { name: 'an unknown token', token: async () => `sn_${randomBytes(32).toString('base64url')}` },
  {
    name: 'a revoked token',
    token: async (a) => {
      const token = await server.createToken(a.owner, ALL_SCOPES);
      const auth = await server.app.services.tokens.authenticate(`Bearer ${token}`);
      if (!('viewer' in auth)) throw new Error('the token should work before it is revoked');
      await server.app.services.tokens.revoke(auth.viewer, auth.viewer.tokenId);
      return token;
    },
  },
];

/** The weakest caller the rule lets in: the MEMBER for MEMBER rules, an ADMIN (not the OWNER) for ADMIN rules. */
function holder(a: AccountA, rule: Exclude<Rule, { public: true }>): Session {
  return rule.role === Role.ADMIN ? a.admin : a.member;
}

function expectRefused(
  response: GraphQLResponse<unknown>,
  code: string,
  a: AccountA,
  variables: object,
): void {
  const codes = (response.errors ?? []).map((error) => error.extensions?.code);
  expect({ codes, data: response.data ?? null }).toMatchObject({ codes: [code] });
  if (response.data) expect(Object.values(response.data).every((value) => value === null)).toBe(true);
  expectNothingOf(a, response, variables);
}

/** The answer names nothing of account A that the request did not name itself. */
function expectNothingOf(a: AccountA, response: unknown, variables: object): void {
  const asked = JSON.stringify(variables);
  const answer = JSON.stringify(response);
  const leaked = a.markers.filter((marker) => !asked.includes(marker) && answer.includes(marker));
  expect(leaked).toEqual([]);
}

describe('the authorization table', () => {
  it('has exactly one row per query, mutation and subscription of the schema, each calling its operation', async () => {
    const schema = await createSchema();
    const operations = [
      ...Object.keys(schema.getQueryType()?.getFields() ?? {}),
      ...Object.keys(schema.getMutationType()?.getFields() ?? {}),
      ...Object.keys(schema.getSubscriptionType()?.getFields() ?? {}),
    ].sort();
    expect(Object.keys(matrix).sort()).toEqual(operations);
    for (const [name, entry] of Object.entries(matrix)) expect(rootField(entry).field).toBe(name);
  });
});

describe.each(httpEntries)('%s over HTTP', (name, entry) => {
  const { rule } = entry;

  it('refuses every caller its rule does not admit, with the right code, showing and changing nothing', async () => {
    const a = await accountA();
    const variables = entry.variables(a);
    const send = (token: string | null) => graphqlRequest(server.url, entry.document, variables, token);
    const unauthenticated = await Promise.all(unauthenticatedCallers.map((caller) => caller.token(a)));

    if ('public' in rule) {
      for (const token of unauthenticated) expect((await send(token)).errors).toBeUndefined();
      return;
    }
    const allowed = holder(a, rule);
    const withoutScope = await server.createToken(
      allowed,
      ALL_SCOPES.filter((scope) => scope !== rule.scope),
    );
    const intruder = await server.createAccount();

    const before = await databaseFingerprint(server.app.dataSource);
    for (const token of unauthenticated) expectRefused(await send(token), 'UNAUTHENTICATED', a, variables);
    expectRefused(await send(withoutScope), 'FORBIDDEN', a, variables);
    if (rule.role === Role.ADMIN) expectRefused(await send(a.member.token), 'FORBIDDEN', a, variables);
    if (rule.foreign === 'NOT_FOUND') expectRefused(await send(intruder.token), 'NOT_FOUND', a, variables);
    expect({ name, tables: await databaseFingerprint(server.app.dataSource) }).toEqual({
      name,
      tables: before,
    });

    if (rule.foreign === 'OWN_ACCOUNT') {
      const own = await send(intruder.token);
      expect(own.errors).toBeUndefined();
      expectNothingOf(a, own, variables);
    }
    // The same request from the weakest caller the rule admits succeeds: the refusals above were the rule's.
    const admitted = await send(allowed.token);
    expect({ name, errors: admitted.errors }).toEqual({ name, errors: undefined });
  });
});

type SocketOutcome =
  { closeCode: number } | { errors: { extensions?: { code?: string } }[] } | { data: unknown };

/** Subscribes over graphql-ws and resolves with what came first: a close, errors, or a result. */
function subscribeOnce(
  token: string | null,
  variables: Record<string, unknown>,
  afterSubscribed: () => Promise<void> = async () => {},
): Promise<SocketOutcome> {
  return new Promise((resolve) => {
    let closeCode: number | null = null;
    let settled = false;
    const client = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
      on: {
        closed: (event) => (closeCode = (event as { code: number }).code),
        connected: () => void afterSubscribed(),
      },
    });
    const finish = (outcome: SocketOutcome) => {
      if (settled) return;
      settled = true;
      void Promise.resolve(client.dispose()).catch(() => {});
      resolve(outcome);
    };
    client.subscribe(
      { query: print(NotificationReceivedDocument), variables },
      {
        next: (result) => finish(result.errors ? { errors: [...result.errors] } : { data: result.data }),
        error: (error) => finish(Array.isArray(error) ? { errors: error } : { closeCode: closeCode ?? -1 }),
        complete: () => finish({ closeCode: closeCode ?? -1 }),
      },
    );
  });
}

describe('notificationReceived over graphql-ws', () => {
  const entry = matrix.notificationReceived;
  const rule = entry.rule as Exclude<Rule, { public: true }>;

  it.each(unauthenticatedCallers.map((caller) => [caller.name, caller] as const))(
    'closes the connection with 4403 Forbidden for %s',
    async (_name, caller) => {
      const a = await accountA();
      expect(await subscribeOnce(await caller.token(a), entry.variables(a))).toEqual({
        closeCode: CloseCode.Forbidden,
      });
    },
  );

  it('answers FORBIDDEN to a token without settings:read', async () => {
    const a = await accountA();
    const token = await server.createToken(
      holder(a, rule),
      ALL_SCOPES.filter((scope) => scope !== rule.scope),
    );
    const outcome = await subscribeOnce(token, entry.variables(a));
    expect(outcome).toMatchObject({ errors: [{ extensions: { code: 'FORBIDDEN' } }] });
    expectNothingOf(a, outcome, entry.variables(a));
  });

  it("answers NOT_FOUND to another account's token naming the stack", async () => {
    const a = await accountA();
    const intruder = await server.createAccount();
    const outcome = await subscribeOnce(intruder.token, entry.variables(a));
    expect(outcome).toMatchObject({ errors: [{ extensions: { code: 'NOT_FOUND' } }] });
    expectNothingOf(a, outcome, entry.variables(a));
  });

  it("gives another account's token, subscribed to all of its stacks, its own events and none of A's", async () => {
    const a = await accountA();
    const intruder = await server.createAccount();
    const { createStack } = dataOf(
      await server.request(CreateStackDocument, { input: { name: 'mine' } }, intruder.token),
    );
    const outcome = await subscribeOnce(intruder.token, {}, async () => {
      // Account A's event first: a leak would arrive before the intruder's own.
      const publish = (stackId: string, token: string) =>
        server.request(PublishEventDocument, { input: { stackId, eventType: 'JOB_FAIL', data: {} } }, token);
      await new Promise((resolve) => setTimeout(resolve, 100));
      dataOf(await publish(a.stackId, a.owner.token));
      dataOf(await publish(createStack.id, intruder.token));
    });
    expect(outcome).toMatchObject({ data: { notificationReceived: { stack: { id: createStack.id } } } });
    expectNothingOf(a, outcome, {});
  });

  it("delivers A's events to A's MEMBER, the weakest caller the rule admits", async () => {
    const a = await accountA();
    const outcome = await subscribeOnce(holder(a, rule).token, entry.variables(a), async () => {
      await new Promise((resolve) => setTimeout(resolve, 100));
      dataOf(
        await server.request(
          PublishEventDocument,
          { input: { stackId: a.stackId, eventType: 'JOB_FAIL', data: {} } },
          a.owner.token,
        ),
      );
    });
    expect(outcome).toMatchObject({ data: { notificationReceived: { stack: { id: a.stackId } } } });
  });
});
