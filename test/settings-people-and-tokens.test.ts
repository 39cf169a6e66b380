// API tokens (shown once, scoped, revocable) and the account's people (addUser, setUserRole, removeUser), with the
// rule that an account always keeps one OWNER.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { IosDevice } from '../src/modules/channels/ios-device.entity';
import { UserPreference } from '../src/modules/preferences/preference.entities';
import {
  AccountTokensDocument,
  AddUserDocument,
  CreateApiTokenDocument,
  CreateStackDocument,
  MeDocument,
  RegisterIosDeviceDocument,
  RemoveUserDocument,
  RevokeApiTokenDocument,
  SetEventPreferenceDocument,
  SetUserRoleDocument,
  StackDocument,
  StacksDocument,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import type { Session, TestServer } from './helpers/server';
import { startTestServer } from './helpers/server';
import {
  apnsToken,
  createStack,
  expectError,
  expectNothingWritten,
  rawRequest,
} from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

async function usersOf(session: Session) {
  return dataOf(await server.request(MeDocument, {}, session.token)).me.account.users;
}

describe('createApiToken', () => {
  it('shows the secret once, lists the token by name and prefix only, and the secret authenticates', async () => {
    const owner = await server.createAccount();
    const created = await rawRequest(
      server,
      CreateApiTokenDocument,
      { input: { name: ' deployer ', scopes: ['SETTINGS_READ', 'EVENTS_PUBLISH'] } },
      owner.token,
    );
    const { secret, token } = dataOf(created.body).createApiToken;
    expect(secret).toMatch(/^sn_[A-Za-z0-9_-]{43}$/);
    expect(token).toMatchObject({ name: 'deployer', tokenPrefix: secret.slice(0, 10) });
    expect([...token.scopes].sort()).toEqual(['EVENTS_PUBLISH', 'SETTINGS_READ']);

    const listed = await rawRequest(server, MeDocument, {}, owner.token);
    expect(listed.text).not.toContain(secret);
    expect(
      dataOf(listed.body)
        .me.apiTokens.map((t) => t.name)
        .sort(),
    ).toEqual(['bootstrap', 'deployer']);

    const { me } = dataOf(await server.request(MeDocument, {}, secret));
    expect(me.id).toBe(owner.userId);
    const used = dataOf(await server.request(MeDocument, {}, owner.token)).me.apiTokens.find(
      (t) => t.id === token.id,
    )!;
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('issues a token whose scopes are enforced: events:publish alone cannot read or change settings', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const { secret } = dataOf(
      await server.request(
        CreateApiTokenDocument,
        { input: { name: 'ci', scopes: ['EVENTS_PUBLISH'] } },
        owner.token,
      ),
    ).createApiToken;
    expectError(await server.request(MeDocument, {}, secret), 'FORBIDDEN');
    expectError(await server.request(StacksDocument, {}, secret), 'FORBIDDEN');
    expectError(await server.request(StackDocument, { id: stackId }, secret), 'FORBIDDEN');
    await expectNothingWritten(server, [owner], async () => {
      const input = { name: 'sneaky', environment: 'production' };
      expectError(await server.request(CreateStackDocument, { input }, secret), 'FORBIDDEN');
    });
  });

  it('issues a read-only token that reads settings but cannot change them', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    const { secret } = dataOf(
      await server.request(
        CreateApiTokenDocument,
        { input: { name: 'dashboard', scopes: ['SETTINGS_READ'] } },
        owner.token,
      ),
    ).createApiToken;
    expect(dataOf(await server.request(StackDocument, { id: stackId }, secret)).stack.id).toBe(stackId);
    await expectNothingWritten(server, [owner], async () => {
      const cell = { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false } as const;
      expectError(await server.request(SetEventPreferenceDocument, cell, secret), 'FORBIDDEN');
    });
  });

  it('refuses to issue a token with a scope the calling token lacks, with FORBIDDEN, and issues nothing', async () => {
    const owner = await server.createAccount();
    const narrow = await server.createToken(owner, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    await expectNothingWritten(server, [owner], async () => {
      const input = { name: 'wider', scopes: ['SETTINGS_READ', 'EVENTS_PUBLISH'] as const };
      expectError(
        await server.request(
          CreateApiTokenDocument,
          { input: { ...input, scopes: [...input.scopes] } },
          narrow,
        ),
        'FORBIDDEN',
      );
    });
  });

  it('refuses a blank name or no scopes with BAD_USER_INPUT and issues nothing', async () => {
    const owner = await server.createAccount();
    await expectNothingWritten(server, [owner], async () => {
      const blank = { input: { name: '   ', scopes: ['SETTINGS_READ' as const] } };
      expectError(await server.request(CreateApiTokenDocument, blank, owner.token), 'BAD_USER_INPUT', 'name');
      const none = { input: { name: 'empty', scopes: [] } };
      expectError(
        await server.request(CreateApiTokenDocument, none, owner.token),
        'BAD_USER_INPUT',
        'scopes',
      );
    });
  });
});

describe('revokeApiToken', () => {
  it('revokes a token, after which it is refused with UNAUTHENTICATED', async () => {
    const owner = await server.createAccount();
    const { secret, token } = dataOf(
      await server.request(
        CreateApiTokenDocument,
        { input: { name: 'temp', scopes: ['SETTINGS_READ'] } },
        owner.token,
      ),
    ).createApiToken;
    dataOf(await server.request(MeDocument, {}, secret));
    const { revokeApiToken } = dataOf(
      await server.request(RevokeApiTokenDocument, { id: token.id }, owner.token),
    );
    expect(revokeApiToken.id).toBe(token.id);
    expect(revokeApiToken.revokedAt).not.toBeNull();
    expectError(await server.request(MeDocument, {}, secret), 'UNAUTHENTICATED');
    const listed = dataOf(await server.request(MeDocument, {}, owner.token)).me.apiTokens.find(
      (t) => t.id === token.id,
    );
    expect(listed?.revokedAt).toBe(revokeApiToken.revokedAt);
  });

  it('keeps the first revocation time when a token is revoked twice', async () => {
    const owner = await server.createAccount();
    const { token } = dataOf(
      await server.request(
        CreateApiTokenDocument,
        { input: { name: 'temp', scopes: ['SETTINGS_READ'] } },
        owner.token,
      ),
    ).createApiToken;
    const first = dataOf(
      await server.request(RevokeApiTokenDocument, { id: token.id }, owner.token),
    ).revokeApiToken;
    const second = dataOf(
      await server.request(RevokeApiTokenDocument, { id: token.id }, owner.token),
    ).revokeApiToken;
    expect(second.revokedAt).toBe(first.revokedAt);
  });

  it('lets a token revoke itself', async () => {
    const owner = await server.createAccount();
    const { me } = dataOf(await server.request(MeDocument, {}, owner.token));
    dataOf(await server.request(RevokeApiTokenDocument, { id: me.apiTokens[0].id }, owner.token));
    expectError(await server.request(MeDocument, {}, owner.token), 'UNAUTHENTICATED');
  });

  it("lets an ADMIN revoke a member's token, but not a MEMBER the owner's (NOT_FOUND, nothing changes)", async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);
    const tokensByUser = async () =>
      new Map(
        dataOf(await server.request(AccountTokensDocument, {}, owner.token)).me.account.users.map((user) => [
          user.id,
          user.apiTokens,
        ]),
      );
    const ownerTokenId = (await tokensByUser()).get(owner.userId)![0].id;
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(RevokeApiTokenDocument, { id: ownerTokenId }, member.token),
        'NOT_FOUND',
      );
    });
    expect((await tokensByUser()).get(owner.userId)![0].revokedAt).toBeNull();

    const memberTokenId = (await tokensByUser()).get(member.userId)![0].id;
    dataOf(await server.request(RevokeApiTokenDocument, { id: memberTokenId }, admin.token));
    expectError(await server.request(MeDocument, {}, member.token), 'UNAUTHENTICATED');
  });

  it("refuses a MEMBER listing another user's tokens with FORBIDDEN", async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    expectError(await server.request(AccountTokensDocument, {}, member.token), 'FORBIDDEN');
  });
});

