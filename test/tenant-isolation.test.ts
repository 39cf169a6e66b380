// A token of one account can never read, change or learn the existence of another account's stacks, channels,
// deliveries, notifications, preferences, people, tokens or devices: every request naming one gets exactly the
// answer, byte for byte, that a well-formed id naming nothing gets, and nothing changes.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { randomUUID } from 'node:crypto';
import {
  getNamedType,
  isInputObjectType,
  print,
  type GraphQLInputObjectType,
  type GraphQLInputType,
} from 'graphql';
import WebSocket from 'ws';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { DeliveryAttempt } from '../src/modules/deliveries/delivery.entity';
import { createSchema } from '../src/schema';
import {
  AccountTokensDocument,
  AddUserDocument,
  ClearDigestDocument,
  ClearFlappingDocument,
  ClearEventSeverityDocument,
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateChannelDocument,
  CreateStackDocument,
  DeleteChannelDocument,
  DeleteStackDocument,
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
  RemoveIosDeviceDocument,
  RemoveMessageTemplateDocument,
  RemoveUserDocument,
  ResolveIncidentDocument,
  RevokeApiTokenDocument,
  RotateChannelSigningSecretDocument,
  RotateWebhookSecretDocument,
  ChannelDeliveriesDocument,
  SetChannelCellDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  SetDigestDocument,
  SetFlappingDocument,
  SetEventSeverityDocument,
  SetMessageTemplateDocument,
  SetUserRoleDocument,
  StackChannelsDocument,
  StackDeliveriesDocument,
  StackDocument,
  StackIncidentsDocument,
  StackNotificationsDocument,
  StackChannelMatrixDocument,
  StackPreferencesDocument,
  StackSharedChannelsDocument,
  StacksDocument,
  TestChannelByIdDocument,
  TestChannelDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  UpdateChannelDocument,
  UpdateStackDocument,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import type { Session, TestServer } from './helpers/server';
import { startTestServer } from './helpers/server';
import {
  accountSnapshot,
  apnsToken,
  createStack,
  expectNothingWritten,
  rawRequest,
  webPushSubscription,
} from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  // No delivery worker: account A's deliveries stay in the outbox, and nothing is sent to its made-up endpoints.
  server = await startTestServer({ WORKERS: '0' });
});
afterAll(async () => {
  await server?.close();
});

