import { createServer, type Server } from 'node:net';
import { once } from 'node:events';
import { HttpPeer } from '../peers/http-peer';
import { SafeHttpClient } from '../../src/lib/safe-http';
import { attemptPost, classifyHttpStatus, parseRetryAfter } from '../../src/transports/http-outcome';

describe('attemptPost', () => {
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

  it.each(['http://127.0.0.1/hook', 'http://[::ffff:127.0.0.1]/hook', 'http://localhost/hook'])(
    'reports a refused target (%s) as a permanent failure',
    async (url) => {
      const outcome = await attemptPost(client({}), url, post);
      expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: null });
      expect(outcome.error).toMatch(/address; notifications are only sent to public addresses/);
    },
  );

  it('reports a URL that is not http(s) as a permanent failure', async () => {
    const outcome = await attemptPost(client({}), 'ftp://example.com/hook', post);
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: null });
    expect(outcome.error).toMatch(/ftp: URLs are not supported/);
  });

  it('does not follow a redirect and reports it as a permanent failure', async () => {
    peer.script({ status: 302, headers: { location: `${peer.url}/landed` } });
    const outcome = await attemptPost(client({ allowPrivateNetworkTargets: true }), `${peer.url}/hook`, post);
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 302 });
    expect(outcome.error).toBe(`HTTP 302: redirect to ${peer.url}/landed not followed`);
    expect(peer.requests.map((request) => request.url)).toEqual(['/hook']);
  });

  it('reports a 2xx as delivered, with the time it took', async () => {
    peer.script({ status: 204 });
    const outcome = await attemptPost(client({ allowPrivateNetworkTargets: true }), `${peer.url}/hook`, post);
    expect(outcome).toMatchObject({ ok: true, retryable: false, statusCode: 204, error: null });
    expect(outcome.durationMs).toBeGreaterThan(0);
  });

  it('marks 5xx, 408 and 429 retryable and keeps the first 2 KiB of the answer', async () => {
    peer.script({ status: 503, body: 'x'.repeat(5000) });
    const outcome = await attemptPost(client({ allowPrivateNetworkTargets: true }), `${peer.url}/hook`, post);
    expect(outcome).toMatchObject({
      ok: false,
      retryable: true,
      statusCode: 503,
      error: 'HTTP 503 Service Unavailable',
    });
    expect(outcome.responseExcerpt).toBe('x'.repeat(2048));
  });

  it('honours Retry-After in seconds and as an HTTP date', async () => {
    const http = client({ allowPrivateNetworkTargets: true });
    peer.script({ status: 429, headers: { 'retry-after': '120' } });
    expect((await attemptPost(http, `${peer.url}/hook`, post)).retryAfterMs).toBe(120_000);
    peer.script({ status: 503, headers: { 'retry-after': new Date(Date.now() + 60_000).toUTCString() } });
    const outcome = await attemptPost(http, `${peer.url}/hook`, post);
    expect(outcome.retryAfterMs).toBeGreaterThan(55_000);
    expect(outcome.retryAfterMs).toBeLessThanOrEqual(60_000);
  });

  it('passes the answer to the channel interpreter it is given', async () => {
    peer.script({ status: 400, body: 'invalid_payload' });
    const outcome = await attemptPost(
      client({ allowPrivateNetworkTargets: true }),
      `${peer.url}/hook`,
      post,
      (response, durationMs) => ({
        ok: false,
        retryable: false,
        statusCode: response.statusCode,
        responseExcerpt: null,
        error: response.body.toString(),
        durationMs,
      }),
    );
    expect(outcome).toMatchObject({ statusCode: 400, error: 'invalid_payload' });
  });

  it('reports no answer within the timeout as a retryable failure', async () => {
    peer.script({ hang: true });
    const outcome = await attemptPost(
      client({ allowPrivateNetworkTargets: true, timeoutMs: 300 }),
      `${peer.url}/hook`,
      post,
    );
    expect(outcome).toMatchObject({
      ok: false,
      retryable: true,
      statusCode: null,
      error: 'no answer within 300 ms',
    });
  });

  it('reports a dropped connection as a retryable failure', async () => {
    peer.script({ drop: true });
    const outcome = await attemptPost(client({ allowPrivateNetworkTargets: true }), `${peer.url}/hook`, post);
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null, responseExcerpt: null });
    expect(outcome.error).toBeTruthy();
  });

  it('reports a refused connection as a retryable failure', async () => {
    const closedPort = await unusedPort();
    const outcome = await attemptPost(
      client({ allowPrivateNetworkTargets: true }),
      `http://127.0.0.1:${closedPort}/`,
      post,
    );
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
    expect(outcome.error).toMatch(/ECONNREFUSED/);
  });

  it('reports a name that does not resolve as a retryable failure', async () => {
    const outcome = await attemptPost(client({}), 'http://nothing.invalid/hook', post);
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
    expect(outcome.error).toMatch(/^could not resolve nothing\.invalid: /);
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