describe('addUser', () => {
  it('adds people with a role, a lower-cased email, and MEMBER when no role is given', async () => {
    const owner = await server.createAccount();
    const admin = dataOf(
      await server.request(
        AddUserDocument,
        { input: { email: 'Ada@Example.COM', name: 'Ada', role: 'ADMIN' } },
        owner.token,
      ),
    ).addUser;
    expect(admin).toMatchObject({ email: 'ada@example.com', name: 'Ada', role: 'ADMIN' });
    const member = dataOf(
      await server.request(
        AddUserDocument,
        { input: { email: 'bob@example.com', name: 'Bob' } },
        owner.token,
      ),
    ).addUser;
    expect(member.role).toBe('MEMBER');
    expect((await usersOf(owner)).map((user) => [user.email, user.role])).toEqual([
      [owner.email, 'OWNER'],
      ['ada@example.com', 'ADMIN'],
      ['bob@example.com', 'MEMBER'],
    ]);
  });

  it('lets an OWNER add another OWNER, and an ADMIN add ADMINs and MEMBERs', async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const add = (session: Session, email: string, role: 'OWNER' | 'ADMIN' | 'MEMBER') =>
      server.request(AddUserDocument, { input: { email, name: email, role } }, session.token);
    expect(dataOf(await add(owner, 'co-owner@example.com', 'OWNER')).addUser.role).toBe('OWNER');
    expect(dataOf(await add(admin, 'admin2@example.com', 'ADMIN')).addUser.role).toBe('ADMIN');
    expect(dataOf(await add(admin, 'member@example.com', 'MEMBER')).addUser.role).toBe('MEMBER');
  });

  it('refuses an ADMIN adding an OWNER with FORBIDDEN and adds nobody', async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    await expectNothingWritten(server, [owner], async () => {
      const input = { email: 'boss@example.com', name: 'Boss', role: 'OWNER' as const };
      expectError(await server.request(AddUserDocument, { input }, admin.token), 'FORBIDDEN');
    });
  });

  it('refuses an email already in the account, in any letter case, with BAD_USER_INPUT naming email', async () => {
    const owner = await server.createAccount();
    await expectNothingWritten(server, [owner], async () => {
      const input = { email: owner.email.toUpperCase(), name: 'Twin', role: 'MEMBER' as const };
      expectError(await server.request(AddUserDocument, { input }, owner.token), 'BAD_USER_INPUT', 'email');
    });
  });

  it('allows the same email in two different accounts', async () => {
    const first = await server.createAccount();
    const second = await server.createAccount();
    const input = { email: 'shared@example.com', name: 'Shared', role: 'MEMBER' as const };
    dataOf(await server.request(AddUserDocument, { input }, first.token));
    dataOf(await server.request(AddUserDocument, { input }, second.token));
    expect((await usersOf(first)).map((user) => user.email)).toContain('shared@example.com');
    expect((await usersOf(second)).map((user) => user.email)).toContain('shared@example.com');
  });
});

