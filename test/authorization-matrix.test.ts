// Every query, mutation and subscription of the schema, each with its rule (public, or a scope and a role), run as
// every kind of caller that must be refused: no token, a malformed one, an unknown one, a revoked one, one without
// the scope, a MEMBER where OWNER or ADMIN is needed, another account's. Each gets its code, learns nothing of the
// account, and changes nothing; then the weakest caller the rule admits succeeds. Every row runs over both
// transports: HTTP (queries and mutations) and graphql-ws on a real socket (all of them, subscriptions included), one
// socket per caller. Over WebSocket a caller without valid credentials is refused at connection_init, the socket
// closed with 4403 before any operation runs. A new operation without a row in the table fails the first test.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { randomBytes } from 'node:crypto';
import { Kind, OperationTypeNode, type OperationDefinitionNode } from 'graphql';
import { CloseCode } from 'graphql-ws';
import { ALL_SCOPES, Scope } from '../src/modules/accounts/api-token.entity';
import { Role, User } from '../src/modules/accounts/user.entity';
import { createSchema } from '../src/schema';
import {
  AddUserDocument,
  ClearDigestDocument,
  ClearEventSeverityDocument,
  ClearFlappingDocument,
  ClearQuietHoursDocument,
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateApiTokenDocument,
  CreateChannelDocument,
  CreateStackDocument,
  DeleteChannelDocument,
  DeleteStackDocument,
  EventTypesDocument,
  MarkNotificationsReadDocument,
  MeDocument,
  NodeDocument,
  NodesDocument,
  NotificationReceivedDocument,
  PreviewMessageDocument,
  PublishEventDocument,
  RedeliverDeliveriesDocument,
  RedeliverDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  RemoveMessageTemplateDocument,
  RemoveIosDeviceDocument,
  RemoveUserDocument,
  ResolveIncidentDocument,
  RevokeApiTokenDocument,
  RotateChannelSigningSecretDocument,
  RotateWebhookSecretDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  SetDigestDocument,
  SetEventSeverityDocument,
  SetFlappingDocument,
  SetMessageTemplateDocument,
  SetQuietHoursDocument,
  SetUserRoleDocument,
  StackDeliveriesDocument,
  StackDocument,
  StackIncidentsDocument,
  StacksDocument,
  TestChannelDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  UpdateChannelDocument,
  UpdateStackDocument,
  VapidPublicKeyDocument,
} from './generated/graphql';
import { databaseFingerprint } from './helpers/database-fingerprint';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { apnsToken, webPushSubscription } from './helpers/settings-fixtures';
import { socketRequest, type SocketResponse } from './helpers/ws';

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
  await request(SetMessageTemplateDocument, {
    input: { stackId, channel: 'EMAIL', eventType: 'JOB_FAIL', template: `{{ title }} ${tag}` },
  });
  const { createChannel: teams } = await request(CreateChannelDocument, {
    stackId,
    input: { name: `teams-${tag}`, teams: { url: `${DEAD_END}/teams-${tag}` } },
  });
  const { createChannel: secondHook } = await request(CreateChannelDocument, {
    stackId,
    input: { name: `hook-two-${tag}`, webhook: { url: `${DEAD_END}/hook-two-${tag}` } },
  });
  const { publishEvent } = await request(PublishEventDocument, {
    input: { stackId, eventType: 'JOB_FAIL', data: { job: `job-${tag}` } },
  });
  const { stack } = await request(StackDeliveriesDocument, { id: stackId, first: 100, channel: 'WEBHOOK' });
  const incidentId = (await request(StackIncidentsDocument, { id: stackId })).stack.incidents.edges[0].node
    .id;
  const webhookDelivery = stack.deliveries.edges[0].node.id;
  const device = apnsToken();
  const { registerIosDevice } = await request(
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
    teamsChannelId: teams.channel.id,
    webhookChannelId: secondHook.channel.id,
    notificationId: publishEvent.id,
    incidentId,
    webhookDelivery,
    device,
    deviceId: registerIosDevice.id,
    endpoint: subscription.endpoint,
    memberSpareTokenId: memberSpareToken.id,
    /** What must never appear in an answer to anyone outside account A (unless the request itself named it). */
    markers: [
      tag,
      stackId,
      teams.channel.id,
      secondHook.channel.id,
      publishEvent.id,
      incidentId,
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
  /** A subscription's: what makes its first event happen once the admitted caller has subscribed. */
  firstEvent?(a: AccountA): Promise<void>;
}

/**
 * Publishes an event on `stackId` a little after a socket's connection_ack: its subscribe message is authenticated
 * and checked before the subscription listens.
 */
async function publishLater(stackId: string, token: string): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 100));
  dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType: 'JOB_FAIL', data: {} } },
      token,
    ),
  );
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
  // Another account's ids are null, as ids that name nothing: Relay expects null from node.
  node: {
    rule: read(Role.MEMBER, 'OWN_ACCOUNT'),
    document: NodeDocument,
    variables: (a) => ({ id: a.notificationId }),
  },
  nodes: {
    rule: read(Role.MEMBER, 'OWN_ACCOUNT'),
    document: NodesDocument,
    variables: (a) => ({ ids: [a.stackId, a.webhookDelivery, a.memberSpareTokenId, a.owner.accountId] }),
  },
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
  previewMessage: {
    rule: read(Role.MEMBER, 'NOT_FOUND'),
    document: PreviewMessageDocument,
    variables: (a) => ({ input: { stackId: a.stackId, channel: 'EMAIL', eventType: 'JOB_FAIL' } }),
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
  createChannel: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: CreateChannelDocument,
    variables: (a) => ({
      stackId: a.stackId,
      input: { name: `discord-${randomBytes(4).toString('hex')}`, discord: { url: `${DEAD_END}/discord` } },
    }),
  },
  updateChannel: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: UpdateChannelDocument,
    variables: (a) => ({ id: a.teamsChannelId, input: { name: `teams-${randomBytes(4).toString('hex')}` } }),
  },
  deleteChannel: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: DeleteChannelDocument,
    variables: (a) => ({ id: a.teamsChannelId }),
  },
  rotateChannelSigningSecret: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: RotateChannelSigningSecretDocument,
    variables: (a) => ({ id: a.webhookChannelId }),
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
  redeliverDeliveries: {
    // A MEMBER may start over only their own deliveries: naming the shared webhook is refused.
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: RedeliverDeliveriesDocument,
    variables: (a) => ({ filter: { stackId: a.stackId, channel: 'WEBHOOK', status: 'DEAD' } }),
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
  removeMessageTemplate: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: RemoveMessageTemplateDocument,
    variables: (a) => ({ input: { stackId: a.stackId, channel: 'EMAIL', eventType: 'JOB_FAIL' } }),
  },
  removeIosDevice: {
    // The device named here is the member's own.
    rule: write(Role.MEMBER, 'NOT_FOUND'),
    document: RemoveIosDeviceDocument,
    variables: (a) => ({ id: a.deviceId }),
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
  setEventSeverity: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: SetEventSeverityDocument,
    variables: (a) => ({ stackId: a.stackId, eventType: 'JOB_FAIL', severity: 'CRITICAL' }),
  },
  clearEventSeverity: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: ClearEventSeverityDocument,
    variables: (a) => ({ stackId: a.stackId, eventType: 'JOB_FAIL' }),
  },
  resolveIncident: {
    // Anyone of the account with settings:write; resolving a resolved incident changes nothing.
    rule: write(Role.MEMBER, 'NOT_FOUND'),
    document: ResolveIncidentDocument,
    variables: (a) => ({ id: a.incidentId }),
  },
  setDigest: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: SetDigestDocument,
    variables: (a) => ({ stackId: a.stackId, channel: 'SLACK', windowMinutes: 10, allowance: 2 }),
  },
  clearDigest: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: ClearDigestDocument,
    variables: (a) => ({ stackId: a.stackId, channel: 'SLACK' }),
  },
  setFlapping: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: SetFlappingDocument,
    variables: (a) => ({
      stackId: a.stackId,
      input: { threshold: 5, windowMinutes: 10, settleMinutes: 20 },
    }),
  },
  clearFlapping: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: ClearFlappingDocument,
    variables: (a) => ({ stackId: a.stackId }),
  },
  setMessageTemplate: {
    rule: write(Role.ADMIN, 'NOT_FOUND'),
    document: SetMessageTemplateDocument,
    variables: (a) => ({
      input: { stackId: a.stackId, channelId: `SlackChannel:${a.stackId}`, template: '*{{ title }}*' },
    }),
  },
  setQuietHours: {
    rule: write(Role.MEMBER, 'OWN_ACCOUNT'),
    document: SetQuietHoursDocument,
    variables: () => ({ input: { timeZone: 'Europe/Berlin', start: '22:00', end: '07:00' } }),
  },
  clearQuietHours: {
    rule: write(Role.MEMBER, 'OWN_ACCOUNT'),
    document: ClearQuietHoursDocument,
    variables: () => ({}),
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
  // Subscriptions (over WebSocket only)
  notificationReceived: {
    rule: read(Role.MEMBER, 'NOT_FOUND'),
    document: NotificationReceivedDocument,
    variables: (a) => ({ stackId: a.stackId }),
    firstEvent: (a) => publishLater(a.stackId, a.owner.token),
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

/** What an operation came to, over either transport: an HTTP response, or what its socket received. */
type Answer = SocketResponse<unknown>;

/** How an operation reaches the server. */
interface Transport {
  name: string;
  /** Which rows it carries. */
  carries(entry: MatrixEntry): boolean;
  /**
   * Whether credentials are checked before any operation (WebSocket: at connection_init, refused by closing the
   * socket with 4403) rather than with each operation (HTTP: UNAUTHENTICATED, public operations answered).
   */
  authenticatesConnection: boolean;
  send(
    entry: MatrixEntry,
    variables: Record<string, unknown>,
    token: string | null,
    whenConnected?: () => Promise<void>,
  ): Promise<Answer>;
}

const transports: Transport[] = [
  {
    name: 'HTTP',
    carries: (entry) => rootField(entry).type !== OperationTypeNode.SUBSCRIPTION,
    authenticatesConnection: false,
    send: (entry, variables, token) => graphqlRequest(server.url, entry.document, variables, token),
  },
  {
    name: 'WebSocket',
    carries: () => true,
    authenticatesConnection: true,
    send: (entry, variables, token, whenConnected) =>
      socketRequest(server.wsUrl, entry.document, variables, token, { whenConnected }),
  },
];

function expectRefused(response: Answer, code: string, a: AccountA, variables: object): void {
  const codes = (response.errors ?? []).map((error) => error.extensions?.code);
  expect({ codes, data: response.data ?? null, closeCode: response.closeCode }).toMatchObject({
    codes: [code],
  });
  if (response.data) expect(Object.values(response.data).every((value) => value === null)).toBe(true);
  expectNothingOf(a, response, variables);
}

/** A caller without valid credentials: UNAUTHENTICATED per operation, or the socket closed before any. */
function expectUnauthenticated(transport: Transport, response: Answer, a: AccountA, variables: object): void {
  if (transport.authenticatesConnection) expect(response).toEqual({ closeCode: CloseCode.Forbidden });
  else expectRefused(response, 'UNAUTHENTICATED', a, variables);
}

/** The operation ran and answered with data and no errors, its socket (if any) open until then. */
function expectAnswered(name: string, response: Answer): void {
  const { errors, closeCode, timedOut } = response;
  expect({ name, errors, closeCode, timedOut }).toEqual({ name });
  expect({ name, data: response.data }).toEqual({ name, data: expect.any(Object) });
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

const cases = transports.flatMap((transport) =>
  Object.entries(matrix)
    .filter(([, entry]) => transport.carries(entry))
    .map(([name, entry]) => [name, transport.name, entry, transport] as const),
);

describe.each(cases)('%s over %s', (name, _transportName, entry, transport) => {
  const { rule } = entry;

  it('refuses every caller its rule does not admit, with the right code, showing and changing nothing', async () => {
    const a = await accountA();
    const variables = entry.variables(a);
    const send = (token: string | null, whenConnected?: () => Promise<void>) =>
      transport.send(entry, variables, token, whenConnected);
    const unauthenticated = await Promise.all(unauthenticatedCallers.map((caller) => caller.token(a)));
    const intruder = await server.createAccount();

    if ('public' in rule) {
      const before = await databaseFingerprint(server.app.dataSource);
      for (const token of unauthenticated) {
        if (transport.authenticatesConnection)
          expectUnauthenticated(transport, await send(token), a, variables);
        else expectAnswered(name, await send(token));
      }
      expect({ name, tables: await databaseFingerprint(server.app.dataSource) }).toEqual({
        name,
        tables: before,
      });
      // Anyone with a token: one without any settings scope, a MEMBER, another account.
      const publishOnly = await server.createToken(a.member, [Scope.EVENTS_PUBLISH]);
      for (const token of [publishOnly, a.member.token, intruder.token]) {
        const answer = await send(token);
        expectAnswered(name, answer);
        expectNothingOf(a, answer, variables);
      }
      return;
    }
    const allowed = holder(a, rule);
    const withoutScope = await server.createToken(
      allowed,
      ALL_SCOPES.filter((scope) => scope !== rule.scope),
    );

    const before = await databaseFingerprint(server.app.dataSource);
    for (const token of unauthenticated) expectUnauthenticated(transport, await send(token), a, variables);
    expectRefused(await send(withoutScope), 'FORBIDDEN', a, variables);
    if (rule.role === Role.ADMIN) expectRefused(await send(a.member.token), 'FORBIDDEN', a, variables);
    if (rule.foreign === 'NOT_FOUND') expectRefused(await send(intruder.token), 'NOT_FOUND', a, variables);
    expect({ name, tables: await databaseFingerprint(server.app.dataSource) }).toEqual({
      name,
      tables: before,
    });

    if (rule.foreign === 'OWN_ACCOUNT') {
      const own = await send(intruder.token);
      expectAnswered(name, own);
      expectNothingOf(a, own, variables);
    }
    // The same request from the weakest caller the rule admits succeeds: the refusals above were the rule's.
    const firstEvent = entry.firstEvent && (() => entry.firstEvent!(a));
    expectAnswered(name, await send(allowed.token, firstEvent));
  });
});

describe('notificationReceived without a stack over WebSocket', () => {
  it("gives another account's token, subscribed to all of its stacks, its own events and none of A's", async () => {
    const a = await accountA();
    const intruder = await server.createAccount();
    const { createStack } = dataOf(
      await server.request(CreateStackDocument, { input: { name: 'mine' } }, intruder.token),
    );
    const answer = await socketRequest(server.wsUrl, NotificationReceivedDocument, {}, intruder.token, {
      // Account A's event first: a leak would arrive before the intruder's own.
      whenConnected: async () => {
        await publishLater(a.stackId, a.owner.token);
        await publishLater(createStack.id, intruder.token);
      },
    });
    expect(answer).toMatchObject({ data: { notificationReceived: { stack: { id: createStack.id } } } });
    expectNothingOf(a, answer, {});
  });
});
