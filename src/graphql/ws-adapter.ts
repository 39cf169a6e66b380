// graphql-ws on a `ws` server, wired exactly as graphql-ws's own useServer (graphql-ws/use/ws, v6) wires it: the
// same protocol check, keep-alive pings, close codes, message and error handling and dispose. One thing differs:
// subscriptions whose stream can push (shared-execution.ts) are written to the socket directly.
//
// Through graphql-ws, every subscriber of every event goes through a chain of promises (for await, emit.next, the
// send promise) and a JSON.stringify of the whole message. With thousands of subscribers that per-socket work,
// not the execution, was most of the fan-out's time. Here a pushed result is written synchronously from the bus
// event: the message is the one graphql-ws would send, byte for byte, and the JSON of its payload is made once
// per result, not once per socket. graphql-ws still runs everything else: subscribe, complete, errors, close.
import type { ExecutionArgs, ExecutionResult } from 'graphql';
import {
  CloseCode,
  DEPRECATED_GRAPHQL_WS_PROTOCOL,
  handleProtocols,
  makeServer,
  MessageType,
  type ConnectionInitMessage,
  type Disposable,
  type ServerOptions,
} from 'graphql-ws';
import type http from 'node:http';
import type { WebSocket, WebSocketServer } from 'ws';
import {
  isPushable,
  MAX_QUEUED_MESSAGES,
  type PushableIterator,
  type PushSink,
} from './subscription-iterator';

/** The extra in graphql-ws's context, as useServer sets it. */
export interface Extra {
  readonly socket: WebSocket;
  readonly request: http.IncomingMessage;
}

/**
 * useServer's options. onNext and jsonMessageReplacer are left out: directly written results do not pass through
 * graphql-ws's message serialization.
 */
export type WebSocketServerOptions<P extends ConnectionInitMessage['payload'], E> = Omit<
  ServerOptions<P, Extra & Partial<E>>,
  'onNext' | 'jsonMessageReplacer'
> & {
  /**
   * In production internal errors close sockets without their message. useServer's default is NODE_ENV ===
   * 'production'; here the caller passes it from the configuration.
   */
  isProd: boolean;
};

/** graphql-ws's limitCloseReason: a close reason must fit in a control frame. */
function limitCloseReason(reason: string, whenTooLong: string): string {
  return reason.length < 124 ? reason : whenTooLong;
}

/** The JSON of the payload graphql-ws sends for a result (errors, if any, last), once per result object. */
const payloadJson = new WeakMap<ExecutionResult, string>();

function nextPayloadJson(result: ExecutionResult): string {
  let json = payloadJson.get(result);
  if (json === undefined) {
    const { errors, ...rest } = result;
    json = JSON.stringify({ ...rest, ...(errors ? { errors: errors.map((error) => error.toJSON()) } : {}) });
    payloadJson.set(result, json);
  }
  return json;
}

const DONE: IteratorResult<ExecutionResult> = { value: undefined, done: true };

/**
 * A subscription written directly to its socket. For graphql-ws it is the subscription's iterator: its one next()
 * settles when the subscription ends (done after return(); rejected when the stream or a write failed, so
 * graphql-ws sends the error message), and the results go to the socket in the meantime. Like graphql-ws, one
 * message at a time is in flight; results arriving meanwhile wait in a bounded queue (the oldest is dropped first,
 * as in the live bus's own queue).
 */
class DirectSubscription implements AsyncIterableIterator<ExecutionResult>, PushSink<ExecutionResult> {
  /** The start of every next message of this subscription: `{"id":…,"type":"next","payload":`. */
  private readonly prefix: string;
  private ended: Promise<IteratorResult<ExecutionResult>> | undefined;
  private end: ((result: IteratorResult<ExecutionResult>) => void) | undefined;
  private reject: ((error: Error) => void) | undefined;
  private closed = false;
  private writing = false;
  private backlog: ExecutionResult[] | undefined;

  constructor(
    private readonly stream: PushableIterator<ExecutionResult>,
    private readonly socket: WebSocket,
    id: string,
  ) {
    this.prefix = `{"id":${JSON.stringify(id)},"type":${JSON.stringify(MessageType.Next)},"payload":`;
  }

  next(): Promise<IteratorResult<ExecutionResult>> {
    if (!this.ended) {
      this.ended = new Promise((resolve, reject) => {
        this.end = resolve;
        this.reject = reject;
      });
      this.stream.pushTo(this);
    }
    return this.ended;
  }