describe('setUserRole', () => {
  it('promotes and demotes people; with two OWNERs, one may step down', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const promote = (role: 'OWNER' | 'ADMIN' | 'MEMBER', userId: string, session = owner) =>
      server.request(SetUserRoleDocument, { userId, role }, session.token);
    expect(dataOf(await promote('ADMIN', member.userId)).setUserRole).toEqual({
      id: member.userId,
      role: 'ADMIN',
    });
    expect(dataOf(await promote('OWNER', member.userId)).setUserRole.role).toBe('OWNER');
    expect(dataOf(await promote('MEMBER', owner.userId)).setUserRole.role).toBe('MEMBER');
    expect((await usersOf(member)).map((user) => [user.id, user.role])).toEqual([
      [owner.userId, 'MEMBER'],
      [member.userId, 'OWNER'],
    ]);
  });

  it('refuses to demote the last OWNER with BAD_USER_INPUT naming userId and changes nothing', async () => {
    const owner = await server.createAccount();
    await server.addUser(owner, Role.ADMIN);
    await expectNothingWritten(server, [owner], async () => {
      for (const role of ['ADMIN', 'MEMBER'] as const) {
        expectError(
          await server.request(SetUserRoleDocument, { userId: owner.userId, role }, owner.token),
          'BAD_USER_INPUT',
          'userId',
        );
      }
    });
  });

  it('refuses an ADMIN granting or taking away OWNER with FORBIDDEN', async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(SetUserRoleDocument, { userId: member.userId, role: 'OWNER' }, admin.token),
        'FORBIDDEN',
      );
      expectError(
        await server.request(SetUserRoleDocument, { userId: admin.userId, role: 'OWNER' }, admin.token),
        'FORBIDDEN',
      );
      expectError(
        await server.request(SetUserRoleDocument, { userId: owner.userId, role: 'MEMBER' }, admin.token),
        'FORBIDDEN',
      );
    });
    const promoted = await server.request(
      SetUserRoleDocument,
      { userId: member.userId, role: 'ADMIN' },
      admin.token,
    );
    expect(dataOf(promoted).setUserRole.role).toBe('ADMIN');
  });
});

