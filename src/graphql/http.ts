// GraphQL over HTTP (Apollo Server on express): the request's context and the operation's admission
// (admission.ts) with the HTTP status and Retry-After of a refusal, operation metrics, and the error formatting
// backstop for errors raised outside resolvers.
import type { ApolloServerPlugin, ContextFunction } from '@apollo/server';
import type { ExpressContextFunctionArgument } from '@as-integrations/express5';
import { GraphQLError, Kind, type GraphQLFormattedError } from 'graphql';
import { randomUUID } from 'node:crypto';
import type http from 'node:http';
import type { Context } from '../context';
import {
  DEPENDENCY_RETRY_AFTER_SECONDS,
  ErrorCode,
  isDependencyDown,
  ServiceUnavailableError,
  toGraphQLError,
  variableErrorField,
} from '../lib/errors';
import type { Metrics } from '../metrics';
import { tokenLimitRefusal } from '../lib/operation-limits';
import { httpStatusFor, retryAfterFor, type Admission } from './admission';

/** expressMiddleware's context: the admitted caller, or the refusal with its HTTP status (500 when it has none). */
export function httpContext(
  admission: Admission,
  clientIp: (request: http.IncomingMessage) => string,
  options: { production: boolean },
): ContextFunction<[ExpressContextFunctionArgument], Context> {
  return async ({ req }) => {
    const requestId = (req.headers['x-request-id'] as string | undefined)?.slice(0, 100) || randomUUID();
    try {
      return await admission.admitRequest({
        authorization: req.headers.authorization,
        ip: clientIp(req),
        requestId,
      });
    } catch (error) {
      const coded = toGraphQLError(error, { maskInternal: options.production, requestId }).error;
      const retryAfter = retryAfterFor(coded);
      throw new GraphQLError(coded.message, {
        extensions: {
          ...coded.extensions,
          http: {
            status: httpStatusFor(coded) ?? 500,
            headers: new Map(retryAfter ? [['retry-after', retryAfter]] : []),
          },
        },
      });
    }
  };
}

/** Admits each operation once it is resolved, and gives a refused one its HTTP status and Retry-After. */
export function admissionPlugin(admission: Admission): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ document, request, contextValue }) {
          const refusal = await admission.admitOperation(
            contextValue,
            document,
            request.variables,
            request.operationName,
          );
          if (refusal) throw refusal;
        },
        async willSendResponse({ response, errors, contextValue }) {
          const first = errors?.[0];
          if (!first) return;
          // A dependency failure raised where no resolver middleware coded it (formatHttpError codes its body).
          const uncoded = errors.filter(
            (error) => typeof error.extensions?.code !== 'string' && isDependencyDown(error.originalError),
          );
          for (const error of uncoded) {
            contextValue.log.warn(
              { err: error.originalError },
              'request failed: a dependency is unreachable',
            );
          }
          if (uncoded.includes(first)) {
            response.http.status = 503;
            response.http.headers.set('retry-after', String(DEPENDENCY_RETRY_AFTER_SECONDS));
            return;
          }
          const status = httpStatusFor(first);
          if (status) response.http.status = status;
          const retryAfter = retryAfterFor(first);
          if (retryAfter) response.http.headers.set('retry-after', retryAfter);
        },
      };
    },
  };
}

/** Counts each operation by name and outcome (ok or its first error's code). */
export function operationMetricsPlugin(metrics: Metrics): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ errors, operationName, operation }) {
          const code = errors?.[0]?.extensions?.code;
          const name =
            operationName ??
            operation?.selectionSet.selections.find((s) => s.kind === Kind.FIELD)?.name.value;
          metrics.countOperation(name ?? 'unknown', typeof code === 'string' ? code : 'ok');
        },
      };
    },
  };
}

/**
 * Apollo's formatError. The schema's middleware already coded resolver errors; this backstop covers errors raised
 * outside resolvers.
 */
export function formatHttpError(options: {
  production: boolean;
  maxTokens: number;
}): (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError {
  return (formatted, error) => {
    if (
      typeof formatted.extensions?.code !== 'string' ||
      formatted.extensions.code === ErrorCode.INTERNAL_SERVER_ERROR
    ) {
      const original = (error as { originalError?: unknown } | null)?.originalError;
      if (isDependencyDown(original)) {
        const unavailable = new ServiceUnavailableError();
        return {
          message: unavailable.message,
          locations: formatted.locations,
          path: formatted.path,
          extensions: { code: unavailable.code, ...unavailable.extensions() },
        };
      }
    }
    if (formatted.extensions?.code === 'GRAPHQL_PARSE_FAILED') {
      const refusal = tokenLimitRefusal(formatted, options.maxTokens);
      if (refusal) return { message: refusal.message, extensions: refusal.extensions };
    }
    const code = formatted.extensions?.code;
    // Variable coercion errors name the offending field only in their message; lift it into extensions.field
    // like every other input error.
    if (code === ErrorCode.BAD_USER_INPUT && !formatted.extensions?.field) {
      const field = variableErrorField(formatted.message);
      if (field) formatted = { ...formatted, extensions: { ...formatted.extensions, field } };
    }
    if (code === ErrorCode.INTERNAL_SERVER_ERROR && options.production) {
      return { message: 'Internal server error', extensions: { code } };
    }
    if (!options.production) return formatted;
    const { stacktrace: _stacktrace, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  };
}
