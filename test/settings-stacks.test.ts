// me, eventTypes and the stacks of an account: listing with Relay pagination, reading, creating, renaming, deleting.
import { Role } from '../src/modules/accounts/user.entity';
import { StackChannel } from '../src/modules/channels/stack-channel.entity';
import { ChannelPreference, UserPreference } from '../src/modules/preferences/preference.entities';
import {
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  DeleteStackDocument,
  EventTypesDocument,
  MeDocument,
  SetEventPreferenceDocument,
  StackDocument,
  StacksDocument,
  UpdateStackDocument,
  type StacksQuery,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';
import { createStack, expectError } from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/**
 * The event types table of the seed (../shared/seed/stack-notifications.md): its keys as it spells them, its
 * descriptions as the one human name each event has everywhere, typos corrected.
 */
const seedEventTypes: [key: string, description: string][] = [
  ['stack.provision.ok', 'Stack provisioned successfully'],
  ['stack.provision.fail', 'Stack provision failed'],
  ['stack.redeploy.ok', 'Stack redeployed successfully'],
  ['stack.redeploy.fail', 'Stack redeploy failed'],
  ['server.stopped', 'Server heartbeat stopped'],
  ['server.backon', 'Server heartbeat restored'],
  ['job.fail', 'Job run failed'],
  ['job.backon', 'Job run succeeded again'],
  ['process.down', 'Process is down'],
  ['app.auth', 'App authorized to access the account'],
  ['app.deauth', 'App deauthorized from accessing the account'],
  ['stack.redeploy.hook.fail', 'Stack redeployment hook failed'],
  ['stack.deploy.started', 'Stack deployment started'],
  ['container.down', 'Container is down'],
];
const allChannels = ['BROWSER', 'EMAIL', 'HIPCHAT', 'IOS', 'SLACK', 'WEBHOOK', 'TEAMS', 'DISCORD'];

describe('me', () => {
  it("answers with the token's user, their account and its people, and the user's tokens", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const { me } = dataOf(await server.request(MeDocument, {}, owner.token));
    expect(me).toMatchObject({ id: owner.userId, email: owner.email, role: 'OWNER' });
    expect(me.account.id).toBe(owner.accountId);
    expect(me.account.users.map((user) => [user.id, user.role])).toEqual([
      [owner.userId, 'OWNER'],
      [member.userId, 'MEMBER'],
    ]);
    expect(me.apiTokens).toHaveLength(1);
    expect(me.apiTokens[0]).toMatchObject({ name: 'bootstrap', revokedAt: null });
    expect(me.apiTokens[0].scopes.sort()).toEqual(['EVENTS_PUBLISH', 'SETTINGS_READ', 'SETTINGS_WRITE']);
    expect(owner.token.startsWith(me.apiTokens[0].tokenPrefix)).toBe(true);
  });

  it('answers a MEMBER with the MEMBER, not the owner', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const { me } = dataOf(await server.request(MeDocument, {}, member.token));
    expect(me).toMatchObject({ id: member.userId, email: member.email, role: 'MEMBER' });
    expect(me.account.id).toBe(owner.accountId);
  });
});

describe('eventTypes', () => {
  it("lists the seed's fourteen event types with their dotted keys and descriptions, without a token", async () => {
    const { eventTypes } = dataOf(await server.request(EventTypesDocument, {}));
    expect(eventTypes.map((type) => [type.key, type.description])).toEqual(seedEventTypes);
    for (const type of eventTypes) expect(type.type).toBe(type.key.toUpperCase().replace(/\./g, '_'));
  });

  it('starts every channel on for every event type except stack.deploy.started, which starts with none', async () => {
    const { eventTypes } = dataOf(await server.request(EventTypesDocument, {}));
    for (const type of eventTypes) {
      expect(type.defaultChannels).toEqual(type.key === 'stack.deploy.started' ? [] : allChannels);
    }
  });
});

describe('stacks', () => {
  it('answers an account without stacks with an empty connection', async () => {
    const owner = await server.createAccount();
    const { stacks } = dataOf(await server.request(StacksDocument, {}, owner.token));
    expect(stacks).toEqual({ edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
  });

  it('pages through the stacks with first and after, each stack exactly once, in the order of one big page', async () => {
    const owner = await server.createAccount();
    const created: string[] = [];
    for (let i = 0; i < 5; i += 1) created.push(await createStack(server, owner, `stack-${i}`));

    const whole = dataOf(await server.request(StacksDocument, { first: 100 }, owner.token)).stacks;
    expect(whole.pageInfo.hasNextPage).toBe(false);
    expect(whole.edges.map((edge) => edge.node.id).sort()).toEqual([...created].sort());

    const pages: string[][] = [];
    let after: string | null = null;
    for (;;) {
      const { stacks }: StacksQuery = dataOf(
        await server.request(StacksDocument, { first: 2, after }, owner.token),
      );
      pages.push(stacks.edges.map((edge) => edge.node.id));
      expect(stacks.pageInfo.endCursor).toBe(stacks.edges.at(-1)?.cursor);
      if (!stacks.pageInfo.hasNextPage) break;
      after = stacks.pageInfo.endCursor;
      expect(pages.length).toBeLessThan(5);
    }
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat()).toEqual(whole.edges.map((edge) => edge.node.id));
  });

  it('returns twenty stacks when first is omitted', async () => {
    const owner = await server.createAccount();
    for (let i = 0; i < 21; i += 1) await createStack(server, owner, `stack-${i}`);
    const { stacks } = dataOf(await server.request(StacksDocument, {}, owner.token));
    expect(stacks.edges).toHaveLength(20);
    expect(stacks.pageInfo.hasNextPage).toBe(true);
  });

  it('refuses a cursor it did not issue with BAD_USER_INPUT naming after', async () => {
    const owner = await server.createAccount();
    await createStack(server, owner);
    for (const after of [
      'not-a-cursor',
      Buffer.from('[1,2]').toString('base64url'),
      Buffer.from('7').toString('base64url'),
    ]) {
      expectError(
        await server.request(StacksDocument, { first: 2, after }, owner.token),
        'BAD_USER_INPUT',
        'after',
      );
    }
  });

  it('refuses a page size over 100, or under 1, with BAD_USER_INPUT naming first', async () => {
    const owner = await server.createAccount();
    for (const first of [101, 0, -1]) {
      expectError(await server.request(StacksDocument, { first }, owner.token), 'BAD_USER_INPUT', 'first');
    }
    expect(dataOf(await server.request(StacksDocument, { first: 100 }, owner.token)).stacks.edges).toEqual(
      [],
    );
  });

  it("lets a MEMBER read the account's stacks", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const id = await createStack(server, owner, 'shop');
    const { stacks } = dataOf(await server.request(StacksDocument, {}, member.token));
    expect(stacks.edges.map((edge) => edge.node)).toEqual([{ id, name: 'shop', environment: 'production' }]);
    expect(dataOf(await server.request(StackDocument, { id }, member.token)).stack.name).toBe('shop');
  });
});

