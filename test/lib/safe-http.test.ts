import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { HttpPeer } from '../peers/http-peer';
import {
  SafeHttpClient,
  UnsafeTargetError,
  checkUrlTarget,
  classifyHttpStatus,
  parseRetryAfter,
} from '../../src/lib/safe-http';

const hostileUrls = [
  'http://127.0.0.1/hook',
  'http://[::1]/hook',
  'http://10.0.0.1/hook',
  'http://172.16.0.1/hook',
  'http://192.168.1.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/hook',
  'http://[fd00::1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://[::ffff:0:7f00:1]/hook',
  'http://[::7f00:1]/hook',
  'http://[64:ff9b::7f00:1]/hook',
  'http://[64:ff9b:1::7f00:1]/hook',
  'http://[2002:7f00:1::1]/hook',
  'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook',
  'http://[fec0::1]/hook',
  'http://[2001:db8::1]/hook',
  'http://192.0.2.1/hook',
  'http://localhost/hook',
  'http://2130706433/hook',
  'http://0x7f.1/hook',
];

describe('checkUrlTarget', () => {
  it.each(hostileUrls)('refuses %s, which resolves to a non-public address', async (url) => {
    await expect(checkUrlTarget(url, false)).rejects.toThrow(UnsafeTargetError);
  });

  it('says which address a name resolved to and why it is refused', async () => {
    await expect(checkUrlTarget('http://localhost:8080/x', false)).rejects.toThrow(
      /localhost resolves to (127\.0\.0\.1|::1), which is a loopback address/,
    );
  });

  it('says which IPv4 address an IPv6 literal carries and why that one is refused', async () => {
    await expect(checkUrlTarget('http://[2002:7f00:1::1]:8080/x', false)).rejects.toThrow(
      '2002:7f00:1::1 is a 6to4 address of 127.0.0.1, which is a loopback address; ' +
        'notifications are only sent to public addresses',
    );
  });

  it('refuses URLs that are not http(s)', async () => {
    await expect(checkUrlTarget('ftp://example.com/x', true)).rejects.toThrow(/ftp: URLs are not supported/);
    await expect(checkUrlTarget('not a url', true)).rejects.toThrow(/is not a URL/);
  });

  it('accepts private addresses when private network targets are allowed', async () => {
    await expect(checkUrlTarget('http://127.0.0.1:9/hook', true)).resolves.toBeUndefined();
  });

  it('accepts a public IP address without sending anything to it', async () => {
    await expect(checkUrlTarget('https://93.184.216.34/hook', false)).resolves.toBeUndefined();
  });
});

