// The error codes clients see, one class per code, and the single place that turns any thrown value into a GraphQL error.
import { GraphQLError } from 'graphql';
import { ArgumentValidationError } from 'type-graphql';
import type { ValidationError } from 'class-validator';

export enum ErrorCode {
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  NOT_FOUND = 'NOT_FOUND',
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  RATE_LIMITED = 'RATE_LIMITED',
  REPLAY_TOO_LONG = 'REPLAY_TOO_LONG',
  QUERY_TOO_DEEP = 'QUERY_TOO_DEEP',
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  INTROSPECTION_DISABLED = 'INTROSPECTION_DISABLED',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** A service the request needs (the database) cannot be reached: retry after extensions.retryAfter seconds. */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  // Apollo Server's codes for documents that do not parse or validate; operations over WebSocket use them too.
  GRAPHQL_PARSE_FAILED = 'GRAPHQL_PARSE_FAILED',
  GRAPHQL_VALIDATION_FAILED = 'GRAPHQL_VALIDATION_FAILED',
}

export abstract class AppError extends Error {
  abstract readonly code: ErrorCode;
  extensions(): Record<string, unknown> {
    return {};
  }
}

export class UnauthenticatedError extends AppError {
  readonly code = ErrorCode.UNAUTHENTICATED;
  constructor(message = 'A valid API token is required: send "Authorization: Bearer <token>"') {
    super(message);
  }
}

export class ForbiddenError extends AppError {
  readonly code = ErrorCode.FORBIDDEN;
}

export class NotFoundError extends AppError {
  readonly code = ErrorCode.NOT_FOUND;
  constructor(what: string) {
    super(`${what} not found`);
  }
}

export class BadUserInputError extends AppError {
  readonly code = ErrorCode.BAD_USER_INPUT;
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(field ? `${field}: ${message}` : message);
  }
  override extensions(): Record<string, unknown> {
    return this.field ? { field: this.field } : {};
  }
}

/** Too many requests: try again after retryAfterSeconds. */
export class RateLimitedError extends AppError {
  readonly code = ErrorCode.RATE_LIMITED;
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
  override extensions(): Record<string, unknown> {
    return { retryAfter: this.retryAfterSeconds };
  }
}

/**
 * More notifications follow a subscription's `after` than it replays: the client reads the history instead, then
 * subscribes again from the newest notification it has.
 */
export class ReplayTooLongError extends AppError {
  readonly code = ErrorCode.REPLAY_TOO_LONG;
  constructor(readonly max: number) {
    super(
      `More than ${max} notifications follow "after": read the history, then subscribe after the newest one`,
    );
  }
  override extensions(): Record<string, unknown> {
    return { max: this.max };
  }
}

/** Seconds a client is told to wait before retrying a request that failed on an unreachable dependency. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 5;

/** A dependency (the database) cannot be reached: nothing was changed, and the same request may be retried. */
export class ServiceUnavailableError extends AppError {
  readonly code = ErrorCode.SERVICE_UNAVAILABLE;
  constructor(
    message = 'The database cannot be reached; nothing was changed, retry shortly',
    readonly retryAfterSeconds = DEPENDENCY_RETRY_AFTER_SECONDS,
  ) {
    super(message);
  }
  override extensions(): Record<string, unknown> {
    return { retryAfter: this.retryAfterSeconds };
  }
}

/** System error codes of a connection that cannot be made or was lost. */
const CONNECTION_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * PostgreSQL SQLSTATEs of a server that cannot take or keep the connection: class 08 (connection exception),
 * 57P01-57P03 (shutting down, crashed, starting), 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;
/** SQLite result codes of a file another process holds or the disk refuses. */
const UNAVAILABLE_SQLITE = /^SQLITE_(BUSY|IOERR|CANTOPEN)/;
/** Messages of drivers that lost their connection without a code (pg, ioredis). */
const CONNECTION_LOST =
  /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Connection is closed|Stream isn't writeable/i;

