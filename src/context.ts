// Who is calling: built by one function for HTTP requests and WebSocket connections alike.
import { randomUUID } from 'node:crypto';
import type { AuthFailure, Viewer } from './modules/accounts/tokens.service';
import { RateLimitedError } from './lib/errors';
import type { RequestGate } from './graphql/request-gate';
import type { Services } from './services';
import type { Logger } from './lib/logger';

export interface Context {
  requestId: string;
  viewer: Viewer | null;
  /** Why there is no viewer, to tell a missing token from a bad one. */
  authFailure: AuthFailure | null;
  services: Services;
  log: Logger;
}

export interface CallerInfo {
  authorization: string | undefined;
  /** The client's address, for per-IP limits on failed authentication. */
  ip: string;
  requestId?: string;
}

/** The request's logger is made on first use: most requests never log. */
class RequestContext implements Context {
  private requestLog: Logger | undefined;

  constructor(
    readonly requestId: string,
    readonly viewer: Viewer | null,
    readonly authFailure: AuthFailure | null,
    readonly services: Services,
    readonly parentLog: Logger,
  ) {}

  get log(): Logger {
    return (this.requestLog ??= this.parentLog.child({ requestId: this.requestId }));
  }
}

/**
 * Throws RATE_LIMITED for a request without a token beyond its address's anonymous rate, and for a wrong token from
 * an address that failed authentication too often. A valid token is never refused for its address's failures: from
 * such an address, looking a token up costs the anonymous rate unless this process knows the token already.
 */
export async function buildContext(
  services: Services,
  log: Logger,
  gate: RequestGate,
  caller: CallerInfo,
): Promise<Context> {
  const requestId = caller.requestId ?? randomUUID();
  const { authorization, ip } = caller;
  let failing = false;
  if (!authorization) await gate.admitAnonymous(ip);
  else if (await gate.failingAuthentication(ip)) {
    failing = true;
    if (!services.tokens.remembers(authorization)) await gate.admitAnonymous(ip);
  }
  const result = await services.tokens.authenticate(authorization);
  const viewer = 'viewer' in result ? result.viewer : null;
  const authFailure = 'failure' in result ? result.failure : null;
  if (authFailure && authFailure !== 'missing') {
    await gate.recordAuthFailure(ip);
    if (failing)
      throw new RateLimitedError('Too many failed authentications from this address; retry later', 60);
  }
  return new RequestContext(requestId, viewer, authFailure, services, log);
}

/** One operation on a WebSocket: the connection's context with the viewer as authenticated for this operation. */
export function operationContext(connection: Context, viewer: Viewer): Context {
  const parentLog = connection instanceof RequestContext ? connection.parentLog : connection.log;
  return new RequestContext(connection.requestId, viewer, null, connection.services, parentLog);
}
