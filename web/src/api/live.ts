// Subscriptions over graphql-ws, on the API's own path, authorized by the token in connectionParams.
import { CloseCode, createClient, type Client } from 'graphql-ws';
import type { TypedDocumentString } from '../graphql/generated';
import { GRAPHQL_PATH } from './client';
import { ApiError, NETWORK_ERROR, toApiError, type ResponseError } from './errors';

export interface LiveOptions {
  token: string;
  /** The socket closed other than on purpose (the server stopped, the network went): the page is offline. */
  onLost: () => void;
  /** The socket is connected, the first time or again after a drop: what was published before may be missed. */
  onConnected: () => void;
  /** The server refused the token, or closed the socket because the token or its user changed (close 4403). */
  onForbidden: () => void;
}

const NORMAL_CLOSURE = 1000;

function isCloseEvent(value: unknown): value is { code: number } {
  return (
    typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number'
  );
}

/** graphql-ws's own waits double without end; past this, a page would stay behind long after its server is back. */
const MAX_RETRY_WAIT_MS = 5000;

function waitBeforeRetry(retries: number): Promise<void> {
  const ms = Math.min(1000 * 2 ** retries, MAX_RETRY_WAIT_MS) + Math.floor(Math.random() * 1000);
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export function createLiveClient(options: LiveOptions): Client {
  const url = new URL(GRAPHQL_PATH, location.href);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return createClient({
    url: url.href,
    lazy: true,
    connectionParams: { authorization: `Bearer ${options.token}` },
    // Keep trying through server restarts, with graphql-ws's randomised backoff; after a 4403 the page asks the API
    // whether the token still works (onForbidden) instead of retrying.
    retryAttempts: Infinity,
    shouldRetry: (event) => !(isCloseEvent(event) && event.code === CloseCode.Forbidden),
    retryWait: waitBeforeRetry,
    on: {
      connected: () => options.onConnected(),
      closed: (event) => {
        if (isCloseEvent(event) && event.code === CloseCode.Forbidden) options.onForbidden();
        // 1000: closed on purpose (no subscription left, or the page disposed of the client).
        else if (!isCloseEvent(event) || event.code !== NORMAL_CLOSURE) options.onLost();
      },
    },
  });
}

/**
 * Starts a subscription; the returned function ends it. `variables` may be a function: graphql-ws sends the same
 * payload object again on every reconnect, serialising it each time, so the getter below is read on each (re)subscribe
 * (for notificationReceived's `after`, the newest notification the page has by then).
 */
export function subscribe<TResult, TVariables>(
  client: Client,
  document: TypedDocumentString<TResult, TVariables>,
  variables: TVariables | (() => TVariables),
  handlers: { next: (data: TResult) => void; error: (error: ApiError) => void },
): () => void {
  const query = document.toString();
  const payload = {
    query,
    get variables() {
      return (typeof variables === 'function' ? (variables as () => TVariables)() : variables) as Record<
        string,
        unknown
      >;
    },
  };
  return client.subscribe<TResult>(payload, {
    next: (result) => {
      if (result.errors?.length) handlers.error(toApiError(result.errors as ResponseError[]));
      else if (result.data) handlers.next(result.data);
    },
    error: (error) => {
      if (Array.isArray(error)) handlers.error(toApiError(error as ResponseError[]));
      else handlers.error(new ApiError('The live connection closed.', NETWORK_ERROR));
    },
    complete: () => {},
  });
}
