// Settings reads are answered from a per-process cache while the stack's settings_version is unchanged. These tests
// read through the first instance and compare every answer with a second instance on the same database that has the
// cache turned off, after changes of every kind made through that second instance or straight in the database.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { StackChannel } from '../src/modules/channels/stack-channel.entity';
import type { App } from '../src/app';
import {
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  PublishEventDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  RotateWebhookSecretDocument,
  SetEventPreferenceDocument,
  StackDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  UpdateStackDocument,
} from './generated/graphql';
import { dataOf, errorCode, type GraphQLResponse } from './helpers/graphql';
import {
  startOtherInstance,
  startTestServer,
  type OtherInstance,
  type Session,
  type TestServer,
} from './helpers/server';
import { apnsToken, webPushSubscription } from './helpers/settings-fixtures';

let server: TestServer;
/** Same database, cache off: the reference answer, and where changes are made. */
let other: OtherInstance;

beforeAll(async () => {
  server = await startTestServer({ WORKERS: '0' });
  other = await startOtherInstance(server, { SETTINGS_CACHE_ENTRIES: '0' });
});
afterAll(async () => {
  await other?.close();
  await server?.close();
});

async function lookups(app: App): Promise<{ hit: number; miss: number }> {
  const metric = await app.metrics.settingsCacheLookups.get();
  const count = (result: string) => metric.values.find((value) => value.labels.result === result)?.value ?? 0;
  return { hit: count('hit'), miss: count('miss') };
}

async function createStack(owner: Session, name = 'web'): Promise<string> {
  return dataOf(
    await server.request(CreateStackDocument, { input: { name, environment: 'production' } }, owner.token),
  ).createStack.id;
}

