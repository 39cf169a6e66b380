// The six channels of a stack: shared ones configured by OWNER/ADMIN with secrets shown only as hints, personal
// ones (email, iOS devices, Web Push subscriptions) per user.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  MeDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  StackChannelsDocument,
  StackDocument,
  StacksDocument,
  RemoveIosDeviceDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  type ChannelFieldsFragment,
} from './generated/graphql';
import { dataOf, type GraphQLResponse } from './helpers/graphql';
import type { Session, TestServer } from './helpers/server';
import { startTestServer } from './helpers/server';
import {
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

async function channelsOf(session: Session, stackId: string): Promise<ChannelFieldsFragment[]> {
  return dataOf(await server.request(StackChannelsDocument, { id: stackId }, session.token)).stack.channels;
}

/** A field only the channel type of each kind has, to narrow the generated union. */
interface FieldOfKind {
  BROWSER: 'webPushSubscriptions';
  EMAIL: 'address';
  HIPCHAT: 'room';
  IOS: 'devices';
  SLACK: 'channelName';
  WEBHOOK: 'secretHint';
}

async function channelOf<K extends keyof FieldOfKind>(session: Session, stackId: string, kind: K) {
  const channel = (await channelsOf(session, stackId)).find((candidate) => candidate.kind === kind);
  if (!channel) throw new Error(`no ${kind} channel`);
  return channel as Extract<ChannelFieldsFragment, Record<FieldOfKind[K], unknown>>;
}

describe('channels', () => {
  it('lists all six kinds for a new stack: personal ones ready, shared ones waiting to be configured', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const channels = await channelsOf(owner, stackId);
    expect(channels.map((channel) => [channel.kind, channel.scope, channel.configured])).toEqual([
      ['BROWSER', 'PERSONAL', true],
      ['EMAIL', 'PERSONAL', true],
      ['HIPCHAT', 'SHARED', false],
      ['IOS', 'PERSONAL', false],
      ['SLACK', 'SHARED', false],
      ['WEBHOOK', 'SHARED', false],
    ]);
    expect(channels).toContainEqual(
      expect.objectContaining({ kind: 'EMAIL', address: owner.email, enabled: true }),
    );
    expect(channels).toContainEqual(
      expect.objectContaining({ kind: 'HIPCHAT', room: null, tokenHint: null }),
    );
    expect(channels).toContainEqual(
      expect.objectContaining({ kind: 'SLACK', urlHint: null, channelName: null }),
    );
    expect(channels).toContainEqual(
      expect.objectContaining({ kind: 'WEBHOOK', url: null, secretHint: null }),
    );
    expect(channels).toContainEqual(expect.objectContaining({ kind: 'IOS', devices: [] }));
    expect(channels).toContainEqual(expect.objectContaining({ kind: 'BROWSER', webPushSubscriptions: [] }));
  });

  it("shows each user their own email address and the stack's shared channels", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    dataOf(
      await server.request(
        ConfigureHipchatDocument,
        { stackId, input: { token: 'hipchatToken1234', room: 'ops' } },
        owner.token,
      ),
    );
    expect(await channelOf(member, stackId, 'EMAIL')).toMatchObject({ address: member.email });
    expect(await channelOf(member, stackId, 'HIPCHAT')).toMatchObject({ configured: true, room: 'ops' });
  });
});

