// A graphql-ws client over a real socket, collecting what a subscription receives.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLErrorShape } from './graphql';

export interface Subscriber<T> {
  received: T[];
  errors: unknown[];
  /** Resolves once `count` results have arrived; rejects after `timeoutMs`. */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  /** Resolves when the server acknowledged the subscription (the first ping round-trip after subscribe). */
  dispose(): Promise<void>;
  client: Client;
}

export function wsClient(
  url: string,
  token: string | null,
  extra: { onClose?: (code: number) => void } = {},
): Client {
  return createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: true,
    on: { closed: (event) => extra.onClose?.((event as { code: number }).code) },
  });
}

/** Opens a socket, waits for connection_ack, and subscribes. */
export async function subscribe<TResult, TVariables extends Record<string, unknown>>(
  url: string,
  token: string,
  document: TypedDocumentNode<TResult, TVariables>,
  variables: TVariables,
): Promise<Subscriber<TResult>> {
  const received: TResult[] = [];
  const errors: unknown[] = [];
  const waiters: { count: number; resolve: (value: TResult[]) => void }[] = [];
  let acknowledged!: () => void;
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  const client = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: { authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: { connected: () => acknowledged() },
  });
  const settle = () => {
    for (const waiter of [...waiters]) {
      if (received.length >= waiter.count) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(received.slice());
      }
    }
  };
  const unsubscribe = client.subscribe<TResult>(
    { query: print(document), variables },
    {
      next: (result) => {
        if (result.errors) errors.push(...result.errors);
        if (result.data) received.push(result.data as TResult);
        settle();
      },
      error: (error) => errors.push(error),
      complete: () => {},
    },
  );
  await ack;
  return {
    received,
    errors,
    client,
    waitFor(count, timeoutMs = 5000) {
      if (received.length >= count) return Promise.resolve(received.slice());
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () =>
            reject(new Error(`expected ${count} results, got ${received.length}: ${JSON.stringify(errors)}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: (value) => {
            clearTimeout(timer);
            resolve(value);
          },
        });
      });
    },
    async dispose() {
      unsubscribe();
      await client.dispose();
    },
  };
}

/** Waits until a condition holds, polling; for state that settles asynchronously (listener counts). */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** How an operation sent over a socket ended: its result, the error message the server sent, or the socket closing. */
export type SocketOutcome<T> =
  | { data?: T | null; errors?: readonly { message: string; extensions?: { code?: string } }[] }
  | { refused: readonly { message: string; extensions?: { code?: string } }[] }
  | { closed: number };

/** One socket with its own subscriptions and operations, and how and when it closed. */
export interface SocketSession {
  client: Client;
  closeCode: number | null;
  /** Resolves once the socket has closed, with the code and the time (Date.now()) it closed. */
  closed: Promise<{ code: number; at: number }>;
  execute<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<SocketOutcome<TResult>>;
  subscribe<TResult, TVariables extends Record<string, unknown>>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): { received: TResult[]; errors: unknown[] };
  dispose(): Promise<void>;
}

function isCloseEvent(value: unknown): value is { code: number } {
  return typeof (value as { code?: unknown } | null)?.code === 'number';
}

/** Opens a socket with `token` and waits for connection_ack. */
export async function openSocket(url: string, token: string): Promise<SocketSession> {
  let acknowledged!: () => void;
  let closedWith!: (value: { code: number; at: number }) => void;
  const ack = new Promise<void>((resolve) => (acknowledged = resolve));
  const closed = new Promise<{ code: number; at: number }>((resolve) => (closedWith = resolve));
  const session: SocketSession = {
    client: createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: false,
      onNonLazyError: () => {},
      on: {
        connected: () => acknowledged(),
        closed: (event) => {
          const code = isCloseEvent(event) ? event.code : 0;
          session.closeCode = code;
          closedWith({ code, at: Date.now() });
        },
      },
    }),
    closeCode: null,
    closed,
    execute(document, variables) {
      return new Promise((resolve) => {
        let result: SocketOutcome<never> = {};
        session.client.subscribe(
          { query: print(document), variables },
          {
            next: (value) => (result = value as typeof result),
            error: (error) =>
              resolve(
                isCloseEvent(error)
                  ? { closed: error.code }
                  : { refused: error as { message: string; extensions?: { code?: string } }[] },
              ),
            complete: () => resolve(result),
          },
        );
      });
    },
    subscribe(document, variables) {
      const stream = { received: [] as never[], errors: [] as unknown[] };
      session.client.subscribe(
        { query: print(document), variables },
        {
          next: (result) => {
            if (result.errors) stream.errors.push(...result.errors);
            if (result.data) stream.received.push(result.data as never);
          },
          error: (error) => stream.errors.push(error),
          complete: () => {},
        },
      );
      return stream;
    },
    dispose: () => session.client.dispose() as Promise<void>,
  };
  await Promise.race([
    ack,
    closed.then(({ code }) => {
      throw new Error(`the socket closed with ${code} before connection_ack`);
    }),
  ]);
  return session;
}

/**
 * What one operation sent over its own socket came to, in the shape of an HTTP response: the first result (a query's
 * or mutation's only one, a subscription's first event), the errors of graphql-ws's error message (refused before
 * execution) or of the result (during execution), or the code the socket closed with before any of them.
 */
export interface SocketResponse<T> {
  data?: T | null;
  errors?: GraphQLErrorShape[];
  closeCode?: number;
  /** Nothing came within the time allowed (a subscription no event was published for). */
  timedOut?: true;
}

/**
 * Opens a socket with `token` (none: connection_init without an authorization), sends one operation (a document,
 * or query text that need not parse) and closes the socket once it has answered. `whenConnected` runs after
 * connection_ack, to make a subscription's event happen.
 */
export function socketRequest<TResult, TVariables extends Record<string, unknown>>(
  url: string,
  document: TypedDocumentNode<TResult, TVariables> | string,
  variables: TVariables,
  token: string | null,
  options: { whenConnected?: () => Promise<void>; timeoutMs?: number } = {},
): Promise<SocketResponse<TResult>> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const client = createClient({
      url,
      webSocketImpl: WebSocket,
      connectionParams: token === null ? {} : { authorization: `Bearer ${token}` },
      retryAttempts: 0,
      lazy: true,
      on: { connected: () => void options.whenConnected?.().catch((error) => finish(reject, error)) },
    });
    const timer = setTimeout(() => finish(resolve, { timedOut: true }), options.timeoutMs ?? 5000);
    function finish<V>(settle: (value: V) => void, value: V) {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void Promise.resolve(client.dispose()).catch(() => {});
      settle(value);
    }
    client.subscribe<TResult>(
      { query: typeof document === 'string' ? document : print(document), variables },
      {
        next: (result) =>
          finish(resolve, {
            data: result.data,
            ...(result.errors ? { errors: result.errors as GraphQLErrorShape[] } : {}),
          }),
        error: (error) =>
          isCloseEvent(error)
            ? finish(resolve, { closeCode: error.code })
            : Array.isArray(error)
              ? finish(resolve, { errors: error as GraphQLErrorShape[] })
              : finish(reject, error),
        complete: () => finish(resolve, {}),
      },
    );
  });
}
