// GraphQL over WebSocket: graphql-ws (through ws-adapter.ts) on the HTTP server's GraphQL path. Connections are
// limited per address and refused at connection_init without valid credentials; every operation is admitted as over
// HTTP (admission.ts); sockets follow their tokens (src/modules/accounts/sessions.ts).
import {
  getVariableValues,
  GraphQLError,
  Kind,
  NoSchemaIntrospectionCustomRule,
  specifiedRules,
  type DocumentNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import { CloseCode, type Disposable } from 'graphql-ws';
import type http from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import type { GraphQLLimitsConfig } from '../config';
import { operationContext, type Context } from '../context';
import { ErrorCode, ServiceUnavailableError, toGraphQLError, variableErrorField } from '../lib/errors';
import type { Metrics } from '../metrics';
import { tokenLimitRefusal } from '../lib/operation-limits';
import type { SocketSessions } from '../modules/accounts/sessions';
import { isSubscription, type Admission } from './admission';
import { DocumentCache } from './document-cache';
import type { RequestGate } from './request-gate';
import { subscribeSharingExecution } from './shared-execution';
import { useServer } from './ws-adapter';

/** graphql-ws has no named constant for it: the code it uses for too many initialisation requests. */
const TOO_MANY_CONNECTIONS = CloseCode.TooManyInitialisationRequests;
/** 1013 Try Again Later: graphql-ws clients retry it (a 4xxx code would make them give up or look like bad auth). */
const TRY_AGAIN_LATER = 1013;

export interface WebSocketOptions {
  httpServer: http.Server;
  path: string;
  schema: GraphQLSchema;
  limits: GraphQLLimitsConfig;
  production: boolean;
  admission: Admission;
  /** For the limits on connections per address. */
  gate: RequestGate;
  sessions: SocketSessions;
  metrics: Metrics;
  clientIp: (request: http.IncomingMessage) => string;
}

/** A query that does not parse, coded as over HTTP. */
function parseFailure(error: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, {
    source: error.source,
    positions: error.positions,
    extensions: { ...error.extensions, code: ErrorCode.GRAPHQL_PARSE_FAILED },
  });
}

/**
 * The errors of variables the operation cannot take (wrong type, required and missing), coded BAD_USER_INPUT with
 * the field they name, as over HTTP; null when they coerce.
 */
function variableErrors(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError[] | null {
  const operation = document.definitions.find(
    (definition): definition is OperationDefinitionNode =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName),
  );
  if (!operation?.variableDefinitions?.length) return null;
  const coerced = getVariableValues(schema, operation.variableDefinitions, variables ?? {}, {
    maxErrors: 50,
  });
  if (!coerced.errors) return null;
  return coerced.errors.map(
    (error) =>
      new GraphQLError(error.message, {
        nodes: error.nodes,
        originalError: error.originalError ?? error,
        extensions: {
          ...error.extensions,
          code: ErrorCode.BAD_USER_INPUT,
          field: variableErrorField(error.message),
        },
      }),
  );
}

