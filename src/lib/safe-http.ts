// The one HTTP client for URLs that users supply (webhooks, Slack, Hipchat, Web Push). It refuses loopback, private
// and other internal addresses where the connection is made, so the address checked is the address connected to and
// a DNS answer that changes between check and connect (rebinding) gains nothing. It bounds every attempt in time,
// never follows redirects and keeps connections alive between attempts.
import { rootCertificates } from 'node:tls';
import { Agent, buildConnector, type Dispatcher } from 'undici';
import { errorText } from './errors';
import { parseHttpUrl, resolvePublicAddress, UnsafeTargetError } from './url-targets';

export interface SafeHttpClientOptions {
  /** Lets requests reach loopback, private and link-local addresses: for local development and tests. @default false */
  allowPrivateNetworkTargets?: boolean;
  /** Budget of one attempt: resolving, connecting, sending and reading the answer, in milliseconds. @default 10_000 */
  timeoutMs?: number;
  /** PEM certificates to trust besides Node's bundled roots, e.g. a local peer's self-signed one. @default none */
  ca?: string | Buffer | (string | Buffer)[];
  /** Idle keep-alive connections are closed after this many milliseconds. @default 4_000 */
  keepAliveTimeoutMs?: number;
  /** Sent as User-Agent. @default 'stack-notifications' */
  userAgent?: string;
}

export const DEFAULT_HTTP_TIMEOUT_MS = 10_000;
const DEFAULT_KEEP_ALIVE_TIMEOUT_MS = 4_000;
const DEFAULT_USER_AGENT = 'stack-notifications';
/** More than any receiver's useful answer; the rest of a large body is not read. */
export const MAX_RESPONSE_BYTES = 64 * 1024;

/** An attempt that got no HTTP answer: timeout, refused or reset connection, DNS failure. */
export class HttpRequestError extends Error {
  constructor(message: string, options?: { cause: unknown }) {
    super(message, options);
  }
}

export interface HttpResponse {
  statusCode: number;
  headers: Record<string, string | string[] | undefined>;
  /** At most the first 64 KiB of the body. */
  body: Buffer;
  /** The answer's body was longer than `body`: the rest was not read. */
  bodyTruncated: boolean;
}

export interface HttpPost {
  headers: Record<string, string>;
  body: string | Buffer;
}

function guardedConnector(connect: buildConnector.connector): buildConnector.connector {
  return (options, callback) => {
    resolvePublicAddress(options.hostname).then(
      // TLS still verifies the certificate against the original host name: undici derives it from options.host.
      (address) => connect({ ...options, hostname: address }, callback),
      (error: Error) => callback(error, null),
    );
  };
}

function trustedCertificates(ca: SafeHttpClientOptions['ca']): (string | Buffer)[] | undefined {
  if (ca === undefined) return undefined;
  return [...rootCertificates, ...(Array.isArray(ca) ? ca : [ca])];
}

/** Where a POST goes, as the dispatcher takes it. */
interface RequestTarget {
  origin: string;
  path: string;
}

/** How many URLs' parsed forms a client keeps; they are a few per configured channel. */
const PARSED_URL_CACHE_SIZE = 1000;

export class SafeHttpClient {
  private readonly agent: Agent;
  private readonly timeoutMs: number;
  private readonly userAgent: string;
  /** Parsed and checked request targets by URL: a delivery's URL is parsed once, not at every attempt. */
  private readonly targets = new Map<string, RequestTarget>();

  constructor(options: SafeHttpClientOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? DEFAULT_HTTP_TIMEOUT_MS;
    this.userAgent = options.userAgent ?? DEFAULT_USER_AGENT;
    const connect = buildConnector({ timeout: this.timeoutMs, ca: trustedCertificates(options.ca) });
    // One keep-alive connection pool per origin, reused by every attempt to that origin.
    this.agent = new Agent({
      connect: options.allowPrivateNetworkTargets ? connect : guardedConnector(connect),
      keepAliveTimeout: options.keepAliveTimeoutMs ?? DEFAULT_KEEP_ALIVE_TIMEOUT_MS,
    });
  }

  /**
   * POSTs once. Resolves with any HTTP answer, 3xx included (redirects are not followed); rejects with
   * UnsafeTargetError for a forbidden URL or address, HttpRequestError when no answer came in time.
   */
  post(url: string, post: HttpPost): Promise<HttpResponse> {
    let target: RequestTarget;
    try {
      target = this.requestTarget(url);
    } catch (error) {
      return Promise.reject(error as Error);
    }
    // A dispatch handler rather than `request()`: the answer is collected from its callbacks, without a body stream,
    // an AbortSignal and their listeners per attempt. Every delivery attempt comes through here, and `request()` made
    // the delivery benchmark measurably slower (BENCHMARKS.md). The spec "collecting the answer" pins what it must do.
    return new Promise<HttpResponse>((resolve, reject) => {
      let controller: Dispatcher.DispatchController | null = null;
      let settled = false;
      let statusCode = 0;
      let headers: HttpResponse['headers'] = {};
      const chunks: Buffer[] = [];
      let size = 0;
      const settle = (error: unknown) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error !== null) reject(asRequestError(error));
        else {
          const body = Buffer.concat(chunks, size);
          resolve({
            statusCode,
            headers,
            body: body.subarray(0, MAX_RESPONSE_BYTES),
            bodyTruncated: size > MAX_RESPONSE_BYTES,
          });
        }
      };
      const timer = setTimeout(() => {
        const error = new HttpRequestError(`no answer within ${this.timeoutMs} ms`);
        settle(error);
        controller?.abort(error);
      }, this.timeoutMs);
      this.agent.dispatch(
        {
          origin: target.origin,
          path: target.path,
          method: 'POST',
          headers: this.requestHeaders(post.headers),
          body: post.body,
        },
        {
          onRequestStart: (started) => {
            controller = started;
            if (settled) started.abort(new HttpRequestError('the attempt is over'));
          },
          // Called again after a 1xx answer: the last one is the answer.
          onResponseStart: (_controller, code, responseHeaders) => {
            statusCode = code;
            headers = responseHeaders;
          },
          onResponseData: (running, chunk) => {
            chunks.push(chunk);
            size += chunk.length;
            // Stopping early: the rest is not downloaded, and the connection is not reused. One byte more than is
            // kept tells a body of exactly the limit from a longer one.
            if (size > MAX_RESPONSE_BYTES) {
              settle(null);
              running.abort(new HttpRequestError('the answer is longer than what is kept of it'));
            }
          },
          onResponseEnd: () => settle(null),
          onResponseError: (_controller, error) => settle(error),
        },
      );
    });
  }

  /** The headers a POST with these goes out with (undici adds content-length and host). */
  requestHeaders(headers: Record<string, string>): Record<string, string> {
    return { 'user-agent': this.userAgent, ...headers };
  }

  /** Ends every connection, also requests still waiting for an answer: callers have had their grace period. */
  async close(): Promise<void> {
    await this.agent.destroy();
  }

  /** The origin and path of an http(s) URL; throws UnsafeTargetError for anything else. */
  private requestTarget(url: string): RequestTarget {
    let target = this.targets.get(url);
    if (target) return target;
    const parsed = parseHttpUrl(url);
    target = { origin: parsed.origin, path: `${parsed.pathname}${parsed.search}` };
    if (this.targets.size >= PARSED_URL_CACHE_SIZE) this.targets.clear();
    this.targets.set(url, target);
    return target;
  }
}

function asRequestError(error: unknown): Error {
  if (error instanceof UnsafeTargetError || error instanceof HttpRequestError) return error;
  return new HttpRequestError(errorText(error), { cause: error });
}