/** Account A, with something of every kind, and account B, whose people try to reach it. */
async function twoAccounts() {
  const owner = await server.createAccount();
  const member = await server.addUser(owner, Role.MEMBER);
  const stackId = await createStack(server, owner, 'secret-project', 'production');
  const t = owner.token;
  dataOf(
    await server.request(
      ConfigureHipchatDocument,
      { stackId, input: { token: 'hipchatOfA1', room: 'a-room' } },
      t,
    ),
  );
  dataOf(
    await server.request(ConfigureSlackDocument, { stackId, input: { url: 'https://hooks.slack.com/a' } }, t),
  );
  dataOf(
    await server.request(ConfigureWebhookDocument, { stackId, input: { url: 'https://a.example.com/' } }, t),
  );
  const { setMessageTemplate } = dataOf(
    await server.request(
      SetMessageTemplateDocument,
      {
        input: {
          stackId,
          channelId: `SlackChannel:${stackId}`,
          eventType: 'JOB_FAIL',
          template: 'A {{ title }}',
        },
      },
      t,
    ),
  );
  dataOf(
    await server.request(
      SetMessageTemplateDocument,
      { input: { stackId, channel: 'EMAIL', eventType: 'JOB_FAIL', template: 'A {{ title }}' } },
      t,
    ),
  );
  dataOf(
    await server.request(
      CreateChannelDocument,
      {
        stackId,
        input: { name: 'A Discord', discord: { url: 'https://discord.example.com/api/webhooks/1/a' } },
      },
      t,
    ),
  );
  const sharedChannels = dataOf(await server.request(StackSharedChannelsDocument, { id: stackId }, t)).stack
    .sharedChannels;
  const channelOfKind = (kind: string) => sharedChannels.find((channel) => channel.kind === kind)!.id;
  dataOf(
    await server.request(
      SetEventPreferenceDocument,
      { stackId, eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false },
      t,
    ),
  );
  const personal = { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false } as const;
  dataOf(await server.request(SetEventPreferenceDocument, personal, member.token));
  const deviceToken = apnsToken();
  dataOf(
    await server.request(
      RegisterIosDeviceDocument,
      { input: { token: deviceToken, deviceName: 'A phone' } },
      t,
    ),
  );
  const subscription = webPushSubscription();
  dataOf(await server.request(RegisterWebPushSubscriptionDocument, { input: subscription }, t));
  const { publishEvent } = dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType: 'JOB_FAIL', data: { job: 'nightly' } } },
      t,
    ),
  );
  const { stack } = dataOf(await server.request(StackDeliveriesDocument, { id: stackId, first: 100 }, t));
  const incidentId = dataOf(await server.request(StackIncidentsDocument, { id: stackId }, t)).stack.incidents
    .edges[0].node.id;
  const deliveryOn = (channel: string) =>
    stack.deliveries.edges.find((edge) => edge.node.channel === channel)!;
  // No delivery worker runs: the webhook delivery gets an attempt written as the worker writes them.
  await server.app.dataSource.getRepository(DeliveryAttempt).insert({
    deliveryId: deliveryOn('WEBHOOK').node.id,
    at: new Date(),
    durationMs: 20,
    ok: false,
    statusCode: 500,
    responseExcerpt: 'A said no',
    error: null,
  });
  const attempted = dataOf(await server.request(StackDeliveriesDocument, { id: stackId, first: 100 }, t));
  const attemptId = attempted.stack.deliveries.edges.find((edge) => edge.node.channel === 'WEBHOOK')!.node
    .attempts[0].id;
  const tokens = dataOf(await server.request(AccountTokensDocument, {}, t)).me.account.users;
  const memberTokenId = tokens.find((user) => user.id === member.userId)!.apiTokens[0].id;

  // The ids of A's objects that have one of their own: channels, preference rows and cells, devices.
  const channels = dataOf(await server.request(StackChannelsDocument, { id: stackId }, t)).stack.channels;
  const rows = dataOf(await server.request(StackPreferencesDocument, { id: stackId }, member.token)).stack
    .preferences;
  const matrixOfA = dataOf(await server.request(StackChannelMatrixDocument, { id: stackId }, t)).stack
    .preferences;
  const ios = channels.find((channel) => channel.kind === 'IOS');
  const browser = channels.find((channel) => channel.kind === 'BROWSER');
  const objectIds = {
    'a shared channel': channels.find((channel) => channel.kind === 'SLACK')!.id,
    'a personal channel': channels.find((channel) => channel.kind === 'EMAIL')!.id,
    'a preference row': rows[0].id,
    'a shared cell': rows[0].cells.find((cell) => cell.channel === 'WEBHOOK')!.id,
    "a shared channel's own id": channelOfKind('DISCORD'),
    "a shared channel's cell": matrixOfA[0].channelCells.find((cell) => cell.channel === 'DISCORD')!.id,
    "a member's personal cell": rows[0].cells.find((cell) => cell.channel === 'EMAIL')!.id,
    'an iOS device': ios && 'devices' in ios ? ios.devices[0].id : '',
    'a Web Push subscription':
      browser && 'webPushSubscriptions' in browser ? browser.webPushSubscriptions[0].id : '',
  };

  const intruder = await server.createAccount();
  const intruderStackId = await createStack(server, intruder, 'own-project', 'production');
  const intruderMember = await server.addUser(intruder, Role.MEMBER);
  const intruderReader = await server.createToken(intruder, [Scope.SETTINGS_READ]);
  return {
    a: {
      owner,
      member,
      stackId,
      deviceToken,
      endpoint: subscription.endpoint,
      memberTokenId,
      notificationId: publishEvent.id,
      incidentId,
      webhookDeliveryId: deliveryOn('WEBHOOK').node.id,
      emailDeliveryId: deliveryOn('EMAIL').node.id,
      attemptId,
      objectIds,
      /** The Slack channel's row id, as message templates name it. */
      slackChannelId: setMessageTemplate.channelId!,
      webhookChannelId: channelOfKind('WEBHOOK'),
      discordChannelId: channelOfKind('DISCORD'),
    },
    intruder,
    /** Account B's callers: its OWNER, a MEMBER, and a token that may only read settings. */
    callers: [
      { name: "B's OWNER", token: intruder.token },
      { name: "B's MEMBER", token: intruderMember.token },
      { name: "B's settings:read token", token: intruderReader },
    ],
    /** Account B's own: markNotificationsRead names notifications on a stack of B's. */
    own: { stackId: intruderStackId, memberUserId: intruderMember.userId },
  };
}

