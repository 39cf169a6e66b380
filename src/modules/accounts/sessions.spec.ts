// What a socket receives while its token is being rechecked after a notice, with the lookup held open by the test.
import type { ExecutionResult } from 'graphql';
import { MemoryLiveBus } from '../../lib/live-bus/memory-bus';
import { subscribeIterator, type PushSink } from '../../lib/live-bus/subscription-iterator';
import { createLogger } from '../../lib/logger';
import { Scope } from './api-token.entity';
import { SocketSessions } from './sessions';
import type { AuthResult, TokensService, Viewer } from './tokens.service';
import { Role } from './user.entity';
import { ViewerChanges } from './viewer-changes';

function viewer(role: Role): Viewer {
  return {
    tokenId: 'token-1',
    user: { id: 'user-1', role },
    account: { id: 'account-1' },
    scopes: new Set([Scope.SETTINGS_READ]),
  } as unknown as Viewer;
}

/** Tokens whose every lookup waits until the test answers it. */
function heldTokens() {
  const lookups: ((result: AuthResult) => void)[] = [];
  const tokens = {
    authenticate: () => new Promise<AuthResult>((resolve) => lookups.push(resolve)),
  } as unknown as TokensService;
  return { tokens, lookups };
}

async function setUp() {
  const { tokens, lookups } = heldTokens();
  const changes = new ViewerChanges(null);
  const sessions = new SocketSessions(tokens, changes, { recheckMs: 0, log: createLogger('silent') });
  const closes: number[] = [];
  const key = {};
  const socket = { readyState: 1, OPEN: 1, close: (code: number) => closes.push(code) };
  sessions.open(key, socket, 'Bearer sn_x', viewer(Role.ADMIN));
  const bus = new MemoryLiveBus<ExecutionResult>();
  const stream = sessions.guard(
    key,
    subscribeIterator(bus, 'topic', (result: ExecutionResult) => result),
  );
  const received: unknown[] = [];
  const sink: PushSink<ExecutionResult> = { push: (result) => received.push(result.data), fail: () => {} };
  (stream as unknown as { pushTo(sink: PushSink<ExecutionResult>): void }).pushTo(sink);
  // The recheck's continuation, then the close it schedules for the next turn of the event loop.
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
  return { sessions, changes, lookups, closes, bus, received, settle };
}

describe('SocketSessions after a notice', () => {
  it('drops results until the recheck ends, then closes the socket with 4403 when the token is revoked', async () => {
    const { sessions, changes, lookups, closes, bus, received, settle } = await setUp();
    await bus.publish('topic', { data: { n: 1 } });
    await changes.announce({ tokenId: 'token-1' });
    await bus.publish('topic', { data: { n: 2 } });
    expect(lookups).toHaveLength(1);
    lookups[0]({ failure: 'revoked' });
    await settle();
    await bus.publish('topic', { data: { n: 3 } });
    expect(received).toEqual([{ n: 1 }]);
    expect(closes).toEqual([4403]);
    sessions.stop();
  });

  it('lets results through again when the token still holds with the same rights', async () => {
    const { sessions, changes, lookups, closes, bus, received, settle } = await setUp();
    await changes.announce({ userId: 'user-1' });
    await bus.publish('topic', { data: { n: 1 } });
    lookups[0]({ viewer: viewer(Role.ADMIN) });
    await settle();
    await bus.publish('topic', { data: { n: 2 } });
    expect(received).toEqual([{ n: 2 }]);
    expect(closes).toEqual([]);
    sessions.stop();
  });

  it('closes the socket when the role differs from the one it opened with', async () => {
    const { sessions, changes, lookups, closes, settle } = await setUp();
    await changes.announce({ userId: 'user-1' });
    lookups[0]({ viewer: viewer(Role.MEMBER) });
    await settle();
    expect(closes).toEqual([4403]);
    sessions.stop();
  });

  it('ignores notices about other tokens and users', async () => {
    const { sessions, changes, lookups, bus, received } = await setUp();
    await changes.announce({ tokenId: 'token-2' });
    await changes.announce({ userId: 'user-2' });
    await bus.publish('topic', { data: { n: 1 } });
    expect(lookups).toHaveLength(0);
    expect(received).toEqual([{ n: 1 }]);
    sessions.stop();
  });
});