  async return(): Promise<IteratorResult<ExecutionResult>> {
    this.close();
    this.end?.(DONE);
    await this.stream.return?.();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  push(result: ExecutionResult): void {
    if (this.closed) return;
    if (!this.writing) {
      this.write(result);
      return;
    }
    // Results, not messages, wait: they are shared with the other subscribers, a message would be a copy.
    this.backlog ??= [];
    if (this.backlog.length >= MAX_QUEUED_MESSAGES) this.backlog.shift();
    this.backlog.push(result);
  }

  fail(error: unknown): void {
    if (this.closed) return;
    this.close();
    void this.stream.return?.();
    this.reject!(error instanceof Error ? error : new Error(String(error)));
  }

  private close(): void {
    this.closed = true;
    this.backlog = undefined;
  }

  private write(result: ExecutionResult): void {
    // As useServer's send: nothing is written to a socket that is no longer open.
    if (this.socket.readyState !== this.socket.OPEN) return;
    let message: string;
    try {
      message = `${this.prefix}${nextPayloadJson(result)}}`;
    } catch (error) {
      this.fail(error);
      return;
    }
    this.writing = true;
    this.socket.send(message, this.written);
  }

  private readonly written = (error?: Error): void => {
    this.writing = false;
    if (error) {
      this.fail(error);
      return;
    }
    const result = this.backlog?.shift();
    if (result) this.write(result);
  };
}

function isExecutionArgs(value: unknown): value is ExecutionArgs {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** graphql-ws's useServer (see the top of this file): same signature and behaviour, with direct delivery. */
export function useServer<
  P extends ConnectionInitMessage['payload'] = ConnectionInitMessage['payload'],
  E extends Record<PropertyKey, unknown> = Record<PropertyKey, never>,
>(options: WebSocketServerOptions<P, E>, ws: WebSocketServer, keepAlive = 12_000): Disposable {
  const { isProd } = options;
  const internalErrorReason = (error: unknown) =>
    isProd
      ? 'Internal server error'
      : limitCloseReason(error instanceof Error ? error.message : String(error), 'Internal server error');

  // The socket and id behind the execution arguments onSubscribe returned (a new object per operation: graphql-ws
  // sets its rootValue and contextValue). graphql-ws hands that same object to subscribe(), which is where a
  // pushable stream is connected to its socket.
  const targets = new WeakMap<ExecutionArgs, { socket: WebSocket; id: string }>();
  const { onSubscribe, subscribe } = options;
  const server = makeServer<P, Extra & Partial<E>>({
    ...options,
    onSubscribe:
      onSubscribe &&
      ((ctx, id, payload) => {
        const remember = <T>(returned: T): T => {
          if (isExecutionArgs(returned)) targets.set(returned, { socket: ctx.extra.socket, id });
          return returned;
        };
        const returned = onSubscribe(ctx, id, payload);
        return returned instanceof Promise ? returned.then(remember) : remember(returned);
      }),
    subscribe:
      subscribe &&
      (async (args) => {
        const result = await subscribe(args);
        const target = targets.get(args);
        return target && isPushable<ExecutionResult>(result)
          ? new DirectSubscription(result, target.socket, target.id)
          : result;
      }),
  });

  ws.options.handleProtocols = handleProtocols;

  ws.once('error', (err) => {
    console.error('Internal error emitted on the WebSocket server. Please check your implementation.', err);
    // Catch the first thrown error and re-throw it once all clients have been notified.
    let firstErr: unknown = null;
    for (const client of ws.clients) {
      try {
        client.close(CloseCode.InternalServerError, internalErrorReason(err));
      } catch (err) {
        firstErr = firstErr ?? err;
      }
    }
    if (firstErr) throw firstErr;
  });

  ws.on('connection', (socket, request) => {
    socket.once('error', (err) => {
      console.error('Internal error emitted on a WebSocket socket. Please check your implementation.', err);
      socket.close(CloseCode.InternalServerError, internalErrorReason(err));
    });

    // Keep-alive: a ping every keepAlive ms, and the socket is terminated if no pong comes back in as long.
    let pongWait: NodeJS.Timeout | null = null;
    const pingInterval =
      keepAlive > 0 && isFinite(keepAlive)
        ? setInterval(() => {
            if (socket.readyState === socket.OPEN) {
              pongWait = setTimeout(() => {
                socket.terminate();
              }, keepAlive);
              socket.once('pong', () => {
                if (pongWait) {
                  clearTimeout(pongWait);
                  pongWait = null;
                }
              });
              socket.ping();
            }
          }, keepAlive)
        : null;

    const closed = server.opened(
      {
        protocol: socket.protocol,
        send: (data) =>
          new Promise((resolve, reject) => {
            if (socket.readyState !== socket.OPEN) return resolve();
            socket.send(data, (err) => (err ? reject(err) : resolve()));
          }),
        close: (code, reason) => socket.close(code, reason),
        onMessage: (cb) =>
          socket.on('message', async (event) => {
            try {
              await cb(String(event));
            } catch (err) {
              console.error(
                'Internal error occurred during message handling. Please check your implementation.',
                err,
              );
              socket.close(CloseCode.InternalServerError, internalErrorReason(err));
            }
          }),
      },
      { socket, request } as Extra & Partial<E>,
    );

    socket.once('close', (code, reason) => {
      if (pongWait) clearTimeout(pongWait);
      if (pingInterval) clearInterval(pingInterval);
      if (
        !isProd &&
        code === CloseCode.SubprotocolNotAcceptable &&
        socket.protocol === DEPRECATED_GRAPHQL_WS_PROTOCOL
      )
        console.warn(
          `Client provided the unsupported and deprecated subprotocol "${socket.protocol}" used by subscriptions-transport-ws.` +
            'Please see https://www.apollographql.com/docs/apollo-server/data/subscriptions/#switching-from-subscriptions-transport-ws.',
        );
      void closed(code, String(reason));
    });
  });

  return {
    dispose: async () => {
      for (const client of ws.clients) {
        client.close(1001, 'Going away');
      }
      ws.removeAllListeners();
      await new Promise<void>((resolve, reject) => {
        ws.close((err) => (err ? reject(err) : resolve()));
      });
    },
  };
}
