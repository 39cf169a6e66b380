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
}

/** Maps anything a resolver threw onto a GraphQL error with extensions.code. */
export interface ErrorMappingOptions {
  maskInternal: boolean;
  requestId?: string;
  /** The argument name an invalid input object was given as, so fields read like the services' (input.url). */
  argumentOf?: (validated: object) => string | undefined;
}

export function toGraphQLError(thrown: unknown, options: ErrorMappingOptions): ErrorMapping {
  if (thrown instanceof AppError) {
    return {
      error: new GraphQLError(thrown.message, { extensions: { code: thrown.code, ...thrown.extensions() } }),
      internal: false,
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
    };
  }
  if (thrown instanceof GraphQLError && typeof thrown.extensions?.code === 'string') {
    return { error: thrown, internal: false };
  }
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  return {
    error: new GraphQLError(options.maskInternal ? 'Internal server error' : message, {
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId: options.requestId },
    }),
    internal: true,
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