/** Serves GraphQL over WebSocket until the returned handle is disposed (which closes every socket). */
export function serveGraphqlOverWebSocket(options: WebSocketOptions): Disposable {
  const { schema, limits, admission, gate, sessions, metrics, clientIp } = options;
  const wsServer = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: limits.maxBodyBytes,
  });
  const validationRules = limits.introspection
    ? specifiedRules
    : [...specifiedRules, NoSchemaIntrospectionCustomRule];
  // Subscribers mostly send the same few queries: parse and validate each once (see DocumentCache).
  const subscriptionDocuments = new DocumentCache(schema, validationRules, { maxTokens: limits.maxTokens });
  const socketContexts = new WeakMap<object, Context>();
  const socketSubscriptions = new WeakMap<object, Set<string>>();
  const releaseSubscription = (extra: object, id: string) => {
    const open = socketSubscriptions.get(extra);
    const context = socketContexts.get(extra);
    if (!open?.delete(id) || !context?.viewer) return;
    admission.releaseSubscription(context.viewer);
    metrics.activeSubscriptions.dec();
  };
  // Registered before graphql-ws's own listener: a connection over the address's ceiling is closed before it speaks.
  wsServer.on('connection', (socket, request) => {
    const ip = clientIp(request);
    if (!gate.openConnection(ip)) {
      socket.close(TOO_MANY_CONNECTIONS, 'Too many open connections from this address');
      return;
    }
    socket.once('close', () => gate.closeConnection(ip));
  });
  return useServer<{ authorization?: unknown }, { socket: WebSocket; request: http.IncomingMessage }>(
    {
      schema,
      isProd: options.production,
      // Returning false closes the socket with 4403 Forbidden: bad credentials are refused at connection_init.
      onConnect: async (ctx) => {
        const ip = clientIp(ctx.extra.request);
        if (!(await gate.admitConnection(ip))) {
          ctx.extra.socket.close(TOO_MANY_CONNECTIONS, 'Too many connection attempts from this address');
          return false;
        }
        const authorization = ctx.connectionParams?.authorization;
        // Every refusal of credentials, rate-limited or not, closes with 4403: 4429 would tell graphql-ws clients
        // to give up for good, and a valid token from the same address must still get in.
        if (typeof authorization !== 'string' || !authorization) return false;
        try {
          const context = await admission.admitRequest({ authorization, ip });
          if (!context.viewer) return false;
          socketContexts.set(ctx.extra, context);
          sessions.open(ctx.extra, ctx.extra.socket, authorization, context.viewer);
          socketSubscriptions.set(ctx.extra, new Set());
          return true;
        } catch (error) {
          // The database is down (admission logged it): not a refusal of the credentials, so a retryable close.
          if (error instanceof ServiceUnavailableError) {
            ctx.extra.socket.close(TRY_AGAIN_LATER, ErrorCode.SERVICE_UNAVAILABLE);
          }
          return false;
        }
      },
      // Operations over the socket are parsed and validated here, then admitted exactly as over HTTP.
      onSubscribe: async (ctx, id, payload) => {
        let contextValue: Context;
        const connection = socketContexts.get(ctx.extra)!;
        try {
          contextValue = operationContext(connection, await sessions.viewerFor(ctx.extra));
        } catch (error) {
          const mapped = toGraphQLError(error, {
            maskInternal: options.production,
            requestId: connection.requestId,
          });
          if (mapped.unavailable)
            connection.log.warn({ err: error }, 'token check failed: a dependency is unreachable');
          if (mapped.internal) connection.log.error({ err: error }, 'token check failed');
          return [mapped.error];
        }
        let document: DocumentNode;
        try {
          const checked = subscriptionDocuments.get(payload.query);
          if (checked.errors.length) return [...checked.errors];
          document = checked.document;
        } catch (error) {
          if (!(error instanceof GraphQLError)) return [new GraphQLError(String(error))];
          return [tokenLimitRefusal(error, limits.maxTokens) ?? parseFailure(error)];
        }
        const { variables, operationName } = payload;
        const subscription = isSubscription(document, operationName);
        const refusal = subscription
          ? admission.admitSubscription(contextValue, document, variables, operationName)
          : await admission.admitOperation(contextValue, document, variables, operationName);
        if (refusal) return [refusal];
        // Checked after admission, as over HTTP, where variables are coerced when execution starts.
        const invalid = variableErrors(schema, document, operationName, variables);
        if (invalid) {
          if (subscription && contextValue.viewer) admission.releaseSubscription(contextValue.viewer);
          return invalid;
        }
        if (subscription) {
          socketSubscriptions.get(ctx.extra)!.add(id);
          metrics.activeSubscriptions.inc();
        }
        return { schema, document, variableValues: variables, operationName, contextValue };
      },
      // Each event is executed once per distinct operation and shared by its subscribers, not once per socket, and
      // written to their sockets directly (ws-adapter.ts).
      subscribe: subscribeSharingExecution,
      onComplete: (ctx, id) => releaseSubscription(ctx.extra, id),
      onClose: (ctx) => {
        sessions.closed(ctx.extra);
        for (const id of [...(socketSubscriptions.get(ctx.extra) ?? [])]) releaseSubscription(ctx.extra, id);
      },
    },
    wsServer,
  );
}
