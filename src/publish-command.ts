// `stack-notifications publish`: a producer without GraphQL code (a cron job, a CI step) publishes one event through
// the HTTP API. Failures a retry can cure (no connection, HTTP 429 or 5xx) are retried with the same idempotency key,
// so a publish that did land the first time is not made twice.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { EVENT_TYPES, EventType } from './modules/events/event-types';
import { parseRetryAfter } from './transports/http-outcome';

/** The variables `publish` reads: the client's own, not the server's configuration. */
export const PUBLISHER_VARIABLES = ['STACK_NOTIFICATIONS_URL', 'STACK_NOTIFICATIONS_TOKEN'] as const;

export interface PublishOptions {
  url: string;
  token: string;
  stackId: string;
  /** A wire key (`job.fail`) or a GraphQL enum name (`JOB_FAIL`). */
  event: string;
  /** A JSON object's text. */
  data: string;
  idempotencyKey?: string;
  occurredAt?: string;
  retries: number;
  timeoutMs: number;
}

export interface Published {
  notificationId: string;
  stackId: string;
  eventType: string;
  createdAt: string;
  idempotencyKey: string;
  attempts: number;
}

/** A publish that did not happen, with what the server or the network said. */
export class PublishError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly attempts: number,
  ) {
    super(message);
  }
}

/** Refused before anything was sent. */
export class PublishUsageError extends Error {}

const MUTATION = `mutation Publish($input: PublishEventInput!) {
  publishEvent(input: $input) { id eventType createdAt }
}`;

const ENUM_NAMES = new Map<string, string>();
for (const [name, key] of Object.entries(EventType)) {
  ENUM_NAMES.set(key, name);
  ENUM_NAMES.set(name, name);
}

/** The GraphQL enum name of an event given as a wire key or an enum name. */
export function eventEnumName(event: string): string {
  const name = ENUM_NAMES.get(event.trim()) ?? ENUM_NAMES.get(event.trim().toUpperCase());
  if (!name) {
    throw new PublishUsageError(
      `unknown event type "${event}" (known: ${EVENT_TYPES.map((info) => info.key).join(', ')})`,
    );
  }
  return name;
}

function parseData(text: string): Record<string, unknown> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new PublishUsageError(`--data is not JSON: ${(error as Error).message}`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new PublishUsageError('--data must be a JSON object');
  }
  return data as Record<string, unknown>;
}

/** The GraphQL endpoint: the URL as given if it names a path, else its /graphql. */
export function graphqlEndpoint(url: string): URL {
  let endpoint: URL;
  try {
    endpoint = new URL(url);
  } catch {
    throw new PublishUsageError(`STACK_NOTIFICATIONS_URL is not a URL: "${url}"`);
  }
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:') {
    throw new PublishUsageError(`STACK_NOTIFICATIONS_URL must be http or https: "${url}"`);
  }
  if (endpoint.pathname === '/' || endpoint.pathname === '') endpoint.pathname = '/graphql';
  return endpoint;
}

interface Answer {
  data?: { publishEvent?: { id: string; eventType: string; createdAt: string } | null } | null;
  errors?: { message: string; extensions?: { code?: string } }[];
}

/** Whether a failed attempt may be tried again, and after how long at the least. */
interface Failure {
  error: PublishError;
  retryAfterMs: number | null;
}

const MAX_RETRY_AFTER_MS = 30_000;

export async function publish(options: PublishOptions): Promise<Published> {
  const endpoint = graphqlEndpoint(options.url);
  if (!options.token.trim()) throw new PublishUsageError('STACK_NOTIFICATIONS_TOKEN is not set');
  const input: Record<string, unknown> = {
    stackId: options.stackId,
    eventType: eventEnumName(options.event),
    data: parseData(options.data),
    // Without a key of the caller's, one is made up, so that retrying cannot publish twice.
    idempotencyKey: options.idempotencyKey ?? randomUUID(),
  };
  if (options.occurredAt !== undefined) input.occurredAt = options.occurredAt;
  const body = JSON.stringify({ query: MUTATION, variables: { input } });

  for (let attempt = 1; ; attempt++) {
    const outcome = await attemptPublish(endpoint, options, body, attempt);
    if (!('error' in outcome)) {
      return {
        notificationId: outcome.id,
        stackId: options.stackId,
        eventType: outcome.eventType,
        createdAt: outcome.createdAt,
        idempotencyKey: input.idempotencyKey as string,
        attempts: attempt,
      };
    }
    if (outcome.retryAfterMs === null || attempt > options.retries) throw outcome.error;
    const backoff = Math.min(500 * 2 ** (attempt - 1), 8_000);
    await sleep(Math.max(backoff, outcome.retryAfterMs));
  }
}

async function attemptPublish(
  endpoint: URL,
  options: PublishOptions,
  body: string,
  attempt: number,
): Promise<{ id: string; eventType: string; createdAt: string } | Failure> {
  let response: Response;
  try {
    response = await fetch(endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        authorization: `Bearer ${options.token.trim()}`,
      },
      body,
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return {
      error: new PublishError(`could not reach ${endpoint.origin}: ${reason}`, 'NETWORK_ERROR', attempt),
      retryAfterMs: 0,
    };
  }
  const text = await response.text();
  let answer: Answer | null;
  try {
    answer = JSON.parse(text) as Answer;
  } catch {
    answer = null;
  }
  const published = answer?.data?.publishEvent;
  if (response.ok && published) return published;
  const first = answer?.errors?.[0];
  const code = first?.extensions?.code ?? `HTTP_${response.status}`;
  const message = first?.message ?? `HTTP ${response.status} ${response.statusText}`.trim();
  const retriable = response.status === 429 || response.status >= 500;
  return {
    error: new PublishError(message, code, attempt),
    retryAfterMs: retriable
      ? Math.min(parseRetryAfter(response.headers.get('retry-after') ?? undefined) ?? 0, MAX_RETRY_AFTER_MS)
      : null,
  };
}