/**
 * Whether an error means a dependency is down rather than that the request or the code is wrong: the one place
 * that tells them apart, for the 503 SERVICE_UNAVAILABLE answer. Looks through TypeORM's and Node's wrappers.
 */
export function isDependencyDown(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const { code, message, name } = error as { code?: unknown; message?: unknown; name?: unknown };
  if (typeof code === 'string') {
    if (CONNECTION_ERRNOS.has(code) || UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SQLITE.test(code)) {
      return true;
    }
  }
  if (name === 'MaxRetriesPerRequestError') return true;
  if (typeof message === 'string' && CONNECTION_LOST.test(message)) return true;
  const wrapped = error as {
    driverError?: unknown;
    cause?: unknown;
    originalError?: unknown;
    errors?: unknown;
  };
  if (Array.isArray(wrapped.errors) && wrapped.errors.some((each) => isDependencyDown(each, depth + 1))) {
    return true;
  }
  return [wrapped.driverError, wrapped.cause, wrapped.originalError].some((inner) =>
    isDependencyDown(inner, depth + 1),
  );
}

/** The text of any thrown value, with its system error code (ECONNREFUSED, ENOTFOUND...) when it has one. */
export function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

function flattenValidationErrors(
  errors: ValidationError[],
  prefix: string,
): { field: string; message: string }[] {
  return errors.flatMap((error) => {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flattenValidationErrors(error.children ?? [], field)];
  });
}

export interface ErrorMapping {
  error: GraphQLError;
  /** true when the error is a bug, to be logged with its stack */
  internal: boolean;
  /** true when a dependency is down (SERVICE_UNAVAILABLE), to be logged with the request id */
  unavailable: boolean;
}

/** Maps anything a resolver threw onto a GraphQL error with extensions.code. */
export interface ErrorMappingOptions {
  maskInternal: boolean;
  requestId?: string;
  /** The argument name an invalid input object was given as, so fields read like the services' (input.url). */
  argumentOf?: (validated: object) => string | undefined;
}

export function toGraphQLError(thrown: unknown, options: ErrorMappingOptions): ErrorMapping {
  const coded = thrown instanceof GraphQLError && typeof thrown.extensions?.code === 'string';
  if (!(thrown instanceof AppError) && !coded && isDependencyDown(thrown)) {
    return { ...toGraphQLError(new ServiceUnavailableError(), options), unavailable: true };
  }
  if (thrown instanceof AppError) {
    const requestId = thrown instanceof ServiceUnavailableError ? { requestId: options.requestId } : {};
    return {
      error: new GraphQLError(thrown.message, {
        extensions: { code: thrown.code, ...thrown.extensions(), ...requestId },
      }),
      internal: false,
      unavailable: false,
    };
  }
  if (thrown instanceof ArgumentValidationError) {
    const errors = thrown.extensions.validationErrors as ValidationError[];
    const target = errors[0]?.target;
    const prefix = (target && options.argumentOf?.(target)) ?? '';
    const problems = flattenValidationErrors(errors, prefix);
    const first = problems[0];
    return {
      error: new GraphQLError(first ? `${first.field}: ${first.message}` : 'Invalid input', {
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: first?.field, problems },
      }),
      internal: false,
      unavailable: false,
    };
  }
  if (thrown instanceof GraphQLError && typeof thrown.extensions?.code === 'string') {
    return { error: thrown, internal: false, unavailable: false };
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return {
    error: new GraphQLError(options.maskInternal ? 'Internal server error' : message, {
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: options.requestId },
    }),
    internal: true,
    unavailable: false,
  };
}

/**
 * The field a variable coercion error is about. graphql-js names it only in the message: 'Variable "$input" got
 * invalid value ... at "input.url"' gives input.url, 'Variable "$id" of required type ...' gives id.
 */
export function variableErrorField(message: string): string | undefined {
  const match =
    /^Variable "\$(\w+)" got invalid value .*? at "([^"]+)"/.exec(message) ??
    /^Variable "\$(\w+)"/.exec(message);
  return match ? (match[2] ?? match[1]) : undefined;
}