describe('configureHipchat, configureSlack, configureWebhook', () => {
  it('configures Hipchat with a token and room and shows only the last characters of the token', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const input = { token: 'a1B2c3D4e5F6g7H8wxyz', room: ' Deploys ' };
    const { configureHipchat } = dataOf(
      await server.request(ConfigureHipchatDocument, { stackId, input }, owner.token),
    );
    expect(configureHipchat).toMatchObject({
      kind: 'HIPCHAT',
      scope: 'SHARED',
      configured: true,
      enabled: true,
      disabledReason: null,
      room: 'Deploys',
      tokenHint: '…wxyz',
    });
    expect(await channelOf(owner, stackId, 'HIPCHAT')).toEqual(configureHipchat);
  });

  it('configures Slack and shows the host and last characters of the incoming-webhook URL', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const input = {
      url: 'https://hooks.slack.com/services/T000/B000/abcdefghijklmnopqrstWXYZ',
      channel: '#deploys',
    };
    const { configureSlack } = dataOf(
      await server.request(ConfigureSlackDocument, { stackId, input }, owner.token),
    );
    expect(configureSlack).toMatchObject({
      kind: 'SLACK',
      scope: 'SHARED',
      configured: true,
      channelName: '#deploys',
      urlHint: 'hooks.slack.com/…WXYZ',
      warning: null,
    });
    const { warning: _warning, ...channel } = configureSlack;
    expect(await channelOf(owner, stackId, 'SLACK')).toEqual(channel);
  });

  it('replaces a configured channel rather than adding a second one', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const slack = (url: string, channel: string | null) =>
      server.request(ConfigureSlackDocument, { stackId, input: { url, channel } }, owner.token);
    dataOf(await slack('https://hooks.slack.com/services/T/B/first', '#one'));
    dataOf(await slack('https://chat.example.com/hooks/second', null));
    const channels = await channelsOf(owner, stackId);
    expect(channels.filter((channel) => channel.kind === 'SLACK')).toEqual([
      expect.objectContaining({ channelName: null, urlHint: 'chat.example.com/…cond' }),
    ]);
  });

  it('configures a webhook, returns its whsec_ signing secret once and a hint afterwards', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const first = dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'https://hooks.example.com/in' } },
        owner.token,
      ),
    ).configureWebhook;
    expect(first.signingSecret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const hint = `whsec_…${first.signingSecret!.slice(-4)}`;
    expect(first.channel).toMatchObject({
      configured: true,
      url: 'https://hooks.example.com/in',
      secretHint: hint,
    });

    const again = dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'https://hooks.example.com/other?team=1' } },
        owner.token,
      ),
    ).configureWebhook;
    expect(again.signingSecret).toBeNull();
    expect(again.channel).toMatchObject({ url: 'https://hooks.example.com/other?team=1', secretHint: hint });
    expect(await channelOf(owner, stackId, 'WEBHOOK')).toEqual(again.channel);
  });

  it('shows the full webhook URL only to callers who may change it; the others get its hint', async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const url = 'https://hooks.example.com/in/team-7?token=webhookQuerySecret';
    dataOf(await server.request(ConfigureWebhookDocument, { stackId, input: { url } }, owner.token));
    const readOnly = [Scope.SETTINGS_READ];
    const callers: [name: string, token: string, full: boolean][] = [
      ['the OWNER', owner.token, true],
      ['an ADMIN', admin.token, true],
      ["the OWNER's settings:read token", await server.createToken(owner, readOnly), false],
      ["an ADMIN's settings:read token", await server.createToken(admin, readOnly), false],
      ['a MEMBER with every scope', member.token, false],
      ["a MEMBER's settings:read token", await server.createToken(member, readOnly), false],
    ];
    for (const [name, token, full] of callers) {
      const { text, body } = await rawRequest(server, StackChannelsDocument, { id: stackId }, token);
      const webhook = dataOf(body).stack.channels.find((channel) => channel.kind === 'WEBHOOK');
      expect({ name, webhook }).toMatchObject({
        name,
        webhook: { configured: true, url: full ? url : null, urlHint: 'hooks.example.com/…am-7' },
      });
      if (!full) {
        expect({ name, leaked: text.includes('webhookQuerySecret') }).toEqual({ name, leaked: false });
      }
    }
  });

  it('never returns the Hipchat token, the Slack URL or the webhook secret after creation, in any response', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const hipchatToken = 'HipchatSecretToken987654';
    const slackUrl = 'https://hooks.slack.com/services/T0SECRET/B0SECRET/slackSecretPath12345';
    const texts: string[] = [];
    const record = async <T>(promise: Promise<{ text: string; body: T }>) => {
      const { text, body } = await promise;
      texts.push(text);
      return body;
    };

    await record(
      rawRequest(
        server,
        ConfigureHipchatDocument,
        { stackId, input: { token: hipchatToken, room: 'ops' } },
        owner.token,
      ),
    );
    await record(
      rawRequest(server, ConfigureSlackDocument, { stackId, input: { url: slackUrl } }, owner.token),
    );
    const created = await record(
      rawRequest(
        server,
        ConfigureWebhookDocument,
        { stackId, input: { url: 'https://hooks.example.com/a' } },
        owner.token,
      ),
    );
    const webhookSecret = dataOf(created).configureWebhook.signingSecret!;
    expect(texts.pop()).toContain(webhookSecret);

    await record(
      rawRequest(
        server,
        ConfigureWebhookDocument,
        { stackId, input: { url: 'https://hooks.example.com/b' } },
        owner.token,
      ),
    );
    for (const reader of [owner, member]) {
      await record(rawRequest(server, StackDocument, { id: stackId }, reader.token));
      await record(rawRequest(server, StacksDocument, { first: 100 }, reader.token));
      await record(rawRequest(server, MeDocument, {}, reader.token));
    }
    await record(rawRequest(server, RemoveChannelDocument, { stackId, kind: 'SLACK' }, owner.token));
    await record(rawRequest(server, RemoveChannelDocument, { stackId, kind: 'HIPCHAT' }, owner.token));

    expect(texts).toHaveLength(11);
    const slackPath = new URL(slackUrl).pathname;
    for (const text of texts) {
      expect(text).not.toContain(hipchatToken);
      expect(text).not.toContain(slackPath);
      expect(text).not.toContain('slackSecretPath');
      expect(text).not.toContain(webhookSecret);
      expect(text).not.toContain(webhookSecret.slice('whsec_'.length, -4));
    }
  });
});

