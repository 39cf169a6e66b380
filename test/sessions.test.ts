// Open WebSockets follow revocations, role changes and removed users: their sockets are closed with 4403, and no
// operation on them runs with rights the viewer no longer has.
import { ApiToken, Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  CreateApiTokenDocument,
  CreateStackDocument,
  MeDocument,
  PublishEventDocument,
  RemoveUserDocument,
  RevokeApiTokenDocument,
  SetUserRoleDocument,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { closeCodeWithin, listenToStack, until, type Listening } from './helpers/sessions';
import { openSocket } from './helpers/ws';

/** Long enough that a test can tell the per-operation check from the cache; short enough to wait out. */
const AUTH_CACHE_MS = 200;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ WORKERS: '0', AUTH_CACHE_MS: String(AUTH_CACHE_MS) });
});
afterAll(async () => {
  await server?.close();
});

async function tokenIdOf(on: TestServer, secret: string): Promise<string> {
  const result = await on.app.services.tokens.authenticate(`Bearer ${secret}`);
  if (!('viewer' in result)) throw new Error(`the token does not authenticate: ${result.failure}`);
  return result.viewer.tokenId;
}

async function stackOf(on: TestServer, owner: Session): Promise<string> {
  const { createStack } = dataOf(
    await on.request(CreateStackDocument, { input: { name: 'web', environment: 'production' } }, owner.token),
  );
  return createStack.id;
}

async function publish(on: TestServer, token: string, stackId: string): Promise<string> {
  const { publishEvent } = dataOf(
    await on.request(PublishEventDocument, { input: { stackId, eventType: 'JOB_FAIL', data: {} } }, token),
  );
  return publishEvent.id;
}

function listen(on: TestServer, token: string, stackId: string, publisher: string): Promise<Listening> {
  return listenToStack(on.wsUrl, token, stackId, () => publish(on, publisher, stackId));
}

