// Publishing decides who gets an event from a per-process cache of each stack's settings, checked against the
// stack's settings_version that database triggers bump. These tests change every kind of setting through a second
// instance on the same database and publish through the first, whose cache must notice each change at once.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { Delivery } from '../src/modules/deliveries/delivery.entity';
import {
  AddUserDocument,
  ConfigureWebhookDocument,
  CreateChannelDocument,
  CreateStackDocument,
  DeleteChannelDocument,
  MeDocument,
  PublishEventDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  RemoveUserDocument,
  RevokeApiTokenDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  StackChannelMatrixDocument,
  UnregisterIosDeviceDocument,
} from './generated/graphql';
import { dataOf, errorCode } from './helpers/graphql';
import {
  startOtherInstance,
  startTestServer,
  type OtherInstance,
  type Session,
  type TestServer,
} from './helpers/server';
import { apnsToken, webPushSubscription } from './helpers/settings-fixtures';

const AUTH_CACHE_MS = 300;

let server: TestServer;
let other: OtherInstance;

beforeAll(async () => {
  server = await startTestServer({ WORKERS: '0', AUTH_CACHE_MS: String(AUTH_CACHE_MS) });
  other = await startOtherInstance(server);
});
afterAll(async () => {
  await other?.close();
  await server?.close();
});

describe('the audience of a published event', () => {
  let owner: Session;
  let publisher: string;
  let stackId: string;

  /** Publishes through the first instance and answers the channels of the outbox rows written. */
  async function channelsOfNextEvent(): Promise<string[]> {
    const { publishEvent } = dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId, eventType: 'STACK_REDEPLOY_OK', data: { commit: 'abc123' } } },
        publisher,
      ),
    );
    const rows = await server.app.services.dataSource
      .getRepository(Delivery)
      .findBy({ notificationId: publishEvent.id });
    return rows.map((row) => row.channel).sort();
  }

  beforeAll(async () => {
    owner = await server.createAccount();
    stackId = dataOf(
      await server.request(
        CreateStackDocument,
        { input: { name: 'web', environment: 'production' } },
        owner.token,
      ),
    ).createStack.id;
    dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'http://127.0.0.1:9/hook' } },
        owner.token,
      ),
    );
    publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
  });

  it('follows every kind of settings change made on another instance, from the next event on', async () => {
    expect(await channelsOfNextEvent()).toEqual(['EMAIL', 'WEBHOOK']);
    // Twice, so the second answer comes from the cache.
    expect(await channelsOfNextEvent()).toEqual(['EMAIL', 'WEBHOOK']);

    const cell = (channel: 'WEBHOOK' | 'EMAIL', enabled: boolean) =>
      other
        .request(
          SetEventPreferenceDocument,
          { stackId, eventType: 'STACK_REDEPLOY_OK', channel, enabled },
          owner.token,
        )
        .then(dataOf);

    await cell('WEBHOOK', false);
    expect(await channelsOfNextEvent()).toEqual(['EMAIL']);
    await cell('WEBHOOK', true);
    expect(await channelsOfNextEvent()).toEqual(['EMAIL', 'WEBHOOK']);
    await cell('EMAIL', false);
    expect(await channelsOfNextEvent()).toEqual(['WEBHOOK']);
    await cell('EMAIL', true);

    const token = apnsToken();
    dataOf(
      await other.request(RegisterIosDeviceDocument, { input: { token, deviceName: 'phone' } }, owner.token),
    );
    expect(await channelsOfNextEvent()).toEqual(['EMAIL', 'IOS', 'WEBHOOK']);
    dataOf(await other.request(UnregisterIosDeviceDocument, { token }, owner.token));
    expect(await channelsOfNextEvent()).toEqual(['EMAIL', 'WEBHOOK']);

    const subscription = webPushSubscription('http://127.0.0.1:9/push');
    dataOf(await other.request(RegisterWebPushSubscriptionDocument, { input: subscription }, owner.token));
    expect(await channelsOfNextEvent()).toEqual(['BROWSER', 'EMAIL', 'WEBHOOK']);

    const { addUser } = dataOf(
      await other.request(
        AddUserDocument,
        { input: { email: 'member@example.com', name: 'Member', role: 'MEMBER' } },
        owner.token,
      ),
    );
    expect(await channelsOfNextEvent()).toEqual(['BROWSER', 'EMAIL', 'EMAIL', 'WEBHOOK']);
    dataOf(await other.request(RemoveUserDocument, { userId: addUser.id }, owner.token));
    expect(await channelsOfNextEvent()).toEqual(['BROWSER', 'EMAIL', 'WEBHOOK']);

    dataOf(await other.request(RemoveChannelDocument, { stackId, kind: 'WEBHOOK' }, owner.token));
    expect(await channelsOfNextEvent()).toEqual(['BROWSER', 'EMAIL']);
  });
});