type A = Awaited<ReturnType<typeof twoAccounts>>['a'];
type Own = Awaited<ReturnType<typeof twoAccounts>>['own'];

interface IdOperation {
  name: string;
  /** The root field the request calls. */
  field: string;
  /** The id of account A's thing, and a well-formed one that names nothing. */
  idOfA: (a: A) => string;
  missingId: () => string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  document: TypedDocumentNode<any, any>;
  variables: (id: string, own: Own) => Record<string, unknown>;
  /** What the answer is when the id names nothing: NOT_FOUND unless said otherwise. */
  nothing?: RegExp;
}

const stackId = (a: A) => a.stackId;
const op = (
  name: string,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  document: TypedDocumentNode<any, any>,
  idOfA: (a: A) => string,
  variables: (id: string, own: Own) => Record<string, unknown>,
  missingId: () => string = randomUUID,
): IdOperation => ({ name, field: rootField(document), idOfA, missingId, document, variables });

/** Query.node of an id: null, as for an id that names nothing (what Relay expects), rather than NOT_FOUND. */
const nodeOp = (name: string, idOfA: (a: A) => string): IdOperation => ({
  ...op(name, NodeDocument, idOfA, (id) => ({ id })),
  nothing: /^200 \{"data":\{"node":null\}\}\s*$/,
});