describe('SafeHttpClient', () => {
  let peer: HttpPeer;
  const clients: SafeHttpClient[] = [];
  const client = (options: ConstructorParameters<typeof SafeHttpClient>[0]) => {
    const created = new SafeHttpClient(options);
    clients.push(created);
    return created;
  };
  const post = { headers: { 'content-type': 'application/json' }, body: '{}' };

  beforeEach(async () => {
    peer = await HttpPeer.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((created) => created.close()));
    await peer.close();
  });

  describe('with the guard on', () => {
    it.each(hostileUrls)('refuses to connect to %s', async (url) => {
      const outcome = await client({}).attempt(url, post);
      expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: null });
      expect(outcome.error).toMatch(/address; notifications are only sent to public addresses/);
    });

    it('refuses the loopback peer that would redirect, before connecting to it', async () => {
      peer.script({ status: 302, headers: { location: `${peer.url}/landed` } });
      await expect(client({}).post(`${peer.url}/hook`, post)).rejects.toThrow(UnsafeTargetError);
      expect(peer.connections).toBe(0);
    });
  });

  describe('with private network targets allowed', () => {
    it('does not follow a redirect and reports it as a permanent failure', async () => {
      peer.script({ status: 302, headers: { location: `${peer.url}/landed` } });
      const outcome = await client({ allowPrivateNetworkTargets: true }).attempt(`${peer.url}/hook`, post);
      expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 302 });
      expect(outcome.error).toBe(`HTTP 302: redirect to ${peer.url}/landed not followed`);
      expect(peer.requests.map((request) => request.url)).toEqual(['/hook']);
    });

    it('posts the body and headers and reports a 2xx as delivered', async () => {
      peer.script({ status: 204 });
      const outcome = await client({ allowPrivateNetworkTargets: true }).attempt(`${peer.url}/hook`, post);
      expect(outcome).toMatchObject({ ok: true, retryable: false, statusCode: 204, error: null });
      expect(outcome.durationMs).toBeGreaterThan(0);
      const [request] = peer.requests;
      expect(request.method).toBe('POST');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toBe('stack-notifications');
      expect(request.body.toString()).toBe('{}');
    });

    it('keeps the connection alive between attempts', async () => {
      const http = client({ allowPrivateNetworkTargets: true });
      await http.attempt(`${peer.url}/a`, post);
      // undici hands the socket back to its pool just after the body ends; a POST in the same tick opens another.
      await new Promise((resolve) => setImmediate(resolve));
      await http.attempt(`${peer.url}/b`, post);
      expect(peer.requests).toHaveLength(2);
      expect(peer.connections).toBe(1);
    });

    it('marks 5xx, 408 and 429 retryable and keeps the first 2 KiB of the answer', async () => {
      peer.script({ status: 503, body: 'x'.repeat(5000) });
      const outcome = await client({ allowPrivateNetworkTargets: true }).attempt(`${peer.url}/hook`, post);
      expect(outcome).toMatchObject({
        ok: false,
        retryable: true,
        statusCode: 503,
        error: 'HTTP 503 Service Unavailable',
      });
      expect(outcome.responseExcerpt).toBe('x'.repeat(2048));
    });

    it('keeps the first 64 KiB of a long answer', async () => {
      peer.script({ status: 200, body: 'y'.repeat(1024 * 1024) });
      const http = client({ allowPrivateNetworkTargets: true });
      const response = await http.post(`${peer.url}/hook`, post);
      expect(response.statusCode).toBe(200);
      expect(response.body.length).toBe(64 * 1024);
      expect(response.body.toString()).toBe('y'.repeat(64 * 1024));
      // The rest is not read, and the client goes on with the next attempt.
      peer.script({ status: 204 });
      expect((await http.attempt(`${peer.url}/next`, post)).ok).toBe(true);
    });

    it('honours Retry-After in seconds and as an HTTP date', async () => {
      const http = client({ allowPrivateNetworkTargets: true });
      peer.script({ status: 429, headers: { 'retry-after': '120' } });
      expect((await http.attempt(`${peer.url}/hook`, post)).retryAfterMs).toBe(120_000);
      peer.script({ status: 503, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } });
      const outcome = await http.attempt(`${peer.url}/hook`, post);
      expect(outcome.retryAfterMs).toBeGreaterThan(55_000);
      expect(outcome.retryAfterMs).toBeLessThanOrEqual(60_000);
    });

    it('gives up after the timeout when the receiver does not answer, as a retryable failure', async () => {
      peer.script({ hang: true });
      const started = Date.now();
      const outcome = await client({ allowPrivateNetworkTargets: true, timeoutMs: 300 }).attempt(
        `${peer.url}/hook`,
        post,
      );
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(outcome).toMatchObject({
        ok: false,
        retryable: true,
        statusCode: null,
        error: 'no answer within 300 ms',
      });
    });

    it('reports a dropped connection as a retryable failure', async () => {
      peer.script({ drop: true });
      const outcome = await client({ allowPrivateNetworkTargets: true }).attempt(`${peer.url}/hook`, post);
      expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null, responseExcerpt: null });
      expect(outcome.error).toBeTruthy();
    });

    it('reports a refused connection as a retryable failure', async () => {
      const closedPort = await unusedPort();
      const outcome = await client({ allowPrivateNetworkTargets: true }).attempt(
        `http://127.0.0.1:${closedPort}/`,
        post,
      );
      expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
      expect(outcome.error).toMatch(/ECONNREFUSED/);
    });
  });
});

describe('classifyHttpStatus', () => {
  it.each([
    [200, true, false],
    [201, true, false],
    [204, true, false],
    [301, false, false],
    [302, false, false],
    [400, false, false],
    [401, false, false],
    [404, false, false],
    [408, false, true],
    [410, false, false],
    [429, false, true],
    [500, false, true],
    [503, false, true],
  ])('classifies %i as ok=%s retryable=%s', (status, ok, retryable) => {
    expect(classifyHttpStatus(status)).toEqual({ ok, retryable });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads seconds, HTTP dates and ignores nonsense', () => {
    expect(parseRetryAfter('30', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

async function unusedPort(): Promise<number> {
  const server: Server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