describe('removeUser', () => {
  it('removes a person with their tokens, devices and personal cells', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, Role.MEMBER);
    const stackId = await createStack(server, owner);
    dataOf(await server.request(RegisterIosDeviceDocument, { input: { token: apnsToken() } }, member.token));
    const cell = { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false } as const;
    dataOf(await server.request(SetEventPreferenceDocument, cell, member.token));

    const { removeUser } = dataOf(
      await server.request(RemoveUserDocument, { userId: member.userId }, owner.token),
    );
    expect(removeUser.id).toBe(member.userId);
    expect((await usersOf(owner)).map((user) => user.id)).toEqual([owner.userId]);
    expectError(await server.request(MeDocument, {}, member.token), 'UNAUTHENTICATED');
    const { dataSource } = server.app.services;
    expect(await dataSource.getRepository(IosDevice).countBy({ userId: member.userId })).toBe(0);
    expect(await dataSource.getRepository(UserPreference).countBy({ userId: member.userId })).toBe(0);
    expectError(
      await server.request(RemoveUserDocument, { userId: member.userId }, owner.token),
      'NOT_FOUND',
    );
  });

  it('refuses to remove the last OWNER with BAD_USER_INPUT naming userId and removes nobody', async () => {
    const owner = await server.createAccount();
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(RemoveUserDocument, { userId: owner.userId }, owner.token),
        'BAD_USER_INPUT',
        'userId',
      );
    });
  });

  it('lets one of two OWNERs leave', async () => {
    const owner = await server.createAccount();
    const coOwner = await server.addUser(owner, Role.OWNER);
    dataOf(await server.request(RemoveUserDocument, { userId: owner.userId }, owner.token));
    expect((await usersOf(coOwner)).map((user) => [user.id, user.role])).toEqual([[coOwner.userId, 'OWNER']]);
  });

  it('refuses an ADMIN removing an OWNER with FORBIDDEN, and lets the ADMIN remove a MEMBER', async () => {
    const owner = await server.createAccount();
    await server.addUser(owner, Role.OWNER);
    const admin = await server.addUser(owner, Role.ADMIN);
    const member = await server.addUser(owner, Role.MEMBER);
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(RemoveUserDocument, { userId: owner.userId }, admin.token),
        'FORBIDDEN',
      );
    });
    dataOf(await server.request(RemoveUserDocument, { userId: member.userId }, admin.token));
  });
});
