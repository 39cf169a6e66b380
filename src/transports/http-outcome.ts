// From one HTTP attempt to the outcome the delivery log records: whether it was delivered, whether to try again and
// when, and what happened in words.
import { STATUS_CODES } from 'node:http';
import { errorText } from '../lib/errors';
import { keptBody, redactHeaders, redactUrl, type UrlRedaction } from '../lib/redaction';
import type { HttpPost, HttpResponse, SafeHttpClient } from '../lib/safe-http';
import { UnsafeTargetError } from '../lib/url-targets';
import {
  elapsedSince,
  excerpt,
  type DeliveryOutcome,
  type ReceivedResponse,
  type SentRequest,
} from './transport';

/** Turns an HTTP answer into an outcome; a channel passes its own to say what its receiver's answers mean. */
export type ResponseInterpreter = (response: HttpResponse, durationMs: number) => DeliveryOutcome;

/** How the delivery log shows a channel's requests. */
export interface RequestLogging {
  /** What of the URL is no secret. @default only its origin and hints of its path and query values */
  url?: UrlRedaction;
  /** The body is not kept, only its size (it is encrypted for someone else). @default false */
  bodySizeOnly?: boolean;
}

/** POSTs once and describes the attempt as an outcome, with what was sent and received; never rejects. */
export async function attemptPost(
  http: SafeHttpClient,
  url: string,
  post: HttpPost,
  interpret: ResponseInterpreter = httpOutcome,
  logging: RequestLogging = {},
): Promise<DeliveryOutcome> {
  const started = performance.now();
  const request = sentRequest(http, url, post, logging);
  try {
    const response = await http.post(url, post);
    return { ...interpret(response, elapsedSince(started)), request, response: receivedResponse(response) };
  } catch (error) {
    return { ...requestFailureOutcome(error, elapsedSince(started)), request };
  }
}

/** A POST as the log keeps it: the URL reduced to hints, credential headers masked, the body bounded. */
export function sentRequest(
  http: SafeHttpClient,
  url: string,
  post: HttpPost,
  logging: RequestLogging = {},
): SentRequest {
  const bodySize = Buffer.byteLength(post.body);
  const body = logging.bodySizeOnly ? null : keptBody(post.body);
  return {
    method: 'POST',
    url: redactUrl(url, logging.url),
    headers: redactHeaders({ ...http.requestHeaders(post.headers), 'content-length': String(bodySize) }),
    body: body?.text ?? null,
    bodyTruncated: body?.truncated ?? false,
    bodySize,
  };
}

/** An HTTP answer as the log keeps it. */
export function receivedResponse(response: HttpResponse): ReceivedResponse {
  const body = keptBody(response.body, response.bodyTruncated);
  return {
    status: response.statusCode,
    headers: redactHeaders(response.headers),
    body: body.text,
    bodyTruncated: body.truncated,
  };
}

/** 2xx ok; 408, 429 and 5xx worth another try; 3xx (not followed) and other 4xx permanent. */
export function classifyHttpStatus(statusCode: number): { ok: boolean; retryable: boolean } {
  if (statusCode >= 200 && statusCode < 300) return { ok: true, retryable: false };
  const retryable = statusCode === 408 || statusCode === 429 || statusCode >= 500;
  return { ok: false, retryable };
}

/** Milliseconds to wait from a Retry-After header, given in seconds or as an HTTP date. */
export function parseRetryAfter(
  value: string | string[] | undefined,
  now: number = Date.now(),
): number | undefined {
  const raw = (Array.isArray(value) ? value[0] : value)?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function describeHttpStatus(response: HttpResponse): string {
  const { statusCode } = response;
  if (statusCode >= 300 && statusCode < 400) {
    const location = response.headers.location;
    return `HTTP ${statusCode}: redirect${location ? ` to ${String(location)}` : ''} not followed`;
  }
  return `HTTP ${statusCode} ${STATUS_CODES[statusCode] ?? ''}`.trimEnd();
}

/** The outcome of an HTTP answer by its status alone; channels refine the error text and targetGone. */
export function httpOutcome(response: HttpResponse, durationMs: number): DeliveryOutcome {
  const { ok, retryable } = classifyHttpStatus(response.statusCode);
  const outcome: DeliveryOutcome = {
    ok,
    retryable,
    statusCode: response.statusCode,
    responseExcerpt: excerpt(response.body),
    error: ok ? null : describeHttpStatus(response),
    durationMs,
  };
  const retryAfterMs = ok ? undefined : parseRetryAfter(response.headers['retry-after']);
  if (retryAfterMs !== undefined) outcome.retryAfterMs = retryAfterMs;
  return outcome;
}

/** The outcome of an attempt that got no answer: a refused target is permanent, anything else worth retrying. */
export function requestFailureOutcome(error: unknown, durationMs: number): DeliveryOutcome {
  return {
    ok: false,
    retryable: !(error instanceof UnsafeTargetError),
    statusCode: null,
    responseExcerpt: null,
    error: errorText(error),
    durationMs,
  };
}