describe('removeChannel', () => {
  it.each(['HIPCHAT', 'SLACK', 'WEBHOOK'] as const)('removes a configured %s channel', async (kind) => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const configure: () => Promise<GraphQLResponse<unknown>> = {
      HIPCHAT: () =>
        server.request(
          ConfigureHipchatDocument,
          { stackId, input: { token: 'tok3nTok3n', room: 'ops' } },
          owner.token,
        ),
      SLACK: () =>
        server.request(
          ConfigureSlackDocument,
          { stackId, input: { url: 'https://hooks.slack.com/x' } },
          owner.token,
        ),
      WEBHOOK: () =>
        server.request(
          ConfigureWebhookDocument,
          { stackId, input: { url: 'https://hooks.example.com/x' } },
          owner.token,
        ),
    }[kind];
    dataOf(await configure());
    const { removeChannel } = dataOf(
      await server.request(RemoveChannelDocument, { stackId, kind }, owner.token),
    );
    expect(removeChannel).toMatchObject({ kind, scope: 'SHARED', configured: false, enabled: false });
    expect(await channelOf(owner, stackId, kind)).toMatchObject({ configured: false });
    expectError(await server.request(RemoveChannelDocument, { stackId, kind }, owner.token), 'NOT_FOUND');
  });

  it('generates a new webhook secret when a removed webhook is configured again', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const configure = () =>
      server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'https://hooks.example.com/x' } },
        owner.token,
      );
    const first = dataOf(await configure()).configureWebhook.signingSecret;
    dataOf(await server.request(RemoveChannelDocument, { stackId, kind: 'WEBHOOK' }, owner.token));
    const second = dataOf(await configure()).configureWebhook.signingSecret;
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
  });

  it.each(['BROWSER', 'EMAIL', 'IOS'] as const)(
    'refuses to remove the personal %s channel with BAD_USER_INPUT naming kind and writes nothing',
    async (kind) => {
      const owner = await server.createAccount();
      const stackId = await createStack(server, owner);
      await expectNothingWritten(server, [owner], async () => {
        expectError(
          await server.request(RemoveChannelDocument, { stackId, kind }, owner.token),
          'BAD_USER_INPUT',
          'kind',
        );
      });
    },
  );
});

