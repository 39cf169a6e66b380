// A token of one account can never read, change or learn the existence of another account's stacks, channels,
// preferences, people or tokens: every such request gets exactly the NOT_FOUND a missing id gets, and nothing changes.
import { randomUUID } from 'node:crypto';
import { Role } from '../src/modules/accounts/user.entity';
import {
  AccountTokensDocument,
  AddUserDocument,
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  DeleteStackDocument,
  MeDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  RemoveUserDocument,
  RevokeApiTokenDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  SetUserRoleDocument,
  StackChannelsDocument,
  StackDocument,
  StackPreferencesDocument,
  StacksDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  UpdateStackDocument,
} from './generated/graphql';
import { dataOf, type GraphQLResponse } from './helpers/graphql';
import type { Session, TestServer } from './helpers/server';
import { startTestServer } from './helpers/server';
import {
  accountSnapshot,
  apnsToken,
  createStack,
  expectError,
  expectNothingWritten,
  rawRequest,
  webPushSubscription,
} from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** Account A, with something of every kind, and account B, whose OWNER tries to reach it. */
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
  const tokens = dataOf(await server.request(AccountTokensDocument, {}, t)).me.account.users;
  const memberTokenId = tokens.find((user) => user.id === member.userId)!.apiTokens[0].id;
  const intruder = await server.createAccount();
  return {
    a: { owner, member, stackId, deviceToken, endpoint: subscription.endpoint, memberTokenId },
    intruder,
  };
}

type A = Awaited<ReturnType<typeof twoAccounts>>['a'];

/**
 * Each operation that names something of account A, as [name, the id of A's thing, an id that exists nowhere,
 * the request]. The intruder's answer must be identical for both ids.
 */
const operations: [
  name: string,
  idOfA: (a: A) => string,
  missingId: () => string,
  send: (token: string, id: string) => Promise<GraphQLResponse<unknown>>,
][] = [
  ['stack', (a) => a.stackId, randomUUID, (t, id) => server.request(StackDocument, { id }, t)],
  [
    'stack { channels }',
    (a) => a.stackId,
    randomUUID,
    (t, id) => server.request(StackChannelsDocument, { id }, t),
  ],
  [
    'stack { preferences }',
    (a) => a.stackId,
    randomUUID,
    (t, id) => server.request(StackPreferencesDocument, { id }, t),
  ],
  [
    'updateStack',
    (a) => a.stackId,
    randomUUID,
    (t, id) => server.request(UpdateStackDocument, { id, input: { name: 'pwned' } }, t),
  ],
  ['deleteStack', (a) => a.stackId, randomUUID, (t, id) => server.request(DeleteStackDocument, { id }, t)],
  [
    'configureHipchat',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) =>
      server.request(ConfigureHipchatDocument, { stackId, input: { token: 'intruder01', room: 'x' } }, t),
  ],
  [
    'configureSlack',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) =>
      server.request(ConfigureSlackDocument, { stackId, input: { url: 'https://evil.example.com/' } }, t),
  ],
  [
    'configureWebhook',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) =>
      server.request(ConfigureWebhookDocument, { stackId, input: { url: 'https://evil.example.com/' } }, t),
  ],
  [
    'removeChannel',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) => server.request(RemoveChannelDocument, { stackId, kind: 'WEBHOOK' }, t),
  ],
  [
    'removeChannel of a personal kind',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) => server.request(RemoveChannelDocument, { stackId, kind: 'EMAIL' }, t),
  ],
  [
    'setEventPreference on a shared channel',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) =>
      server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'SLACK', enabled: true },
        t,
      ),
  ],
  [
    'setEventPreference on a personal channel',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) =>
      server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: true },
        t,
      ),
  ],
  [
    'setEventPreferences',
    (a) => a.stackId,
    randomUUID,
    (t, stackId) =>
      server.request(
        SetEventPreferencesDocument,
        { stackId, changes: [{ eventType: 'APP_AUTH', channel: 'WEBHOOK', enabled: false }] },
        t,
      ),
  ],
  [
    'setUserRole',
    (a) => a.member.userId,
    randomUUID,
    (t, userId) => server.request(SetUserRoleDocument, { userId, role: 'OWNER' }, t),
  ],
  [
    'removeUser',
    (a) => a.member.userId,
    randomUUID,
    (t, userId) => server.request(RemoveUserDocument, { userId }, t),
  ],
  [
    'removeUser of the OWNER',
    (a) => a.owner.userId,
    randomUUID,
    (t, userId) => server.request(RemoveUserDocument, { userId }, t),
  ],
  [
    'revokeApiToken',
    (a) => a.memberTokenId,
    randomUUID,
    (t, id) => server.request(RevokeApiTokenDocument, { id }, t),
  ],
  [
    'unregisterIosDevice',
    (a) => a.deviceToken,
    apnsToken,
    (t, token) => server.request(UnregisterIosDeviceDocument, { token }, t),
  ],
  [
    'unregisterWebPushSubscription',
    (a) => a.endpoint,
    () => webPushSubscription().endpoint,
    (t, endpoint) => server.request(UnregisterWebPushSubscriptionDocument, { endpoint }, t),
  ],
];

describe("another account's token", () => {
  it.each(operations)(
    'gets from %s on account A the same NOT_FOUND as for a missing id, and A is unchanged',
    async (_name, idOfA, missingId, send) => {
      const { a, intruder } = await twoAccounts();
      await expectNothingWritten(server, [a.owner, a.member], async () => {
        const foreign = await send(intruder.token, idOfA(a));
        const missing = await send(intruder.token, missingId());
        expectError(foreign, 'NOT_FOUND');
        expect(foreign).toEqual(missing);
      });
    },
  );

  it("never lists account A's stacks, people or tokens", async () => {
    const { a, intruder } = await twoAccounts();
    const { stacks } = dataOf(await server.request(StacksDocument, { first: 100 }, intruder.token));
    expect(stacks.edges).toEqual([]);
    const me = await rawRequest(server, MeDocument, {}, intruder.token);
    expect(dataOf(me.body).me.account.users.map((user) => user.id)).toEqual([intruder.userId]);
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
    expect(intruderView.stacks.nodes.map((stack) => stack.name)).toEqual(['secret-project']);
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
    const { a, intruder } = await twoAccounts();
    for (const [, idOfA, , send] of operations) await send(intruder.token, idOfA(a));
    for (const session of [a.owner, a.member] as Session[]) {
      expect(dataOf(await server.request(StackDocument, { id: a.stackId }, session.token)).stack.name).toBe(
        'secret-project',
      );
    }
  });
});