function rootField(document: TypedDocumentNode<unknown, unknown>): string {
  const printed = print(document);
  return /^\s*(?:query|mutation|subscription)[^{]*\{\s*(\w+)/.exec(printed)![1];
}

/** Every operation that names something by id (or device token, or endpoint), each as account B would send it. */
const operations: IdOperation[] = [
  op('stack', StackDocument, stackId, (id) => ({ id })),
  op('stack { channels }', StackChannelsDocument, stackId, (id) => ({ id })),
  op('stack { preferences }', StackPreferencesDocument, stackId, (id) => ({ id })),
  op('stack { deliveries }', StackDeliveriesDocument, stackId, (id) => ({ id, first: 10 })),
  op('stack { notifications, unreadCount }', StackNotificationsDocument, stackId, (id) => ({
    id,
    first: 10,
  })),
  op('updateStack', UpdateStackDocument, stackId, (id) => ({ id, input: { name: 'pwned' } })),
  op('deleteStack', DeleteStackDocument, stackId, (id) => ({ id })),
  op('configureHipchat', ConfigureHipchatDocument, stackId, (id) => ({
    stackId: id,
    input: { token: 'intruder01', room: 'x' },
  })),
  op('configureSlack', ConfigureSlackDocument, stackId, (id) => ({
    stackId: id,
    input: { url: 'https://evil.example.com/' },
  })),
  op('configureWebhook', ConfigureWebhookDocument, stackId, (id) => ({
    stackId: id,
    input: { url: 'https://evil.example.com/' },
  })),
  op('rotateWebhookSecret', RotateWebhookSecretDocument, stackId, (id) => ({ stackId: id })),
  op('createChannel', CreateChannelDocument, stackId, (id) => ({
    stackId: id,
    input: { name: 'intruder', teams: { url: 'https://evil.example.com/' } },
  })),
  op(
    'updateChannel',
    UpdateChannelDocument,
    (a) => a.discordChannelId,
    (id) => ({ id, input: { name: 'pwned' } }),
  ),
  op(
    'deleteChannel',
    DeleteChannelDocument,
    (a) => a.discordChannelId,
    (id) => ({ id }),
  ),
  op(
    'rotateChannelSigningSecret',
    RotateChannelSigningSecretDocument,
    (a) => a.webhookChannelId,
    (id) => ({ id }),
  ),
  op(
    "setEventPreference on another account's channel, from one's own stack",
    SetChannelCellDocument,
    (a) => a.discordChannelId,
    (id, own) => ({ stackId: own.stackId, eventType: 'JOB_FAIL', channelId: id, enabled: false }),
  ),
  op(
    "testChannel of another account's channel, from one's own stack",
    TestChannelByIdDocument,
    (a) => a.webhookChannelId,
    (id, own) => ({ stackId: own.stackId, channelId: id }),
  ),
  {
    ...op(
      "deliveries of another account's channel, on one's own stack",
      ChannelDeliveriesDocument,
      (a) => a.discordChannelId,
      (id, own) => ({ id: own.stackId, channelId: id }),
    ),
    nothing: /^200 \{"data":\{"stack":\{"id":"[^"]+","deliveries":\{"nodes":\[\]\}\}\}\}\s*$/,
  },
  op('removeChannel', RemoveChannelDocument, stackId, (id) => ({ stackId: id, kind: 'WEBHOOK' })),
  op('removeChannel of a personal kind', RemoveChannelDocument, stackId, (id) => ({
    stackId: id,
    kind: 'EMAIL',
  })),
  op('testChannel of a shared channel', TestChannelDocument, stackId, (id) => ({
    stackId: id,
    kind: 'WEBHOOK',
  })),
  op('testChannel of a personal channel', TestChannelDocument, stackId, (id) => ({
    stackId: id,
    kind: 'EMAIL',
  })),
  op('setEventPreference on a shared channel', SetEventPreferenceDocument, stackId, (id) => ({
    stackId: id,
    eventType: 'JOB_FAIL',
    channel: 'SLACK',
    enabled: true,
  })),
  op('setEventPreference on a personal channel', SetEventPreferenceDocument, stackId, (id) => ({
    stackId: id,
    eventType: 'JOB_FAIL',
    channel: 'EMAIL',
    enabled: true,
  })),
  op('setEventPreferences', SetEventPreferencesDocument, stackId, (id) => ({
    stackId: id,
    changes: [{ eventType: 'APP_AUTH', channel: 'WEBHOOK', enabled: false }],
  })),
  op('setEventSeverity', SetEventSeverityDocument, stackId, (id) => ({
    stackId: id,
    eventType: 'JOB_FAIL',
    severity: 'INFO',
  })),
  op('clearEventSeverity', ClearEventSeverityDocument, stackId, (id) => ({
    stackId: id,
    eventType: 'JOB_FAIL',
  })),
  op('setDigest', SetDigestDocument, stackId, (id) => ({
    stackId: id,
    channel: 'SLACK',
    windowMinutes: 10,
    allowance: 0,
  })),
  op('clearDigest', ClearDigestDocument, stackId, (id) => ({ stackId: id, channel: 'SLACK' })),
  op('setFlapping', SetFlappingDocument, stackId, (id) => ({
    stackId: id,
    input: { threshold: 5, windowMinutes: 10, settleMinutes: 20 },
  })),
  op('clearFlapping', ClearFlappingDocument, stackId, (id) => ({ stackId: id })),
  op('setMessageTemplate', SetMessageTemplateDocument, stackId, (id) => ({
    input: { stackId: id, channel: 'EMAIL', template: 'pwned {{ title }}' },
  })),
  op('removeMessageTemplate', RemoveMessageTemplateDocument, stackId, (id) => ({
    input: { stackId: id, channel: 'EMAIL', eventType: 'JOB_FAIL' },
  })),
  op('previewMessage', PreviewMessageDocument, stackId, (id) => ({
    input: { stackId: id, channel: 'EMAIL', eventType: 'JOB_FAIL' },
  })),
  op(
    "setMessageTemplate on one's own stack with a channel of A",
    SetMessageTemplateDocument,
    (a) => a.slackChannelId,
    (id, own) => ({ input: { stackId: own.stackId, channelId: id, template: 'pwned' } }),
  ),
  op(
    "previewMessage on one's own stack with A's Channel.id",
    PreviewMessageDocument,
    (a) => a.objectIds['a shared channel'],
    (id, own) => ({ input: { stackId: own.stackId, channelId: id, eventType: 'JOB_FAIL' } }),
    () => `SlackChannel:${randomUUID()}`,
  ),
  op('publishEvent', PublishEventDocument, stackId, (id) => ({
    input: { stackId: id, eventType: 'JOB_FAIL', data: { job: 'intruder' } },
  })),
  op('markNotificationsRead of a stack', MarkNotificationsReadDocument, stackId, (id) => ({ stackId: id })),
  op(
    'markNotificationsRead of a notification',
    MarkNotificationsReadDocument,
    (a) => a.notificationId,
    (id, own) => ({ stackId: own.stackId, ids: [id] }),
  ),
  op('notificationReceived', NotificationReceivedDocument, stackId, (id) => ({ stackId: id })),
  op('redeliverDeliveries', RedeliverDeliveriesDocument, stackId, (id) => ({
    filter: { stackId: id, status: 'DEAD' },
  })),
  op(
    'redeliver to a shared channel',
    RedeliverDocument,
    (a) => a.webhookDeliveryId,
    (id) => ({ deliveryId: id }),
  ),
  op(
    'redeliver to a personal channel',
    RedeliverDocument,
    (a) => a.emailDeliveryId,
    (id) => ({ deliveryId: id }),
  ),
  op(
    'resolveIncident',
    ResolveIncidentDocument,
    (a) => a.incidentId,
    (id) => ({ id }),
  ),
  op(
    'setUserRole',
    SetUserRoleDocument,
    (a) => a.member.userId,
    (id) => ({ userId: id, role: 'OWNER' }),
  ),
  op(
    'removeUser',
    RemoveUserDocument,
    (a) => a.member.userId,
    (id) => ({ userId: id }),
  ),
  op(
    'removeUser of the OWNER',
    RemoveUserDocument,
    (a) => a.owner.userId,
    (id) => ({ userId: id }),
  ),
  op(
    'revokeApiToken',
    RevokeApiTokenDocument,
    (a) => a.memberTokenId,
    (id) => ({ id }),
  ),
  nodeOp('node of a stack', stackId),
  nodeOp('node of a notification', (a) => a.notificationId),
  nodeOp('node of an incident', (a) => a.incidentId),
  nodeOp('node of a shared delivery', (a) => a.webhookDeliveryId),
  nodeOp('node of a personal delivery', (a) => a.emailDeliveryId),
  nodeOp('node of a user', (a) => a.member.userId),
  nodeOp('node of the account', (a) => a.owner.accountId),
  nodeOp('node of an API token', (a) => a.memberTokenId),
  nodeOp('node of a shared channel', (a) => a.objectIds['a shared channel']),
  nodeOp('node of a personal channel', (a) => a.objectIds['a personal channel']),
  nodeOp('node of a preference row', (a) => a.objectIds['a preference row']),
  nodeOp('node of a shared channel by its own id', (a) => a.objectIds["a shared channel's own id"]),
  nodeOp("node of a shared channel's cell", (a) => a.objectIds["a shared channel's cell"]),
  nodeOp('node of a shared preference cell', (a) => a.objectIds['a shared cell']),
  nodeOp("node of a member's personal preference cell", (a) => a.objectIds["a member's personal cell"]),
  nodeOp('node of an iOS device', (a) => a.objectIds['an iOS device']),
  nodeOp('node of a Web Push subscription', (a) => a.objectIds['a Web Push subscription']),
  nodeOp('node of a delivery attempt', (a) => a.attemptId),
  {
    ...op('nodes', NodesDocument, stackId, (id, own) => ({ ids: [own.stackId, id, own.memberUserId] })),
    // B's own stack and member, and null between them.
    nothing:
      /^200 \{"data":\{"nodes":\[\{"__typename":"Stack",[^\]]*\},null,\{"__typename":"User",[^\]]*\}\]\}\}\s*$/,
  },
  op(
    'unregisterIosDevice',
    UnregisterIosDeviceDocument,
    (a) => a.deviceToken,
    (token) => ({ token }),
    apnsToken,
  ),
  op(
    'removeIosDevice',
    RemoveIosDeviceDocument,
    (a) => a.objectIds['an iOS device'],
    (id) => ({ id }),
  ),
  op(
    'unregisterWebPushSubscription',
    UnregisterWebPushSubscriptionDocument,
    (a) => a.endpoint,
    (endpoint) => ({ endpoint }),
    () => webPushSubscription().endpoint,
  ),
];

/**
 * The first message the server sends for a subscription over graphql-ws, as it crossed the wire (an error, or a
 * result), or how the socket closed.
 */
function firstSubscriptionMessage(
  token: string,
  document: TypedDocumentNode<unknown, unknown>,
  variables: Record<string, unknown>,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(server.wsUrl, 'graphql-transport-ws');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error('no answer to the subscription within 5 s'));
    }, 5000);
    const finish = (text: string) => {
      clearTimeout(timer);
      socket.close();
      resolve(text);
    };
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => {
      const text = String(data);
      const { type } = JSON.parse(text) as { type: string };
      if (type === 'connection_ack') {
        socket.send(
          JSON.stringify({ id: '1', type: 'subscribe', payload: { query: print(document), variables } }),
        );
      } else if (type === 'error' || type === 'next') {
        finish(text);
      }
    });
    socket.on('close', (code) => finish(`closed ${code}`));
  });
}

