// The WebSocket connections open on this instance, kept in step with their tokens. A socket whose token was revoked,
// whose user was removed, or whose role or scopes changed since it opened is closed with 4403 (graphql-ws's
// Forbidden): at once when a notice of the change arrives (ViewerChanges), or at the next periodic recheck when none
// does. Every operation on a socket authenticates its token again, so none runs with rights the viewer lost. A client
// whose token still works connects again and gets a socket with its current rights.
import { CloseCode } from 'graphql-ws';
import { authFailureError } from './auth';
import { ForbiddenError, type AppError } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import type { AuthResult, TokensService, Viewer } from './tokens.service';
import type { ViewerChange, ViewerChanges } from './viewer-changes';

/** What a session needs of its socket (a `ws` WebSocket). */
export interface SessionSocket {
  readonly readyState: number;
  readonly OPEN: number;
  close(code: number, reason: string): void;
}

class Session {
  /** Why operations are refused once the session has ended; its socket is closing. */
  refusal: AppError | null = null;

  constructor(
    readonly socket: SessionSocket,
    readonly authorization: string,
    /** The viewer the socket was opened with: its token must keep authenticating with the same rights. */
    readonly viewer: Viewer,
  ) {}
}

function sameRights(opened: Viewer, now: Viewer): boolean {
  return (
    opened.tokenId === now.tokenId &&
    opened.user.id === now.user.id &&
    opened.account.id === now.account.id &&
    opened.user.role === now.user.role &&
    opened.scopes.size === now.scopes.size &&
    [...opened.scopes].every((scope) => now.scopes.has(scope))
  );
}

/** Why a session no longer holds, or null when its token still authenticates with the rights it opened with. */
function refusalFor(session: Session, result: AuthResult): AppError | null {
  if ('failure' in result) return authFailureError(result.failure);
  if (!sameRights(session.viewer, result.viewer)) {
    return new ForbiddenError(
      "This token's role or scopes changed since the connection opened: connect again",
    );
  }
  return null;
}

function add<K>(index: Map<K, Set<Session>>, key: K, session: Session): void {
  let sessions = index.get(key);
  if (!sessions) index.set(key, (sessions = new Set()));
  sessions.add(session);
}

function remove<K>(index: Map<K, Set<Session>>, key: K, session: Session): void {
  const sessions = index.get(key);
  if (sessions?.delete(session) && sessions.size === 0) index.delete(key);
}

export class SocketSessions {
  /** By the connection's key (graphql-ws's ctx.extra). */
  private readonly sessions = new Map<object, Session>();
  private readonly byToken = new Map<string, Set<Session>>();
  private readonly byUser = new Map<string, Set<Session>>();
  private readonly stopListening: () => void;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(
    private readonly tokens: TokensService,
    changes: ViewerChanges,
    private readonly options: { recheckMs: number; log: Logger },
  ) {
    this.stopListening = changes.listen((change) => this.changed(change));
    this.scheduleRecheck();
  }

  /** A connection whose token authenticated as `viewer`. */
  open(key: object, socket: SessionSocket, authorization: string, viewer: Viewer): void {
    // Closed while its token was being looked up: closed() has been called already.
    if (socket.readyState !== socket.OPEN) return;
    const session = new Session(socket, authorization, viewer);
    this.sessions.set(key, session);
    add(this.byToken, viewer.tokenId, session);
    add(this.byUser, viewer.user.id, session);
  }

  /** The connection has closed. */
  closed(key: object): void {
    const session = this.sessions.get(key);
    if (!session) return;
    this.sessions.delete(key);
    this.unindex(session);
  }

  /**
   * The viewer for one operation on the connection, authenticated again (within authCacheMs a remembered answer).
   * Throws the error that refuses the operation when the token no longer holds; the socket is then closed.
   */
  async viewerFor(key: object): Promise<Viewer> {
    const session = this.sessions.get(key);
    if (!session) throw authFailureError('missing');
    if (session.refusal) throw session.refusal;
    const result = await this.tokens.authenticate(session.authorization);
    const refusal = session.refusal ?? refusalFor(session, result);
    if (refusal) {
      // The operation's error goes out first, then the socket closes.
      this.end(session, refusal, true);
      throw refusal;
    }
    return (result as { viewer: Viewer }).viewer;
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.stopListening();
  }

  /**
   * A notice: every change it reports (a revocation, a removal, another role) takes rights away or changes them, so
   * the sessions it concerns end at once, before anything published after the change can reach their sockets.
   */
  private changed(change: ViewerChange): void {
    const concerned = 'tokenId' in change ? this.byToken.get(change.tokenId) : this.byUser.get(change.userId);
    if (!concerned) return;
    const refusal = new ForbiddenError(
      'This token was revoked, or its user removed or given another role: connect again',
    );
    for (const session of [...concerned]) this.end(session, refusal, false);
  }

  /** Looks the sessions' token up (they share it) and ends those it no longer holds for; keeps them if it fails. */
  private async recheck(sessions: Session[]): Promise<void> {
    let result: AuthResult;
    try {
      result = await this.tokens.authenticate(sessions[0].authorization, { cached: false });
    } catch (error) {
      this.options.log.warn({ err: error }, 'could not recheck the token of open sockets');
      return;
    }
    for (const session of sessions) {
      const refusal = refusalFor(session, result);
      if (refusal) this.end(session, refusal, false);
    }
  }

  /**
   * Refuses everything from now on and closes the socket: at once, or (`afterThisTurn`) once the current turn of the
   * event loop has sent the error of an operation refused just now.
   */
  private end(session: Session, refusal: AppError, afterThisTurn: boolean): void {
    if (session.refusal) return;
    session.refusal = refusal;
    this.unindex(session);
    const close = () => session.socket.close(CloseCode.Forbidden, refusal.message.slice(0, 120));
    if (afterThisTurn) setImmediate(close);
    else close();
  }

  private unindex(session: Session): void {
    remove(this.byToken, session.viewer.tokenId, session);
    remove(this.byUser, session.viewer.user.id, session);
  }

  private scheduleRecheck(): void {
    if (this.stopped || this.options.recheckMs <= 0) return;
    this.timer = setTimeout(() => void this.recheckAll(), this.options.recheckMs);
    this.timer.unref();
  }

  /** The backstop for changes no notice reported: one lookup per distinct token of the open sockets. */
  private async recheckAll(): Promise<void> {
    for (const sessions of [...this.byToken.values()]) {
      if (this.stopped) return;
      await this.recheck([...sessions]);
    }
    this.scheduleRecheck();
  }
}
