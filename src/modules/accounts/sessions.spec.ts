// How open sockets follow their tokens: a notice closes the sockets it concerns at once, the periodic recheck closes
// those whose token changed without one, and an operation is refused when its token no longer holds.
import { createLogger } from '../../lib/logger';
import { Scope } from './api-token.entity';
import { SocketSessions } from './sessions';
import type { AuthResult, TokensService, Viewer } from './tokens.service';
import { Role } from './user.entity';
import { ViewerChanges } from './viewer-changes';

function viewer(role: Role, tokenId = 'token-1', userId = 'user-1'): Viewer {
  return {
    tokenId,
    user: { id: userId, role },
    account: { id: 'account-1' },
    scopes: new Set([Scope.SETTINGS_READ]),
  } as unknown as Viewer;
}

/** Tokens whose lookups answer what the test says each authorization header currently is. */
function tokensAnswering(answers: Map<string, AuthResult>) {
  const lookups: string[] = [];
  const tokens = {
    authenticate: async (authorization: string) => {
      lookups.push(authorization);
      return answers.get(authorization) ?? { failure: 'unknown' };
    },
  } as unknown as TokensService;
  return { tokens, lookups };
}

function socket() {
  const closes: number[] = [];
  return { closes, readyState: 1, OPEN: 1, close: (code: number) => void closes.push(code) };
}

function setUp(recheckMs = 0) {
  const answers = new Map<string, AuthResult>([
    ['Bearer sn_a', { viewer: viewer(Role.ADMIN) }],
    ['Bearer sn_b', { viewer: viewer(Role.ADMIN, 'token-2', 'user-2') }],
  ]);
  const { tokens, lookups } = tokensAnswering(answers);
  const changes = new ViewerChanges(null);
  const sessions = new SocketSessions(tokens, changes, { recheckMs, log: createLogger('silent') });
  const a = { key: {}, socket: socket() };
  const b = { key: {}, socket: socket() };
  sessions.open(a.key, a.socket, 'Bearer sn_a', viewer(Role.ADMIN));
  sessions.open(b.key, b.socket, 'Bearer sn_b', viewer(Role.ADMIN, 'token-2', 'user-2'));
  return { sessions, changes, answers, lookups, a, b };
}

describe('SocketSessions', () => {
  it('closes the sockets a notice concerns with 4403 before it returns, and no others', async () => {
    const { sessions, changes, a, b, lookups } = setUp();
    const announced = changes.announce({ tokenId: 'token-1' });
    // Synchronously: nothing published after the change can be written to the socket.
    expect(a.socket.closes).toEqual([4403]);
    await announced;
    expect(b.socket.closes).toEqual([]);
    expect(lookups).toEqual([]);
    await changes.announce({ userId: 'user-2' });
    expect(b.socket.closes).toEqual([4403]);
    sessions.stop();
  });

  it('refuses operations on a socket once its session ended, with the reason', async () => {
    const { sessions, changes, a } = setUp();
    await changes.announce({ userId: 'user-1' });
    await expect(sessions.viewerFor(a.key)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    sessions.stop();
  });

  it('refuses an operation whose token no longer authenticates, then closes the socket', async () => {
    const { sessions, answers, a, b } = setUp();
    answers.set('Bearer sn_a', { failure: 'revoked' });
    await expect(sessions.viewerFor(a.key)).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
    // The refused operation's error is sent in this turn; the close follows.
    expect(a.socket.closes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(a.socket.closes).toEqual([4403]);
    expect((await sessions.viewerFor(b.key)).tokenId).toBe('token-2');
    sessions.stop();
  });

  it('refuses an operation when the role differs from the one the socket opened with', async () => {
    const { sessions, answers, a } = setUp();
    answers.set('Bearer sn_a', { viewer: viewer(Role.MEMBER) });
    await expect(sessions.viewerFor(a.key)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    sessions.stop();
  });

  it('closes, at the periodic recheck, the sockets whose token changed without a notice', async () => {
    const { sessions, answers, a, b, lookups } = setUp(20);
    answers.set('Bearer sn_a', { failure: 'revoked' });
    const deadline = Date.now() + 2000;
    while (a.socket.closes.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(a.socket.closes).toEqual([4403]);
    expect(b.socket.closes).toEqual([]);
    expect(lookups).toEqual(expect.arrayContaining(['Bearer sn_a', 'Bearer sn_b']));
    sessions.stop();
  });
});