/** The answer to one operation as it crossed the wire (over HTTP, with its status). */
async function answer(operation: IdOperation, token: string, id: string, own: Own): Promise<string> {
  const variables = operation.variables(id, own);
  if (operation.field === 'notificationReceived') {
    return firstSubscriptionMessage(token, operation.document, variables);
  }
  const { text, body } = await rawRequest(server, operation.document, variables, token);
  return `${body.status} ${text}`;
}

/** Whether an argument of this type can carry an id (an ID, or an input object with one). */
function carriesId(type: GraphQLInputType, seen = new Set<GraphQLInputObjectType>()): boolean {
  const named = getNamedType(type);
  if (named.name === 'ID') return true;
  if (!isInputObjectType(named) || seen.has(named)) return false;
  seen.add(named);
  return Object.values(named.getFields()).some((field) => carriesId(field.type, seen));
}

describe("another account's id", () => {
  it('is tried with every operation of the schema that takes an id, and with the device ones', async () => {
    const schema = await createSchema();
    const roots = [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()];
    const takingIds = roots
      .flatMap((root) => Object.values(root?.getFields() ?? {}))
      .filter((field) => field.args.some((arg) => carriesId(arg.type)))
      .map((field) => field.name);
    const tried = new Set(operations.map((operation) => operation.field));
    expect(takingIds.filter((name) => !tried.has(name))).toEqual([]);
    expect([...tried].sort()).toEqual(
      [...takingIds, 'unregisterIosDevice', 'unregisterWebPushSubscription'].sort(),
    );
  });

  it.each(operations.map((operation) => [operation.name, operation] as const))(
    'gets from %s exactly the answer a random id gets, whoever of account B asks, and A is unchanged',
    async (_name, operation) => {
      const { a, callers, own } = await twoAccounts();
      await expectNothingWritten(server, [a.owner, a.member], async () => {
        for (const caller of callers) {
          const foreign = await answer(operation, caller.token, operation.idOfA(a), own);
          const missing = await answer(operation, caller.token, operation.missingId(), own);
          expect({ caller: caller.name, answer: foreign }).toEqual({ caller: caller.name, answer: missing });
        }
      });
      // B's OWNER may do anything in B's account: what it gets is that the id names nothing.
      const owner = await answer(operation, callers[0].token, operation.idOfA(a), own);
      expect(owner).toMatch(operation.nothing ?? /"code":"NOT_FOUND"/);
    },
  );
});