describe('stack, createStack, updateStack, deleteStack', () => {
  it('creates a stack with a trimmed name, production as the default environment, and reads it back', async () => {
    const owner = await server.createAccount();
    const { createStack: created } = dataOf(
      await server.request(CreateStackDocument, { input: { name: '  shop  ' } }, owner.token),
    );
    expect(created).toMatchObject({ name: 'shop', environment: 'production' });
    expect(Number.isNaN(Date.parse(created.createdAt))).toBe(false);
    const { stack } = dataOf(await server.request(StackDocument, { id: created.id }, owner.token));
    expect(stack).toMatchObject({
      id: created.id,
      name: 'shop',
      environment: 'production',
      createdAt: created.createdAt,
    });
  });

  it('lets an ADMIN create, rename and delete stacks', async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const id = await createStack(server, admin, 'api', 'staging');
    dataOf(await server.request(UpdateStackDocument, { id, input: { name: 'api-v2' } }, admin.token));
    expect(dataOf(await server.request(StackDocument, { id }, owner.token)).stack.name).toBe('api-v2');
    expect(dataOf(await server.request(DeleteStackDocument, { id }, admin.token)).deleteStack).toBe(id);
  });

  it('changes only the fields an update names', async () => {
    const owner = await server.createAccount();
    const id = await createStack(server, owner, 'api', 'staging');
    const renamed = dataOf(
      await server.request(UpdateStackDocument, { id, input: { name: ' api-v2 ' } }, owner.token),
    );
    expect(renamed.updateStack).toEqual({ id, name: 'api-v2', environment: 'staging' });
    const moved = dataOf(
      await server.request(UpdateStackDocument, { id, input: { environment: 'production' } }, owner.token),
    );
    expect(moved.updateStack).toEqual({ id, name: 'api-v2', environment: 'production' });
    const { stack } = dataOf(await server.request(StackDocument, { id }, owner.token));
    expect(stack).toMatchObject({ name: 'api-v2', environment: 'production' });
  });

  it('deletes a stack with its channels and preferences, and leaves the other stacks alone', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const doomed = await createStack(server, owner, 'doomed');
    const kept = await createStack(server, owner, 'kept');
    for (const stackId of [doomed, kept]) {
      dataOf(
        await server.request(
          ConfigureSlackDocument,
          { stackId, input: { url: 'https://hooks.slack.com/services/T/B/x' } },
          owner.token,
        ),
      );
      dataOf(
        await server.request(
          ConfigureWebhookDocument,
          { stackId, input: { url: 'https://hooks.example.com/in' } },
          owner.token,
        ),
      );
      const shared = { stackId, eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false } as const;
      dataOf(await server.request(SetEventPreferenceDocument, shared, owner.token));
      const personal = { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false } as const;
      dataOf(await server.request(SetEventPreferenceDocument, personal, member.token));
    }
    const rowsOf = async (stackId: string) => {
      const { dataSource } = server.app.services;
      return [
        await dataSource.getRepository(StackChannel).countBy({ stackId }),
        // The SLACK cell set by kind is the Slack channel's own.
        await dataSource.getRepository(ChannelPreference).countBy({ stackId }),
        await dataSource.getRepository(UserPreference).countBy({ stackId }),
      ];
    };
    expect(await rowsOf(doomed)).toEqual([2, 1, 1]);

    expect(dataOf(await server.request(DeleteStackDocument, { id: doomed }, owner.token)).deleteStack).toBe(
      doomed,
    );

    expectError(await server.request(StackDocument, { id: doomed }, owner.token), 'NOT_FOUND');
    expectError(await server.request(DeleteStackDocument, { id: doomed }, owner.token), 'NOT_FOUND');
    const { stacks } = dataOf(await server.request(StacksDocument, {}, owner.token));
    expect(stacks.edges.map((edge) => edge.node.id)).toEqual([kept]);
    expect(await rowsOf(doomed)).toEqual([0, 0, 0]);
    expect(await rowsOf(kept)).toEqual([2, 1, 1]);
  });
});
