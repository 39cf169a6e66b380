// Whether a database error may go away by itself (the server is unreachable, restarting, out of connections) or is
// the statement's own fault (a constraint, a type), which trying again would only repeat.
import { QueryFailedError } from 'typeorm';

/** SQLSTATE classes and codes of failures outside the statement: connection, operator intervention, resources. */
const TRANSIENT_SQLSTATE = /^(08|53|57P|40001|40P01)/;
/** Node socket errors, and SQLite's busy/locked database. */
const TRANSIENT_CODES =
  /^(E(CONN|PIPE|TIMEDOUT|HOSTUNREACH|NETUNREACH|AI_AGAIN|NOTFOUND)|SQLITE_(BUSY|LOCKED))/;

function codeOf(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/**
 * True unless the database answered with an error of the statement itself. Errors without a code (a connection
 * that ended, a pool that could not connect in time) count as transient.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  const driverError = error instanceof QueryFailedError ? (error.driverError as unknown) : error;
  const code = codeOf(driverError) ?? codeOf(error);
  if (code === null) return true;
  return TRANSIENT_SQLSTATE.test(code) || TRANSIENT_CODES.test(code);
}
