// A graphql-ws client over a real socket, collecting what a subscription receives.
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

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
