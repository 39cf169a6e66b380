// Who is calling: built by one function for HTTP requests and WebSocket connections alike.
import { randomUUID } from 'node:crypto';
import type { AuthFailure, Viewer } from './modules/accounts/tokens.service';
import type { RequestGate } from './lib/request-gate';
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

/** Throws RATE_LIMITED for an address that failed authentication too often. */
export async function buildContext(
  services: Services,
  log: Logger,
  gate: RequestGate,
  caller: CallerInfo,
): Promise<Context> {
  const requestId = caller.requestId ?? randomUUID();
  if (caller.authorization) await gate.admitAuthentication(caller.ip);
  const result = await services.tokens.authenticate(caller.authorization);
  const viewer = 'viewer' in result ? result.viewer : null;
  const authFailure = 'failure' in result ? result.failure : null;
  if (authFailure && authFailure !== 'missing') await gate.recordAuthFailure(caller.ip);
  return new RequestContext(requestId, viewer, authFailure, services, log);
}

/** One operation on a WebSocket: the connection's context with the viewer as authenticated for this operation. */
export function operationContext(connection: Context, viewer: Viewer): Context {
  const parentLog = connection instanceof RequestContext ? connection.parentLog : connection.log;
  return new RequestContext(connection.requestId, viewer, null, connection.services, parentLog);
}