describe('registerIosDevice, unregisterIosDevice', () => {
  it("adds the device to the user's iOS channel on every stack, showing only the end of its token", async () => {
    const owner = await server.createAccount();
    const first = await createStack(server, owner, 'one');
    const second = await createStack(server, owner, 'two');
    const token = apnsToken();
    const { registerIosDevice } = dataOf(
      await server.request(
        RegisterIosDeviceDocument,
        { input: { token, deviceName: 'Ada’s iPhone' } },
        owner.token,
      ),
    );
    expect(registerIosDevice).toMatchObject({ deviceName: 'Ada’s iPhone', tokenHint: `…${token.slice(-6)}` });
    for (const stackId of [first, second]) {
      expect(await channelOf(owner, stackId, 'IOS')).toMatchObject({
        configured: true,
        devices: [registerIosDevice],
      });
    }
    const raw = await rawRequest(server, StackChannelsDocument, { id: first }, owner.token);
    expect(raw.text).not.toContain(token);
  });

  it('keeps one device per token: registering again renames it, in any letter case', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const token = apnsToken();
    const first = dataOf(await server.request(RegisterIosDeviceDocument, { input: { token } }, owner.token));
    const again = dataOf(
      await server.request(
        RegisterIosDeviceDocument,
        { input: { token: token.toUpperCase(), deviceName: 'iPad' } },
        owner.token,
      ),
    );
    expect(again.registerIosDevice.id).toBe(first.registerIosDevice.id);
    expect((await channelOf(owner, stackId, 'IOS')).devices).toEqual([again.registerIosDevice]);
  });

  it("shows a user's devices to that user only", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    dataOf(await server.request(RegisterIosDeviceDocument, { input: { token: apnsToken() } }, member.token));
    expect((await channelOf(member, stackId, 'IOS')).devices).toHaveLength(1);
    expect(await channelOf(owner, stackId, 'IOS')).toMatchObject({ configured: false, devices: [] });
  });

  it('unregisters a device, and answers NOT_FOUND for a device that is not registered', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const token = apnsToken();
    dataOf(await server.request(RegisterIosDeviceDocument, { input: { token } }, owner.token));
    const removed = await server.request(
      UnregisterIosDeviceDocument,
      { token: token.toUpperCase() },
      owner.token,
    );
    expect(dataOf(removed).unregisterIosDevice).toBe(true);
    expect(await channelOf(owner, stackId, 'IOS')).toMatchObject({ configured: false, devices: [] });
    expectError(await server.request(UnregisterIosDeviceDocument, { token }, owner.token), 'NOT_FOUND');
  });

  it('removes a device by its id, as a page listing them does, and answers NOT_FOUND once it is gone', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const { registerIosDevice } = dataOf(
      await server.request(RegisterIosDeviceDocument, { input: { token: apnsToken() } }, owner.token),
    );
    const removed = await server.request(RemoveIosDeviceDocument, { id: registerIosDevice.id }, owner.token);
    expect(dataOf(removed).removeIosDevice).toBe(registerIosDevice.id);
    expect(await channelOf(owner, stackId, 'IOS')).toMatchObject({ configured: false, devices: [] });
    expectError(
      await server.request(RemoveIosDeviceDocument, { id: registerIosDevice.id }, owner.token),
      'NOT_FOUND',
    );
  });

  it("does not let one user remove another user's device by its id, even an admin", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const { registerIosDevice } = dataOf(
      await server.request(RegisterIosDeviceDocument, { input: { token: apnsToken() } }, member.token),
    );
    await expectNothingWritten(server, [member], async () => {
      expectError(
        await server.request(RemoveIosDeviceDocument, { id: registerIosDevice.id }, owner.token),
        'NOT_FOUND',
      );
    });
    expect((await channelOf(member, stackId, 'IOS')).devices).toHaveLength(1);
  });

  it("does not let one user unregister another user's device", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const token = apnsToken();
    dataOf(await server.request(RegisterIosDeviceDocument, { input: { token } }, member.token));
    await expectNothingWritten(server, [member], async () => {
      expectError(await server.request(UnregisterIosDeviceDocument, { token }, owner.token), 'NOT_FOUND');
    });
    expect((await channelOf(member, stackId, 'IOS')).devices).toHaveLength(1);
  });
  it('keeps a row per person for a device two people register, and each unregisters only their own', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const token = apnsToken();
    const input = { token, deviceName: 'Shared iPad' };
    const mine = dataOf(await server.request(RegisterIosDeviceDocument, { input }, member.token));
    const theirs = dataOf(await server.request(RegisterIosDeviceDocument, { input: { token } }, owner.token));
    expect(theirs.registerIosDevice.id).not.toBe(mine.registerIosDevice.id);
    expect((await channelOf(member, stackId, 'IOS')).devices).toEqual([mine.registerIosDevice]);
    expect((await channelOf(owner, stackId, 'IOS')).devices).toEqual([theirs.registerIosDevice]);
    expect(dataOf(await server.request(UnregisterIosDeviceDocument, { token }, owner.token))).toEqual({
      unregisterIosDevice: true,
    });
    expect((await channelOf(member, stackId, 'IOS')).devices).toEqual([mine.registerIosDevice]);
  });
});