describe('revoking a token', () => {
  it('closes its sockets with 4403 within 2 s; nothing published afterwards reaches them; other sockets stay', async () => {
    const owner = await server.createAccount();
    const stackId = await stackOf(server, owner);
    const leaked = await server.createToken(owner, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    const sibling = await server.createToken(owner, [Scope.SETTINGS_READ]);
    const stranger = await server.createAccount();
    const strangerStack = await stackOf(server, stranger);

    const revoked = await listen(server, leaked, stackId, owner.token);
    const sameUser = await listen(server, sibling, stackId, owner.token);
    const otherUser = await listen(server, stranger.token, strangerStack, stranger.token);

    dataOf(
      await server.request(RevokeApiTokenDocument, { id: await tokenIdOf(server, leaked) }, owner.token),
    );
    const revokedAt = Date.now();
    const after = [await publish(server, owner.token, stackId), await publish(server, owner.token, stackId)];
    const strangerAfter = await publish(server, stranger.token, strangerStack);

    expect(await closeCodeWithin(revoked.socket, revokedAt)).toBe(4403);
    expect(revoked.ids().filter((id) => after.includes(id))).toEqual([]);

    await until(() => after.every((id) => sameUser.ids().includes(id)));
    await until(() => otherUser.ids().includes(strangerAfter));
    expect(sameUser.socket.closeCode).toBeNull();
    expect(otherUser.socket.closeCode).toBeNull();
    const me = await sameUser.socket.execute(MeDocument, {});
    expect('data' in me && me.data?.me.id).toBe(owner.userId);
    await Promise.all([revoked, sameUser, otherUser].map(({ socket }) => socket.dispose()));
  });

  it('refuses createApiToken sent on the socket right after the revocation', async () => {
    const owner = await server.createAccount();
    const leaked = await server.createToken(owner, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    const socket = await openSocket(server.wsUrl, leaked);
    dataOf(
      await server.request(RevokeApiTokenDocument, { id: await tokenIdOf(server, leaked) }, owner.token),
    );
    const outcome = await socket.execute(CreateApiTokenDocument, {
      input: { name: 'minted', scopes: ['SETTINGS_READ'] },
    });
    expect('data' in outcome && outcome.data).toBeFalsy();
    const tokens = await server.app.dataSource.getRepository(ApiToken).findBy({ userId: owner.userId });
    expect(tokens.map((token) => token.name)).not.toContain('minted');
    await socket.dispose();
  });

  it('refuses an operation with the error HTTP gives when no notice came, and closes the socket with 4403', async () => {
    const owner = await server.createAccount();
    const leaked = await server.createToken(owner, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    const socket = await openSocket(server.wsUrl, leaked);
    // Straight in the database, as another process without Redis would: no notice reaches this server.
    await server.app.dataSource
      .getRepository(ApiToken)
      .update({ id: await tokenIdOf(server, leaked) }, { revokedAt: new Date() });
    await new Promise((resolve) => setTimeout(resolve, AUTH_CACHE_MS + 50));
    expect(socket.closeCode).toBeNull();

    const outcome = await socket.execute(CreateApiTokenDocument, {
      input: { name: 'minted', scopes: ['SETTINGS_READ'] },
    });
    const overHttp = await server.request(
      CreateApiTokenDocument,
      { input: { name: 'minted', scopes: ['SETTINGS_READ'] } },
      leaked,
    );
    expect(overHttp.errors?.[0]).toMatchObject({
      message: 'The API token has been revoked',
      extensions: { code: 'UNAUTHENTICATED' },
    });
    const { message, extensions } = overHttp.errors![0];
    expect(outcome).toEqual({ refused: [{ message, extensions }] });
    expect((await socket.closed).code).toBe(4403);
    const tokens = await server.app.dataSource.getRepository(ApiToken).findBy({ userId: owner.userId });
    expect(tokens.map((token) => token.name)).not.toContain('minted');
    await socket.dispose();
  });
});

describe('changing people', () => {
  it('closes an ADMIN socket demoted to MEMBER with 4403; a new socket with the same token is a MEMBER', async () => {
    const owner = await server.createAccount();
    const admin = await server.addUser(owner, Role.ADMIN);
    const socket = await openSocket(server.wsUrl, admin.token);
    const before = await socket.execute(CreateStackDocument, { input: { name: 'api' } });
    expect('data' in before && before.data?.createStack.name).toBe('api');

    dataOf(await server.request(SetUserRoleDocument, { userId: admin.userId, role: 'MEMBER' }, owner.token));
    const changedAt = Date.now();
    expect(await closeCodeWithin(socket, changedAt)).toBe(4403);

    const again = await openSocket(server.wsUrl, admin.token);
    const me = await again.execute(MeDocument, {});
    expect('data' in me && me.data?.me.role).toBe('MEMBER');
    const refused = await again.execute(CreateStackDocument, { input: { name: 'db' } });
    expect('data' in refused && refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await Promise.all([socket.dispose(), again.dispose()]);
  });

  it('closes the socket of a removed user with 4403, and leaves the others open', async () => {
    const owner = await server.createAccount();
    const stackId = await stackOf(server, owner);
    const member = await server.addUser(owner, Role.MEMBER);
    const removed = await listen(server, member.token, stackId, owner.token);
    const staying = await listen(server, owner.token, stackId, owner.token);

    dataOf(await server.request(RemoveUserDocument, { userId: member.userId }, owner.token));
    const removedAt = Date.now();
    expect(await closeCodeWithin(removed.socket, removedAt)).toBe(4403);

    const next = await publish(server, owner.token, stackId);
    await until(() => staying.ids().includes(next));
    expect(staying.socket.closeCode).toBeNull();
    await Promise.all([removed.socket.dispose(), staying.socket.dispose()]);
  });
});

describe('the periodic recheck', () => {
  it('closes a socket whose token was revoked where no notice reports it', async () => {
    const checked = await startTestServer({ WORKERS: '0', SESSION_RECHECK_MS: '300' });
    try {
      const owner = await checked.createAccount();
      const stackId = await stackOf(checked, owner);
      const leaked = await checked.createToken(owner, [Scope.SETTINGS_READ]);
      const revoked = await listen(checked, leaked, stackId, owner.token);
      const staying = await listen(checked, owner.token, stackId, owner.token);

      await checked.app.dataSource
        .getRepository(ApiToken)
        .update({ id: await tokenIdOf(checked, leaked) }, { revokedAt: new Date() });
      const revokedAt = Date.now();
      expect(await closeCodeWithin(revoked.socket, revokedAt)).toBe(4403);

      const next = await publish(checked, owner.token, stackId);
      await until(() => staying.ids().includes(next));
      expect(staying.socket.closeCode).toBeNull();
      await Promise.all([revoked.socket.dispose(), staying.socket.dispose()]);
    } finally {
      await checked.close();
    }
  });
});