describe('the settings cache', () => {
  let owner: Session;
  let stackId: string;

  /** The answer of the cached instance, checked against the uncached one. */
  async function read(token = owner.token) {
    const cached = dataOf(await server.request(StackDocument, { id: stackId }, token));
    const reference = dataOf(await other.request(StackDocument, { id: stackId }, token));
    expect(cached).toEqual(reference);
    return cached.stack;
  }

  beforeAll(async () => {
    owner = await server.createAccount();
    stackId = await createStack(owner);
  });

  it('answers a repeated read from memory', async () => {
    await read();
    const before = await lookups(server.app);
    const first = await read();
    const second = await read();
    expect(second).toEqual(first);
    expect(await lookups(server.app)).toEqual({ hit: before.hit + 2, miss: before.miss });
    expect(await lookups(other.app)).toEqual({ hit: 0, miss: 0 });
  });

  it('shows every kind of change made on another instance from the next read on', async () => {
    await read();
    const change = async <T>(response: Promise<GraphQLResponse<T>>) => {
      dataOf(await response);
      return read();
    };
    const channel = async (kind: string) => (await read()).channels.find((c) => c.kind === kind)!;

    let stack = await change(
      other.request(
        UpdateStackDocument,
        { id: stackId, input: { name: 'web-2', environment: 'staging' } },
        owner.token,
      ),
    );
    expect([stack.name, stack.environment]).toEqual(['web-2', 'staging']);

    await change(
      other.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/hook' } },
        owner.token,
      ),
    );
    const secretHint = async () => ((await channel('WEBHOOK')) as { secretHint?: string | null }).secretHint;
    expect(await channel('WEBHOOK')).toMatchObject({ configured: true, url: 'http://127.0.0.1:9/hook' });
    const hint = await secretHint();
    await change(other.request(RotateWebhookSecretDocument, { stackId }, owner.token));
    expect(await secretHint()).not.toEqual(hint);
    await change(
      other.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/other' } },
        owner.token,
      ),
    );
    expect(await channel('WEBHOOK')).toMatchObject({ url: 'http://127.0.0.1:9/other' });

    await change(
      other.request(
        ConfigureSlackDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/services/T0/B0/xyz', channel: '#ops' } },
        owner.token,
      ),
    );
    expect(await channel('SLACK')).toMatchObject({ configured: true, channelName: '#ops' });
    await change(
      other.request(
        ConfigureHipchatDocument,
        { stackId, input: { room: 'ops', token: 'hipchat-token' } },
        owner.token,
      ),
    );
    expect(await channel('HIPCHAT')).toMatchObject({ configured: true, room: 'ops' });

    for (const enabled of [false, true]) {
      for (const kind of ['WEBHOOK', 'EMAIL'] as const) {
        stack = await change(
          other.request(
            SetEventPreferenceDocument,
            { stackId, eventType: 'JOB_FAIL', channel: kind, enabled },
            owner.token,
          ),
        );
        const row = stack.preferences.find((p) => p.eventType === 'JOB_FAIL')!;
        expect(row.cells.find((cell) => cell.channel === kind)).toMatchObject({ enabled, isDefault: false });
      }
    }

    const token = apnsToken();
    await change(
      other.request(RegisterIosDeviceDocument, { input: { token, deviceName: 'phone' } }, owner.token),
    );
    expect(await channel('IOS')).toMatchObject({ configured: true, devices: [{ deviceName: 'phone' }] });
    await change(other.request(UnregisterIosDeviceDocument, { token }, owner.token));
    expect(await channel('IOS')).toMatchObject({ configured: false, devices: [] });

    const subscription = webPushSubscription('http://127.0.0.1:9/push');
    await change(other.request(RegisterWebPushSubscriptionDocument, { input: subscription }, owner.token));
    expect(await channel('BROWSER')).toMatchObject({
      webPushSubscriptions: [{ endpoint: subscription.endpoint }],
    });
    await change(
      other.request(UnregisterWebPushSubscriptionDocument, { endpoint: subscription.endpoint }, owner.token),
    );
    expect(await channel('BROWSER')).toMatchObject({ webPushSubscriptions: [] });

    await change(other.request(RemoveChannelDocument, { stackId, kind: 'HIPCHAT' }, owner.token));
    expect(await channel('HIPCHAT')).toMatchObject({ configured: false });
  });

  it('shows a channel disabled by a delivery worker, or any other writer of the database', async () => {
    dataOf(
      await other.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/hook' } },
        owner.token,
      ),
    );
    await read();
    const channels = other.app.services.dataSource.getRepository(StackChannel);
    await channels.update(
      { stackId, kind: 'WEBHOOK' as StackChannel['kind'] },
      { enabled: false, disabledReason: 'failing for 72 hours' },
    );
    const webhook = (await read()).channels.find((c) => c.kind === 'WEBHOOK');
    expect(webhook).toMatchObject({ enabled: false, disabledReason: 'failing for 72 hours' });
    await channels.update({ stackId, kind: 'WEBHOOK' as StackChannel['kind'] }, { secretHint: '…hint' });
    expect((await read()).channels.find((c) => c.kind === 'WEBHOOK')).toMatchObject({ secretHint: '…hint' });
  });

  it("keeps each viewer's answer to that viewer and that token's rights", async () => {
    const member = await server.addUser(owner, Role.MEMBER, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    dataOf(
      await other.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'SERVER_STOPPED', channel: 'EMAIL', enabled: false },
        owner.token,
      ),
    );
    const emailCell = (stack: Awaited<ReturnType<typeof read>>) =>
      stack.preferences
        .find((p) => p.eventType === 'SERVER_STOPPED')!
        .cells.find((cell) => cell.channel === 'EMAIL');
    const mine = await read(owner.token);
    const theirs = await read(member.token);
    expect(emailCell(mine)).toMatchObject({ enabled: false, isDefault: false });
    expect(emailCell(theirs)).toMatchObject({ isDefault: true });
    expect(theirs.channels.find((c) => c.kind === 'EMAIL')).toMatchObject({ address: member.email });

    // The owner's answer is remembered; a token of the same user without settings:read still gets no settings.
    await read(owner.token);
    const publishOnly = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    expect(errorCode(await server.request(StackDocument, { id: stackId }, publishOnly))).toBe('FORBIDDEN');
    // Nor does anyone of another account.
    const stranger = await server.createAccount();
    expect(errorCode(await server.request(StackDocument, { id: stackId }, stranger.token))).toBe('NOT_FOUND');
  });

  it('answers queries that read anything besides settings as usual', async () => {
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    const query = `query($id: ID!) { stack(id: $id) { name unreadCount } }`;
    const unread = async () => {
      const response = await server.request<{ stack: { unreadCount: number } }, { id: string }>(
        query,
        { id: stackId },
        owner.token,
      );
      return dataOf(response).stack.unreadCount;
    };
    const before = await lookups(server.app);
    const first = await unread();
    dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId, eventType: 'JOB_FAIL', data: { job: 'backup' } } },
        publisher,
      ),
    );
    expect(await unread()).toBe(first + 1);
    // Two stacks in one query are not remembered either.
    const second = await createStack(owner, 'api');
    const both = `query($a: ID!, $b: ID!) { a: stack(id: $a) { name } b: stack(id: $b) { name } }`;
    for (let i = 0; i < 2; i += 1) {
      const response = await server.request<unknown, { a: string; b: string }>(
        both,
        { a: stackId, b: second },
        owner.token,
      );
      expect(dataOf(response)).toMatchObject({ b: { name: 'api' } });
    }
    expect(await lookups(server.app)).toEqual(before);
  });
});