describe("a viewer's matrix", () => {
  it("follows every change of its cells and columns made on another instance, and is each viewer's own", async () => {
    const owner = await server.createAccount();
    const stackId = dataOf(
      await server.request(
        CreateStackDocument,
        { input: { name: 'api', environment: 'production' } },
        owner.token,
      ),
    ).createStack.id;
    const member = (await server.addUser(owner, Role.MEMBER)).token;

    /** The first instance's answer: each JOB_FAIL cell as column=on|off, personal ones by kind. */
    const jobFailRow = async (token = owner.token) => {
      const { stack } = dataOf(await server.request(StackChannelMatrixDocument, { id: stackId }, token));
      const row = stack.preferences.find((candidate) => candidate.eventType === 'JOB_FAIL')!;
      return {
        channelCells: row.channelCells.map((cell) => `${cell.channelId ?? cell.channel}=${cell.enabled}`),
        cells: row.cells.map((cell) => `${cell.channel}=${cell.enabled}`),
      };
    };

    const before = await jobFailRow();
    expect(before.channelCells).toEqual(['BROWSER=true', 'EMAIL=true', 'IOS=true']);
    // Read twice, so that what follows is checked against a remembered matrix.
    expect(await jobFailRow()).toEqual(before);

    // A personal cell, on the other instance.
    dataOf(
      await other.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
        owner.token,
      ),
    );
    expect((await jobFailRow()).channelCells).toEqual(['BROWSER=true', 'EMAIL=false', 'IOS=true']);
    // The member's own matrix is not the owner's.
    expect((await jobFailRow(member)).channelCells).toEqual(['BROWSER=true', 'EMAIL=true', 'IOS=true']);

    // A kind-level cell of a kind the stack has no channel of.
    dataOf(
      await other.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false },
        owner.token,
      ),
    );
    expect((await jobFailRow()).cells).toContain('SLACK=false');

    // A column added, its cell changed, then the column removed.
    const { createChannel } = dataOf(
      await other.request(
        CreateChannelDocument,
        { stackId, input: { name: 'Ops hook', webhook: { url: 'http://127.0.0.1:9/hook' } } },
        owner.token,
      ),
    );
    const hook = createChannel.channel.id;
    expect((await jobFailRow()).channelCells).toEqual([
      'BROWSER=true',
      'EMAIL=false',
      'IOS=true',
      `${hook}=true`,
    ]);
    dataOf(
      await other.request(
        SetEventPreferencesDocument,
        { stackId, changes: [{ eventType: 'JOB_FAIL', channelId: hook, enabled: false }] },
        owner.token,
      ),
    );
    expect((await jobFailRow()).channelCells).toContain(`${hook}=false`);
    expect((await jobFailRow(member)).channelCells).toContain(`${hook}=false`);
    dataOf(await other.request(DeleteChannelDocument, { id: hook }, owner.token));
    expect((await jobFailRow()).channelCells).toEqual(['BROWSER=true', 'EMAIL=false', 'IOS=true']);
  });
});

describe('remembered tokens', () => {
  it('refuses a token revoked on this instance at once, and one revoked on another within AUTH_CACHE_MS', async () => {
    const owner = await server.createAccount();
    const here = await server.createToken(owner, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    const there = await server.createToken(owner, [Scope.SETTINGS_READ]);
    for (const token of [here, there]) dataOf(await server.request(MeDocument, {}, token));

    const idOf = async (secret: string) => {
      const auth = await server.app.services.tokens.authenticate(`Bearer ${secret}`);
      if (!('viewer' in auth)) throw new Error('the token should work before it is revoked');
      return auth.viewer.tokenId;
    };

    dataOf(await server.request(RevokeApiTokenDocument, { id: await idOf(here) }, owner.token));
    expect(errorCode(await server.request(MeDocument, {}, here))).toBe('UNAUTHENTICATED');

    dataOf(await other.request(RevokeApiTokenDocument, { id: await idOf(there) }, owner.token));
    await new Promise((resolve) => setTimeout(resolve, AUTH_CACHE_MS + 50));
    expect(errorCode(await server.request(MeDocument, {}, there))).toBe('UNAUTHENTICATED');
  });
});
