// Local mode hands the printed token to the page and the playground only when this machine asks for them by a name
// of this machine: never to a foreign Host (DNS rebinding), a client behind a proxy, or another machine.
import http from 'node:http';
import type { Socket } from 'node:net';
import { loadConfig } from '../src/config';
import { isLoopbackRequest } from '../src/lib/client-address';
import { writeLocalToken } from '../src/playground';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { startServerProcess } from './helpers/processes';
import { createTestDatabase } from './helpers/database';
import { buildPageIfStale } from './web/build-page';

let server: TestServer;
let owner: Session;

beforeAll(async () => {
  buildPageIfStale();
  server = await startTestServer({ LOCAL_MODE: 'true', TRUST_PROXY: 'loopback' });
  owner = await server.createAccount();
  writeLocalToken(server.config.dataDir, owner.token);
}, 120_000);
afterAll(async () => {
  await server?.close();
});

/** A GET with exactly these headers (fetch would set Host itself). */
function get(path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: '127.0.0.1', port: url.port, path: url.pathname, headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    request.on('error', reject);
  });
}

const port = () => new URL(server.url).port;
const page = (headers: Record<string, string>) => get('/', { accept: 'text/html', ...headers });
const playground = (headers: Record<string, string>) => get('/graphql', { accept: 'text/html', ...headers });

describe('the local token', () => {
  it('is in the page and the playground for localhost, 127.0.0.1 and [::1], with any port', async () => {
    for (const host of [`localhost:${port()}`, `127.0.0.1:${port()}`, `[::1]:${port()}`, 'localhost']) {
      const answer = await page({ host });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain(owner.token);
      expect((await playground({ host })).body).toContain(owner.token);
    }
  });

  it('is in neither for a foreign Host, as a DNS-rebinding page would send', async () => {
    for (const host of [
      `rebind.attacker.example:${port()}`,
      'attacker.example',
      `localhost.attacker.example:${port()}`,
      `127.0.0.1.nip.example:${port()}`,
      `10.0.0.7:${port()}`,
    ]) {
      const answer = await page({ host });
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('"localToken":null');
      expect(answer.body).not.toContain(owner.token);
      const graphiql = await playground({ host });
      expect(graphiql.status).toBe(200);
      expect(graphiql.body).not.toContain(owner.token);
    }
  });

  it('is not given to a client that a trusted proxy on this machine forwards from elsewhere', async () => {
    const headers = { host: `localhost:${port()}`, 'x-forwarded-for': '203.0.113.9' };
    expect((await page(headers)).body).not.toContain(owner.token);
    expect((await playground(headers)).body).not.toContain(owner.token);
  });

  it('is given to loopback peers only', () => {
    const request = (remoteAddress: string) =>
      ({ socket: { remoteAddress } as Socket, headers: { host: 'localhost:4000' } }) as http.IncomingMessage;
    expect(isLoopbackRequest(request('127.0.0.1'), '127.0.0.1')).toBe(true);
    expect(isLoopbackRequest(request('::1'), '::1')).toBe(true);
    expect(isLoopbackRequest(request('::ffff:127.0.0.1'), '::ffff:127.0.0.1')).toBe(true);
    for (const peer of ['192.0.2.10', '::ffff:192.0.2.10', '2001:db8::1', 'fe80::1']) {
      expect(isLoopbackRequest(request(peer), peer)).toBe(false);
    }
  });
});

describe('where local mode listens', () => {
  it('binds to 127.0.0.1 unless HOST is set, in local mode only', () => {
    expect(loadConfig({ LOCAL_MODE: 'true' }).host).toBe('127.0.0.1');
    expect(loadConfig({ LOCAL_MODE: 'true', HOST: '0.0.0.0' }).host).toBe('0.0.0.0');
    expect(loadConfig({ LOCAL_MODE: 'false' }).host).toBe('0.0.0.0');
  });

  it('says it listens on loopback only, and warns when HOST opens it to the network', async () => {
    const database = await createTestDatabase();
    const common = {
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
      LOCAL_MODE: 'true',
      LOG_LEVEL: 'silent',
    };
    try {
      const local = await startServerProcess({ ...common, HOST: '' });
      try {
        expect(local.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/graphql$/);
        // The start message is one write: it is whole once its first line is.
        expect(local.output()).toMatch(/Local mode: listening on 127\.0\.0\.1 only/);
        expect(local.output()).not.toMatch(/WARNING/);
      } finally {
        await local.stop();
      }
      const open = await startServerProcess({ ...common, HOST: '0.0.0.0' });
      try {
        expect(open.output()).toMatch(/WARNING: local mode is on and the server listens on 0\.0\.0\.0/);
      } finally {
        await open.stop();
      }
    } finally {
      await database.drop();
    }
  });
});