describe("the id of another account's channel, preference row or cell, device or subscription", () => {
  const byId = operations.filter((operation) => operation.missingId === randomUUID);

  it.each(byId.map((operation) => [operation.name, operation] as const))(
    'given to %s gets NOT_FOUND (node: null), as a made-up id of the same shape does, and A is unchanged',
    async (_name, operation) => {
      const { a, callers, own } = await twoAccounts();
      const ids = Object.entries(a.objectIds);
      expect(ids.every(([, id]) => id.length > 0)).toBe(true);
      await expectNothingWritten(server, [a.owner, a.member], async () => {
        for (const [object, id] of ids) {
          const foreign = await answer(operation, callers[0].token, id, own);
          const madeUp = await answer(operation, callers[0].token, sameShape(id), own);
          expect({ object, answer: foreign }).toEqual({ object, answer: madeUp });
          expect({ object, answer: foreign }).toEqual({
            object,
            answer: expect.stringMatching(operation.nothing ?? /"code":"NOT_FOUND"/),
          });
        }
      });
    },
  );
});

/** The id with each UUID in it replaced by a new one: a row id, or a derived id naming other things. */
function sameShape(id: string): string {
  return id.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, () => randomUUID());
}

describe("another account's token", () => {
  it("never lists account A's stacks, people or tokens", async () => {
    const { a, intruder, own } = await twoAccounts();
    const { stacks } = dataOf(await server.request(StacksDocument, { first: 100 }, intruder.token));
    expect(stacks.edges.map((edge) => edge.node.id)).toEqual([own.stackId]);
    const me = await rawRequest(server, MeDocument, {}, intruder.token);
    expect(dataOf(me.body).me.account.users.map((user) => user.id)).toEqual([
      intruder.userId,
      own.memberUserId,
    ]);
    const tokens = await rawRequest(server, AccountTokensDocument, {}, intruder.token);
    for (const text of [me.text, tokens.text]) {
      for (const secret of [
        a.owner.userId,
        a.member.userId,
        a.member.email,
        a.owner.email,
        a.memberTokenId,
      ]) {
        expect(text).not.toContain(secret);
      }
    }
  });

  it('creates what it creates in its own account only', async () => {
    const { a, intruder } = await twoAccounts();
    const before = await accountSnapshot(server, a.owner);
    dataOf(await server.request(CreateStackDocument, { input: { name: 'secret-project' } }, intruder.token));
    const sameEmail = { email: a.member.email, name: 'Namesake', role: 'MEMBER' as const };
    dataOf(await server.request(AddUserDocument, { input: sameEmail }, intruder.token));
    expect(await accountSnapshot(server, a.owner)).toEqual(before);
    const intruderView = await accountSnapshot(server, intruder);
    expect(intruderView.stacks.nodes.map((stack) => stack.name)).toEqual(['secret-project', 'own-project']);
    expect(intruderView.stacks.nodes[0].id).not.toBe(a.stackId);
  });

  it("registers a phone or browser of A's for itself only: A keeps its registration, whatever the intruder does", async () => {
    const { a, intruder } = await twoAccounts();
    const personal = async (session: Session, stackId: string) => {
      const channels = dataOf(await server.request(StackChannelsDocument, { id: stackId }, session.token))
        .stack.channels;
      const ios = channels.find((channel) => channel.kind === 'IOS');
      const browser = channels.find((channel) => channel.kind === 'BROWSER');
      return {
        devices: ios && 'devices' in ios ? ios.devices : undefined,
        subscriptions:
          browser && 'webPushSubscriptions' in browser ? browser.webPushSubscriptions : undefined,
      };
    };
    const aBefore = await personal(a.owner, a.stackId);
    expect(aBefore.devices).toHaveLength(1);
    expect(aBefore.subscriptions).toHaveLength(1);
    const intruderStack = await createStack(server, intruder);

    const device = await rawRequest(
      server,
      RegisterIosDeviceDocument,
      { input: { token: a.deviceToken.toUpperCase() } },
      intruder.token,
    );
    const intruderDevice = dataOf(device.body).registerIosDevice;
    expect(intruderDevice).toMatchObject({ deviceName: null, tokenHint: aBefore.devices![0].tokenHint });
    expect(intruderDevice.id).not.toBe(aBefore.devices![0].id);
    expect(device.text).not.toContain('A phone');
    const browser = webPushSubscription(a.endpoint);
    const { registerWebPushSubscription: intruderSubscription } = dataOf(
      await server.request(RegisterWebPushSubscriptionDocument, { input: browser }, intruder.token),
    );
    expect(intruderSubscription.id).not.toBe(aBefore.subscriptions![0].id);

    expect(await personal(a.owner, a.stackId)).toEqual(aBefore);
    expect(await personal(intruder, intruderStack)).toEqual({
      devices: [{ id: intruderDevice.id, tokenHint: intruderDevice.tokenHint, deviceName: null }],
      subscriptions: [{ id: intruderSubscription.id, endpoint: a.endpoint }],
    });

    // Unregistering removes the intruder's own rows only.
    const removedDevice = await server.request(
      UnregisterIosDeviceDocument,
      { token: a.deviceToken },
      intruder.token,
    );
    expect(dataOf(removedDevice).unregisterIosDevice).toBe(true);
    const removedSubscription = await server.request(
      UnregisterWebPushSubscriptionDocument,
      { endpoint: a.endpoint },
      intruder.token,
    );
    expect(dataOf(removedSubscription).unregisterWebPushSubscription).toBe(true);
    expect(await personal(intruder, intruderStack)).toEqual({ devices: [], subscriptions: [] });
    expect(await personal(a.owner, a.stackId)).toEqual(aBefore);

    // A's own, still there, are A's to remove.
    expect(
      dataOf(await server.request(UnregisterIosDeviceDocument, { token: a.deviceToken }, a.owner.token))
        .unregisterIosDevice,
    ).toBe(true);
    expect(await personal(a.owner, a.stackId)).toMatchObject({ devices: [] });
  });
});

describe("account A's own people", () => {
  it('still reach everything after the intruder tried', async () => {
    const { a, intruder, own } = await twoAccounts();
    for (const operation of operations) await answer(operation, intruder.token, operation.idOfA(a), own);
    for (const session of [a.owner, a.member] as Session[]) {
      expect(dataOf(await server.request(StackDocument, { id: a.stackId }, session.token)).stack.name).toBe(
        'secret-project',
      );
    }
  });
});
