// A local APNs: HTTP/2 over TLS with a self-signed certificate. It checks the provider JWT (ES256 signature,
// kid, iss) and the request as APNs does, records pushes and answers as scripted per device token.
import { randomUUID, type KeyObject } from 'node:crypto';
import { once } from 'node:events';
import http2 from 'node:http2';
import type { AddressInfo } from 'node:net';
import { verifyEs256Jwt } from './es256-jwt';
import { localCertificate } from './tls-certificate';

export interface ApnsPeerOptions {
  /** Verifies the provider tokens: the public half of the test's P-256 signing key. */
  publicKey: KeyObject;
  keyId: string;
  teamId: string;
}

export interface ReceivedPush {
  deviceToken: string;
  headers: http2.IncomingHttpHeaders;
  payload: Record<string, unknown>;
}

/** How to answer one push: 200, or an APNs error reason with its status. */
export type ApnsErrorReply = { status: number; reason: string; retryAfter?: string };
export type ApnsReply = { status: 200 } | ApnsErrorReply | { hang: true };

const DEVICE_PATH = /^\/3\/device\/([0-9a-zA-Z]+)$/;
const MAX_PAYLOAD_BYTES = 4096;
/** APNs refuses provider tokens older than an hour. */
const TOKEN_MAX_AGE_SECONDS = 60 * 60;

export class ApnsPeer {
  readonly address = '127.0.0.1';
  readonly pushes: ReceivedPush[] = [];
  /** Every request that reached the peer, valid or not. */
  requestCount = 0;
  /** The certificate to trust (ApnsTransportOptions.ca). */
  ca!: string;
  private server!: http2.Http2SecureServer;
  private readonly sessions = new Set<http2.ServerHttp2Session>();
  private readonly replies = new Map<string, ApnsReply[]>();

  private constructor(private readonly options: ApnsPeerOptions) {}

  static async start(options: ApnsPeerOptions): Promise<ApnsPeer> {
    const peer = new ApnsPeer(options);
    const certificate = await localCertificate();
    peer.ca = certificate.cert;
    peer.server = http2.createSecureServer({ key: certificate.key, cert: certificate.cert });
    peer.server.on('session', (session: http2.ServerHttp2Session) => {
      peer.sessions.add(session);
      session.on('close', () => peer.sessions.delete(session));
    });
    peer.server.on('stream', (stream, headers) => void peer.handle(stream, headers));
    peer.server.listen(0, '127.0.0.1');
    await once(peer.server, 'listening');
    return peer;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** Answers the next pushes to this device with these replies, in order; then 200. */
  replyTo(deviceToken: string, ...replies: ApnsReply[]): void {
    this.replies.set(deviceToken, [...(this.replies.get(deviceToken) ?? []), ...replies]);
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const session of this.sessions) session.destroy();
    await closed;
  }

  private async handle(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): Promise<void> {
    this.requestCount++;
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const deviceToken = DEVICE_PATH.exec(String(headers[':path']))?.[1];
    if (!deviceToken) return answer(stream, { status: 404, reason: 'BadPath' });
    const problem = this.requestProblem(headers, body);
    if (problem) return answer(stream, problem);
    this.pushes.push({
      deviceToken,
      headers,
      payload: JSON.parse(body.toString('utf8')) as Record<string, unknown>,
    });
    const reply = this.replies.get(deviceToken)?.shift() ?? { status: 200 };
    if ('hang' in reply) return;
    answer(stream, reply, headers['apns-id'] ? String(headers['apns-id']) : randomUUID());
  }

  private requestProblem(headers: http2.IncomingHttpHeaders, body: Buffer): ApnsErrorReply | null {
    if (headers[':method'] !== 'POST') return { status: 405, reason: 'MethodNotAllowed' };
    const authorization = String(headers.authorization ?? '');
    if (!authorization.startsWith('bearer ')) return { status: 403, reason: 'MissingProviderToken' };
    if (!this.validProviderToken(authorization.slice('bearer '.length))) {
      return { status: 403, reason: 'InvalidProviderToken' };
    }
    if (!headers['apns-topic']) return { status: 400, reason: 'MissingTopic' };
    if (body.length > MAX_PAYLOAD_BYTES) return { status: 413, reason: 'PayloadTooLarge' };
    try {
      JSON.parse(body.toString('utf8'));
    } catch {
      return { status: 400, reason: 'PayloadEmpty' };
    }
    return null;
  }

  private validProviderToken(token: string): boolean {
    const jwt = verifyEs256Jwt(token, this.options.publicKey);
    if (!jwt) return false;
    const issuedAt = Number(jwt.claims.iat);
    const age = Date.now() / 1000 - issuedAt;
    return (
      jwt.header.kid === this.options.keyId &&
      jwt.claims.iss === this.options.teamId &&
      age > -60 &&
      age < TOKEN_MAX_AGE_SECONDS
    );
  }
}

function answer(
  stream: http2.ServerHttp2Stream,
  reply: Exclude<ApnsReply, { hang: true }>,
  apnsId: string = randomUUID(),
): void {
  const headers: http2.OutgoingHttpHeaders = { ':status': reply.status, 'apns-id': apnsId };
  if (!('reason' in reply)) {
    stream.respond(headers, { endStream: true });
    return;
  }
  if (reply.retryAfter) headers['retry-after'] = reply.retryAfter;
  stream.respond({ ...headers, 'content-type': 'application/json' });
  stream.end(JSON.stringify({ reason: reply.reason }));
}
