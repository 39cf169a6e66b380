// @Authorized(scope) on every operation; this checker turns a missing viewer or scope into a coded error.
import type { AuthChecker } from 'type-graphql';
import type { Context } from '../../context';
import { ForbiddenError, toGraphQLError, UnauthenticatedError } from '../../lib/errors';
import { Scope } from './api-token.entity';
import type { AuthFailure, Viewer } from './tokens.service';

const failureMessages = {
  missing: 'A valid API token is required: send "Authorization: Bearer <token>"',
  malformed: 'The Authorization header must be "Bearer <token>" with a token this service issued',
  unknown: 'The API token is not valid',
  revoked: 'The API token has been revoked',
} as const;

/** The error an operation gets when its token does not authenticate. */
export function authFailureError(failure: AuthFailure): UnauthenticatedError {
  return new UnauthenticatedError(failureMessages[failure]);
}

export function requireViewer(context: Context, scope: Scope): Viewer {
  if (!context.viewer) throw authFailureError(context.authFailure ?? 'missing');
  if (!context.viewer.scopes.has(scope)) {
    throw new ForbiddenError(`This operation needs a token with the ${scope} scope`);
  }
  return context.viewer;
}

/**
 * type-graphql runs the auth check before the global middlewares, so it throws errors that already carry
 * their code.
 */
export const authChecker: AuthChecker<Context, Scope> = ({ context }, scopes) => {
  try {
    for (const scope of scopes) requireViewer(context, scope);
    return true;
  } catch (error) {
    throw toGraphQLError(error, { maskInternal: true }).error;
  }
};

/** The viewer of an operation guarded by @Authorized: present by construction. */
export function viewerOf(context: Context): Viewer {
  if (!context.viewer) throw toGraphQLError(new UnauthenticatedError(), { maskInternal: true }).error;
  return context.viewer;
}
