// Who is calling: the viewer its token authenticated as (or why there is none), per HTTP request or per WebSocket
// operation. Admission (src/graphql/admission.ts) decides who gets one.
import type { AuthFailure, Viewer } from './modules/accounts/tokens.service';
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

export function createContext(
  requestId: string,
  viewer: Viewer | null,
  authFailure: AuthFailure | null,
  services: Services,
  log: Logger,
): Context {
  return new RequestContext(requestId, viewer, authFailure, services, log);
}

/** One operation on a WebSocket: the connection's context with the viewer as authenticated for this operation. */
export function operationContext(connection: Context, viewer: Viewer): Context {
  const parentLog = connection instanceof RequestContext ? connection.parentLog : connection.log;
  return new RequestContext(connection.requestId, viewer, null, connection.services, parentLog);
}
