// A scripted HTTP(S) server on loopback that records what it receives: the base of the webhook, Slack, Hipchat and
// Web Push peers, and a plain peer for the safe HTTP client's tests.
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LocalCertificate } from './tls-certificate';

export interface RecordedRequest {
  method: string;
  /** Path and query string. */
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** How the peer answers one request. */
export type ScriptedResponse =
  | { status: number; headers?: Record<string, string>; body?: string | Buffer }
  /** Destroys the connection without answering. */
  | { drop: true }
  /** Never answers; the connection is destroyed when the peer closes. */
  | { hang: true };

export interface HttpPeerOptions {
  /** Serve HTTPS with this certificate. @default plain HTTP */
  tls?: LocalCertificate;
  /** Looks at every request first; an answer it returns (e.g. 401 for a bad signature) wins over the script. */
  check?: (request: RecordedRequest) => ScriptedResponse | null;
  /** The answer when nothing is scripted. @default 200 with an empty body */
  answer?: (request: RecordedRequest) => ScriptedResponse;
}

const DEFAULT_WAIT_MS = 5_000;

export class HttpPeer {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted, to tell reused keep-alive connections from new ones. */
  connections = 0;
  private readonly queue: ScriptedResponse[] = [];
  private readonly events = new EventEmitter();

  private constructor(
    private readonly server: http.Server,
    private readonly options: HttpPeerOptions,
  ) {
    server.on('connection', () => this.connections++);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      void this.handle(request, response);
    });
  }

  static async start(options: HttpPeerOptions = {}): Promise<HttpPeer> {
    const server = options.tls
      ? https.createServer({ key: options.tls.key, cert: options.tls.cert })
      : http.createServer();
    const peer = new HttpPeer(server, options);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return peer;
  }

  /** Base URL without a trailing slash, e.g. http://127.0.0.1:41234. */
  get url(): string {
    const { port } = this.server.address() as AddressInfo;
    return `${this.options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
  }

  /** Queues answers for the next requests, in order. */
  script(...responses: ScriptedResponse[]): void {
    this.queue.push(...responses);
  }

  /** Resolves once `count` requests have arrived in all. */
  async waitForRequests(count: number, timeoutMs = DEFAULT_WAIT_MS): Promise<RecordedRequest[]> {
    const deadline = AbortSignal.timeout(timeoutMs);
    while (this.requests.length < count) {
      await once(this.events, 'request', { signal: deadline }).catch(() => {
        throw new Error(`expected ${count} requests within ${timeoutMs} ms, got ${this.requests.length}`);
      });
    }
    return this.requests.slice(0, count);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  private async handle(incoming: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of incoming) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: incoming.method ?? '',
      url: incoming.url ?? '',
      headers: incoming.headers,
      body: Buffer.concat(chunks),
    };
    this.requests.push(request);
    this.events.emit('request', request);
    const answer = this.options.check?.(request) ?? this.queue.shift() ?? this.options.answer?.(request);
    respond(response, answer ?? { status: 200 });
  }
}

function respond(response: http.ServerResponse, answer: ScriptedResponse): void {
  if ('drop' in answer) {
    response.socket?.destroy();
    return;
  }
  if ('hang' in answer) return;
  response.writeHead(answer.status, answer.headers);
  response.end(answer.body);
}
