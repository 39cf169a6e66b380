// Who gets in and what they may run, the same over HTTP and over WebSocket: authentication with the limits on
// callers without a valid token, operation limits (a smaller cost budget without a token), each token's rate per
// class of operation, the ceilings on live subscriptions, and the HTTP status and Retry-After of a refusal.
import { randomUUID } from 'node:crypto';
import {
  GraphQLError,
  Kind,
  OperationTypeNode,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import type { GraphQLLimitsConfig } from '../config';
import { createContext, type Context } from '../context';
import {
  ErrorCode,
  isDependencyDown,
  RateLimitedError,
  ServiceUnavailableError,
  toGraphQLError,
} from '../lib/errors';
import type { Logger } from '../lib/logger';
import { checkOperationLimits } from '../lib/operation-limits';
import type { Viewer } from '../modules/accounts/tokens.service';
import type { Services } from '../services';
import type { OperationClass, RequestGate } from './request-gate';

export interface CallerInfo {
  authorization: string | undefined;
  /** The client's address, for per-IP limits on failed authentication. */
  ip: string;
  requestId?: string;
}

type Variables = Record<string, unknown> | null | undefined;

const HTTP_STATUS_BY_CODE: Partial<Record<string, number>> = {
  [ErrorCode.RATE_LIMITED]: 429,
  [ErrorCode.QUERY_TOO_DEEP]: 400,
  [ErrorCode.QUERY_TOO_COMPLEX]: 400,
  [ErrorCode.INTROSPECTION_DISABLED]: 400,
  [ErrorCode.SERVICE_UNAVAILABLE]: 503,
};

interface CodedError {
  readonly extensions?: { readonly [key: string]: unknown };
}

/** The HTTP status of a response whose (first) error is `error`, when its code has one. */
export function httpStatusFor(error: CodedError): number | undefined {
  const code = error.extensions?.code;
  return typeof code === 'string' ? HTTP_STATUS_BY_CODE[code] : undefined;
}

/** The Retry-After header of a response whose (first) error is `error`: RATE_LIMITED and SERVICE_UNAVAILABLE say. */
export function retryAfterFor(error: CodedError): string | undefined {
  const retryAfter = error.extensions?.retryAfter;
  return typeof retryAfter === 'number' ? String(retryAfter) : undefined;
}

function selectedOperation(document: DocumentNode, name: string | null | undefined) {
  const operations = document.definitions.filter(
    (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
  );
  return name ? operations.find((operation) => operation.name?.value === name) : operations[0];
}

/** publishEvent has its own, higher rate; everything else is a settings operation. */
function operationClass(operation: OperationDefinitionNode | undefined): OperationClass {
  const publishes = operation?.selectionSet.selections.some(
    (selection) => selection.kind === Kind.FIELD && selection.name.value === 'publishEvent',
  );
  return publishes ? 'publish' : 'settings';
}

/** Whether the operation the request selects is a subscription. */
export function isSubscription(document: DocumentNode, operationName: string | null | undefined): boolean {
  return selectedOperation(document, operationName)?.operation === OperationTypeNode.SUBSCRIPTION;
}

export class Admission {
  private readonly limits: GraphQLLimitsConfig;
  private readonly anonymousLimits: GraphQLLimitsConfig;

  constructor(
    private readonly services: Services,
    private readonly log: Logger,
    private readonly schema: GraphQLSchema,
    private readonly gate: RequestGate,
  ) {
    this.limits = services.config.graphql;
    this.anonymousLimits = { ...this.limits, maxCost: this.limits.maxCostAnonymous };
  }

  /**
   * The caller's context. Throws RATE_LIMITED for a request without a token beyond its address's anonymous rate,
   * and for a wrong token from an address that failed authentication too often. A valid token is never refused for
   * its address's failures: from such an address, looking a token up costs the anonymous rate unless this process
   * knows the token already.
   */
  async admitRequest(caller: CallerInfo): Promise<Context> {
    const { services, gate } = this;
    const requestId = caller.requestId ?? randomUUID();
    const { authorization, ip } = caller;
    let failing = false;
    if (!authorization) await gate.admitAnonymous(ip);
    else if (await gate.failingAuthentication(ip)) {
      failing = true;
      if (!services.tokens.remembers(authorization)) await gate.admitAnonymous(ip);
    }
    let result: Awaited<ReturnType<Services['tokens']['authenticate']>>;
    try {
      result = await services.tokens.authenticate(authorization);
    } catch (error) {
      // The token check is the first read of most requests: its failure is logged here, with the request id the
      // client is given, as a resolver's would be.
      if (isDependencyDown(error)) {
        this.log.warn({ err: error, requestId }, 'token check failed: a dependency is unreachable');
        throw new ServiceUnavailableError();
      }
      this.log.error({ err: error, requestId }, 'token check failed');
      throw error;
    }
    const viewer = 'viewer' in result ? result.viewer : null;
    const authFailure = 'failure' in result ? result.failure : null;
    if (authFailure && authFailure !== 'missing') {
      await gate.recordAuthFailure(ip);
      if (failing)
        throw new RateLimitedError('Too many failed authentications from this address; retry later', 60);
    }
    return createContext(requestId, viewer, authFailure, services, this.log);
  }

  /**
   * The refusal of an operation that holds nothing open (every operation over HTTP, queries and mutations over
   * WebSocket), or null: its limits, then its token's rate for the operation's class.
   */
  async admitOperation(
    context: Context,
    document: DocumentNode,
    variables: Variables,
    operationName: string | null | undefined,
  ): Promise<GraphQLError | null> {
    const limited = this.checkLimits(context, document, variables, operationName);
    if (limited) return limited;
    if (!context.viewer) return null;
    try {
      const kind = operationClass(selectedOperation(document, operationName));
      await this.gate.admitOperation(context.viewer.tokenId, kind);
    } catch (error) {
      return toGraphQLError(error, { maskInternal: true }).error;
    }
    return null;
  }

  /**
   * The refusal of a live subscription, or null: its limits, then a slot under its token's and its account's
   * ceilings, held until releaseSubscription (instead of the rate: a subscription is asked for once).
   */
  admitSubscription(
    context: Context,
    document: DocumentNode,
    variables: Variables,
    operationName: string | null | undefined,
  ): GraphQLError | null {
    const limited = this.checkLimits(context, document, variables, operationName);
    if (limited) return limited;
    if (!context.viewer) return null;
    const held = this.gate.acquireSubscription(context.viewer.tokenId, context.viewer.account.id);
    if (!held.ok) return new GraphQLError(held.limit, { extensions: { code: ErrorCode.RATE_LIMITED } });
    return null;
  }

  /** Frees the slot of a subscription admitted for `viewer`. */
  releaseSubscription(viewer: Viewer): void {
    this.gate.releaseSubscription(viewer.tokenId, viewer.account.id);
  }

  private checkLimits(
    context: Context,
    document: DocumentNode,
    variables: Variables,
    operationName: string | null | undefined,
  ): GraphQLError | null {
    // A wrong token is not anonymous: it is told so when the operation runs, and its address is slowed down.
    const anonymous = context.authFailure === 'missing';
    const limited = checkOperationLimits(
      this.schema,
      document,
      variables ?? undefined,
      operationName,
      anonymous ? this.anonymousLimits : this.limits,
    );
    if (limited && anonymous && limited.extensions.maxCost !== undefined) {
      return new GraphQLError(`${limited.message}; an API token allows ${this.limits.maxCost}`, limited);
    }
    return limited;
  }
}
