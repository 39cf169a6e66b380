// Who is calling: built by one function for HTTP requests and WebSocket connections alike.
import { randomUUID } from 'node:crypto';
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

export async function buildContext(
  services: Services,
  log: Logger,
  authorization: string | undefined,
  requestId: string = randomUUID(),
): Promise<Context> {
  const result = await services.tokens.authenticate(authorization);
  const viewer = 'viewer' in result ? result.viewer : null;
  const authFailure = 'failure' in result ? result.failure : null;
  return { requestId, viewer, authFailure, services, log: log.child({ requestId }) };
}