describe('registerWebPushSubscription, unregisterWebPushSubscription', () => {
  it("adds the browser's subscription to the user's browser channel", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    const input = webPushSubscription();
    const { registerWebPushSubscription } = dataOf(
      await server.request(RegisterWebPushSubscriptionDocument, { input }, owner.token),
    );
    const { warning, ...subscription } = registerWebPushSubscription;
    expect({ endpoint: subscription.endpoint, warning }).toEqual({ endpoint: input.endpoint, warning: null });
    expect(await channelOf(owner, stackId, 'BROWSER')).toMatchObject({
      configured: true,
      webPushSubscriptions: [subscription],
    });
    expect((await channelOf(member, stackId, 'BROWSER')).webPushSubscriptions).toEqual([]);
    const raw = await rawRequest(server, StackChannelsDocument, { id: stackId }, owner.token);
    expect(raw.text).not.toContain(input.keys.auth);
  });

  it('keeps one subscription per endpoint: registering again replaces its keys', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const first = webPushSubscription();
    const renewed = webPushSubscription(first.endpoint);
    const a = dataOf(
      await server.request(RegisterWebPushSubscriptionDocument, { input: first }, owner.token),
    );
    const b = dataOf(
      await server.request(RegisterWebPushSubscriptionDocument, { input: renewed }, owner.token),
    );
    expect(b.registerWebPushSubscription.id).toBe(a.registerWebPushSubscription.id);
    expect((await channelOf(owner, stackId, 'BROWSER')).webPushSubscriptions).toHaveLength(1);
  });

  it('unregisters a subscription by the endpoint the browser gave, and answers NOT_FOUND the second time', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    // The URL parser adds the trailing slash to the stored endpoint; the browser's own spelling still finds it.
    const input = webPushSubscription('https://push.example.com');
    dataOf(await server.request(RegisterWebPushSubscriptionDocument, { input }, owner.token));
    const removed = await server.request(
      UnregisterWebPushSubscriptionDocument,
      { endpoint: input.endpoint },
      owner.token,
    );
    expect(dataOf(removed).unregisterWebPushSubscription).toBe(true);
    expect((await channelOf(owner, stackId, 'BROWSER')).webPushSubscriptions).toEqual([]);
    expectError(
      await server.request(UnregisterWebPushSubscriptionDocument, { endpoint: input.endpoint }, owner.token),
      'NOT_FOUND',
    );
  });

  it("does not let one user unregister another user's subscription", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const input = webPushSubscription();
    dataOf(await server.request(RegisterWebPushSubscriptionDocument, { input }, member.token));
    await expectNothingWritten(server, [member], async () => {
      expectError(
        await server.request(
          UnregisterWebPushSubscriptionDocument,
          { endpoint: input.endpoint },
          owner.token,
        ),
        'NOT_FOUND',
      );
    });
  });
});

describe('channel ids', () => {
  it("keep a shared channel's id through configuring and removing, and give a personal channel one id per user", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const first = await createStack(server, owner, 'one');
    const second = await createStack(server, owner, 'two');
    const ids = async (session: Session, stackId: string) =>
      Object.fromEntries((await channelsOf(session, stackId)).map((channel) => [channel.kind, channel.id]));
    const expected = (stackId: string, userId: string) => ({
      BROWSER: `BrowserChannel:${userId}`,
      EMAIL: `EmailChannel:${userId}`,
      HIPCHAT: `HipchatChannel:${stackId}`,
      IOS: `IosChannel:${userId}`,
      SLACK: `SlackChannel:${stackId}`,
      WEBHOOK: `WebhookChannel:${stackId}`,
    });
    expect(await ids(owner, first)).toEqual(expected(first, owner.userId));
    expect(await ids(owner, second)).toEqual(expected(second, owner.userId));
    expect(await ids(member, first)).toEqual(expected(first, member.userId));

    const input = { url: 'https://hooks.slack.com/services/T0/B0/XXXX' };
    const { configureSlack } = dataOf(
      await server.request(ConfigureSlackDocument, { stackId: first, input }, owner.token),
    );
    expect(configureSlack).toMatchObject({ id: `SlackChannel:${first}`, configured: true });
    const { removeChannel } = dataOf(
      await server.request(RemoveChannelDocument, { stackId: first, kind: 'SLACK' }, owner.token),
    );
    expect(removeChannel).toMatchObject({ id: `SlackChannel:${first}`, configured: false });
    expect(await ids(owner, first)).toEqual(expected(first, owner.userId));
  });
});
