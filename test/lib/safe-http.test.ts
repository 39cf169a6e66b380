import { createServer, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { HttpPeer } from '../peers/http-peer';
import { HttpRequestError, SafeHttpClient } from '../../src/lib/safe-http';
import { UnsafeTargetError, checkUrlTarget } from '../../src/lib/url-targets';

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
    await expect(checkUrlTarget('http://127.0.0.1:9/hook', true)).resolves.toBeNull();
  });

  it('accepts a public IP address without sending anything to it', async () => {
    await expect(checkUrlTarget('https://93.184.216.34/hook', false)).resolves.toBeNull();
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
  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => null,
      (error: unknown) => error,
    );

  beforeEach(async () => {
    peer = await HttpPeer.start();
  });

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((created) => created.close()));
    await peer.close();
  });

  describe('with the guard on', () => {
    it.each(hostileUrls)('refuses to connect to %s', async (url) => {
      const error = await failure(client({}).post(url, post));
      expect(error).toBeInstanceOf(UnsafeTargetError);
      expect((error as Error).message).toMatch(/address; notifications are only sent to public addresses/);
    });

    it('refuses the loopback peer that would redirect, before connecting to it', async () => {
      peer.script({ status: 302, headers: { location: `${peer.url}/landed` } });
      await expect(client({}).post(`${peer.url}/hook`, post)).rejects.toThrow(UnsafeTargetError);
      expect(peer.connections).toBe(0);
    });

    it('refuses URLs that are not http(s) before sending anything', async () => {
      await expect(client({}).post('ftp://example.com/x', post)).rejects.toThrow(UnsafeTargetError);
    });

    it('reports a name that does not resolve as no answer, not as a refused target', async () => {
      const error = await failure(client({}).post('http://nothing.invalid/hook', post));
      expect(error).toBeInstanceOf(HttpRequestError);
      expect((error as Error).message).toMatch(/^could not resolve nothing\.invalid: /);
    });
  });

  describe('with private network targets allowed', () => {
    it('answers a redirect as it came, without following it', async () => {
      peer.script({ status: 302, headers: { location: `${peer.url}/landed` } });
      const response = await client({ allowPrivateNetworkTargets: true }).post(`${peer.url}/hook`, post);
      expect(response.statusCode).toBe(302);
      expect(response.headers.location).toBe(`${peer.url}/landed`);
      expect(peer.requests.map((request) => request.url)).toEqual(['/hook']);
    });

    it('posts the body and headers and returns the answer', async () => {
      peer.script({ status: 201, headers: { 'x-answer': 'yes' }, body: 'created' });
      const response = await client({ allowPrivateNetworkTargets: true }).post(`${peer.url}/hook?a=1`, post);
      expect(response.statusCode).toBe(201);
      expect(response.headers['x-answer']).toBe('yes');
      expect(response.body.toString()).toBe('created');
      const [request] = peer.requests;
      expect(request.method).toBe('POST');
      expect(request.url).toBe('/hook?a=1');
      expect(request.headers['content-type']).toBe('application/json');
      expect(request.headers['user-agent']).toBe('stack-notifications');
      expect(request.body.toString()).toBe('{}');
    });

    it('keeps the connection alive between attempts', async () => {
      const http = client({ allowPrivateNetworkTargets: true });
      await http.post(`${peer.url}/a`, post);
      // undici hands the socket back to its pool just after the body ends; a POST in the same tick opens another.
      await new Promise((resolve) => setImmediate(resolve));
      await http.post(`${peer.url}/b`, post);
      expect(peer.requests).toHaveLength(2);
      expect(peer.connections).toBe(1);
    });

    it('keeps the first 64 KiB of a long answer', async () => {
      peer.script({ status: 200, body: 'y'.repeat(1024 * 1024) });
      const http = client({ allowPrivateNetworkTargets: true });
      const response = await http.post(`${peer.url}/hook`, post);
      expect(response.statusCode).toBe(200);
      expect(response.body.length).toBe(64 * 1024);
      expect(response.body.toString()).toBe('y'.repeat(64 * 1024));
      expect(response.bodyTruncated).toBe(true);
      // The rest is not read, and the client goes on with the next attempt.
      peer.script({ status: 204 });
      expect((await http.post(`${peer.url}/next`, post)).statusCode).toBe(204);
    });

    it('tells an answer of exactly 64 KiB from a longer one', async () => {
      const http = client({ allowPrivateNetworkTargets: true });
      peer.script(
        { status: 200, body: 'y'.repeat(64 * 1024) },
        { status: 200, body: 'y'.repeat(64 * 1024 + 1) },
      );
      const whole = await http.post(`${peer.url}/hook`, post);
      expect(whole).toMatchObject({ statusCode: 200, bodyTruncated: false });
      expect(whole.body.length).toBe(64 * 1024);
      const cut = await http.post(`${peer.url}/hook`, post);
      expect(cut).toMatchObject({ statusCode: 200, bodyTruncated: true });
      expect(cut.body.length).toBe(64 * 1024);
    });

    it('gives up after the timeout when the receiver does not answer', async () => {
      peer.script({ hang: true });
      const started = Date.now();
      const error = await failure(
        client({ allowPrivateNetworkTargets: true, timeoutMs: 300 }).post(`${peer.url}/hook`, post),
      );
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(error).toBeInstanceOf(HttpRequestError);
      expect((error as Error).message).toBe('no answer within 300 ms');
    });

    it('reports a dropped connection as no answer', async () => {
      peer.script({ drop: true });
      const error = await failure(
        client({ allowPrivateNetworkTargets: true }).post(`${peer.url}/hook`, post),
      );
      expect(error).toBeInstanceOf(HttpRequestError);
      expect((error as Error).message).toBeTruthy();
    });

    it('reports a refused connection as no answer, with its code', async () => {
      const closedPort = await unusedPort();
      const error = await failure(
        client({ allowPrivateNetworkTargets: true }).post(`http://127.0.0.1:${closedPort}/`, post),
      );
      expect(error).toBeInstanceOf(HttpRequestError);
      expect((error as Error).message).toMatch(/ECONNREFUSED/);
    });
  });
});

// The client collects answers in a hand-written undici dispatch handler; this is what it must do.
describe('SafeHttpClient collecting the answer', () => {
  const servers: Server[] = [];
  const clients: SafeHttpClient[] = [];
  const post = { headers: { 'content-type': 'application/json' }, body: '{}' };
  // Idle connections stay open far longer than any test: a closed one was closed by the client on purpose.
  const client = (timeoutMs = 2_000) => {
    const created = new SafeHttpClient({
      allowPrivateNetworkTargets: true,
      timeoutMs,
      keepAliveTimeoutMs: 60_000,
    });
    clients.push(created);
    return created;
  };

  /** Whether the server side of a connection closes within a second. */
  const closesSoon = (socket: Socket) =>
    new Promise((resolve) => {
      if (socket.closed) resolve(true);
      socket.once('close', () => resolve(true));
      setTimeout(() => resolve(false), 1_000).unref();
    });

  /** A server that answers each request (once its body '{}' is in) with the bytes `answer` writes. */
  async function rawServer(answer: (socket: Socket) => void): Promise<string> {
    const server = createServer((socket) => {
      let received = '';
      socket.on('data', (data) => {
        received += data.toString();
        if (received.includes('\r\n\r\n{}')) {
          received = '';
          answer(socket);
        }
      });
      socket.on('error', () => {});
    });
    servers.push(server);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`;
  }

  afterEach(async () => {
    await Promise.all(clients.splice(0).map((created) => created.close()));
    await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('takes the final answer after an informational 1xx one', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 103 Early Hints\r\nlink: </a.css>\r\n\r\n');
      setTimeout(
        () => socket.write('HTTP/1.1 202 Accepted\r\ncontent-length: 4\r\nx-final: yes\r\n\r\ndone'),
        20,
      );
    });
    const response = await client().post(url, post);
    expect(response.statusCode).toBe(202);
    expect(response.headers['x-final']).toBe('yes');
    expect(response.headers.link).toBeUndefined();
    expect(response.body.toString()).toBe('done');
  });

  it('collects a body that arrives in pieces, in order', async () => {
    const url = await rawServer((socket) => {
      socket.write('HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n');
      const pieces = ['ab', 'cd', 'ef'];
      const next = () => {
        const piece = pieces.shift();
        socket.write(piece ? `${piece.length}\r\n${piece}\r\n` : '0\r\n\r\n');
        if (piece) setTimeout(next, 10);
      };
      next();
    });
    const response = await client().post(url, post);
    expect(response.body.toString()).toBe('abcdef');
  });

  it('counts the body in the time budget, and closes a connection whose answer stalls', async () => {
    let serverSide: Socket | undefined;
    const url = await rawServer((socket) => {
      serverSide = socket;
      socket.write('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc');
    });
    const error = await client(300)
      .post(url, post)
      .then(
        () => null,
        (failure: unknown) => failure,
      );
    expect(error).toBeInstanceOf(HttpRequestError);
    expect((error as Error).message).toBe('no answer within 300 ms');
    expect(await closesSoon(serverSide!)).toBe(true);
  });

  it('closes the connection of an answer it stops reading, and answers the next attempt on a new one', async () => {
    const connections: Socket[] = [];
    const url = await rawServer((socket) => {
      connections.push(socket);
      socket.write(`HTTP/1.1 200 OK\r\ncontent-length: ${1024 * 1024}\r\n\r\n`);
      socket.write('z'.repeat(1024 * 1024));
    });
    const http = client();
    expect((await http.post(url, post)).body.length).toBe(64 * 1024);
    expect(await closesSoon(connections[0])).toBe(true);
    expect((await http.post(url, post)).body.length).toBe(64 * 1024);
    expect(connections).toHaveLength(2);
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
