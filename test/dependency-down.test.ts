// A server whose PostgreSQL becomes unreachable (a proxy in front of it is cut): requests answer 503
// SERVICE_UNAVAILABLE with Retry-After, over HTTP and WebSocket alike, the log carries the request id the client got,
// /readyz fails until the database is back, and then everything works again.
import { randomBytes } from 'node:crypto';
import { print } from 'graphql';
import type { Client } from 'graphql-ws';
import {
  CreateApiTokenDocument,
  NotificationReceivedDocument,
  PublishEventDocument,
  StacksDocument,
} from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startServerProcess, type ServiceProcess } from './helpers/processes';
import { POSTGRES_URL, servicesAvailable } from './helpers/services';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { wsClient } from './helpers/ws';
import { WebhookPeer } from './peers/webhook-peer';
import { TcpProxy } from './support/tcp-proxy';

const runnable = servicesAvailable({ postgres: true });
const describeWithPostgres = runnable ? describe : describe.skip;

let database: TestDatabase;
let proxy: TcpProxy;
let peer: WebhookPeer;
let server: ServiceProcess;
let token = '';

beforeAll(async () => {
  if (!runnable) return;
  database = await createTestDatabase(POSTGRES_URL);
  const direct = new URL(database.url);
  proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
  const proxied = new URL(database.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  peer = await WebhookPeer.start([]);
  const env = {
    DATABASE_URL: proxied.toString(),
    DATA_DIR: database.dir,
    WORKERS: '0',
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    LOG_LEVEL: 'warn',
  };
  token = (
    await bootstrapAccount({ ...env, DATABASE_URL: database.url }, `down-${randomBytes(3).toString('hex')}`)
  ).token;
  server = await startServerProcess(env);
}, 90_000);

afterAll(async () => {
  await server?.stop('SIGKILL');
  await proxy?.close();
  await peer?.close();
  await database?.drop();
});

const base = () => server.url.replace(/\/graphql$/, '');

async function post(
  document: Parameters<typeof print>[0],
  variables: Record<string, unknown>,
  bearer: string,
  requestId: string,
) {
  const response = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${bearer}`,
      'x-request-id': requestId,
    },
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = (await response.json()) as {
    data?: unknown;
    errors?: { extensions?: { code?: string; requestId?: string } }[];
  };
  return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
}

/** Runs one operation over a socket; an error the server sends instead of a result counts as the result. */
function overSocket(client: Client, query: string, variables: Record<string, unknown>) {
  return new Promise<{ errors?: { extensions?: { code?: string } }[] }>((resolve) => {
    let last: { errors?: { extensions?: { code?: string } }[] } = {};
    client.subscribe(
      { query, variables },
      {
        next: (result) => (last = result as typeof last),
        error: (error) =>
          resolve({
            errors: Array.isArray(error)
              ? error
              : [
                  {
                    extensions: {
                      code: `closed ${(error as { code?: number }).code} ${(error as { reason?: string }).reason}`,
                    },
                  },
                ],
          }),
        complete: () => resolve(last),
      },
    );
  });
}

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describeWithPostgres('a database that becomes unreachable', () => {
  it('answers 503 SERVICE_UNAVAILABLE with Retry-After on HTTP and the same code on WebSocket, logs the request id, and recovers', async () => {
    const stackId = await webhookOnlyStack(server.url, token, peer);
    // A token this process has never checked: its first use reads the database during admission.
    const { createApiToken } = dataOf(
      await graphqlRequest(
        server.url,
        CreateApiTokenDocument,
        { input: { name: 'reader', scopes: ['SETTINGS_READ'] } },
        token,
      ),
    );
    const wsUrl = server.url.replace(/^http/, 'ws');
    const socket = wsClient(wsUrl, token);
    // An open subscription keeps the (lazy) socket connected, so the operations below share it.
    socket.subscribe(
      { query: print(NotificationReceivedDocument), variables: { stackId } },
      { next: () => {}, error: () => {}, complete: () => {} },
    );
    const live = await overSocket(socket, print(StacksDocument), { first: 5 });
    expect(live.errors).toBeUndefined();

    await proxy.cut();

    const publishId = `publish-${randomBytes(4).toString('hex')}`;
    const published = await post(
      PublishEventDocument,
      { input: { stackId, eventType: 'JOB_FAIL', data: {}, idempotencyKey: publishId } },
      token,
      publishId,
    );
    expect(published.status).toBe(503);
    expect(published.retryAfter).toMatch(/^\d+$/);
    expect(published.body.errors?.[0]?.extensions).toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      requestId: publishId,
    });

    const readId = `settings-${randomBytes(4).toString('hex')}`;
    const read = await post(StacksDocument, { first: 5 }, createApiToken.secret, readId);
    expect(read.status).toBe(503);
    expect(read.retryAfter).toMatch(/^\d+$/);
    expect(read.body.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');

    const overWs = await overSocket(socket, print(StacksDocument), { first: 5 });
    expect(overWs.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    // A new socket whose token cannot be checked is closed with a code graphql-ws clients retry, not refused (4403).
    const fresh = wsClient(wsUrl, createApiToken.secret);
    const refused = await overSocket(fresh, print(StacksDocument), { first: 5 });
    expect(refused.errors?.[0]?.extensions?.code).toBe('closed 1013 SERVICE_UNAVAILABLE');
    await fresh.dispose();

    const ready = await fetch(`${base()}/readyz`);
    expect(ready.status).toBe(503);

    await until(
      async () => server.output().includes(publishId) && server.output().includes(readId),
      'both request ids are in the log',
    );
    // Once each: the failure is logged where it is caught, not again on its way out.
    expect(server.output().split(publishId).length - 1).toBe(1);
    expect(server.output().split(readId).length - 1).toBe(1);
    const lineWith = (id: string) =>
      server
        .output()
        .split('\n')
        .find((line) => line.includes(id)) ?? '';
    expect(lineWith(readId)).toContain('token check failed');
    expect(lineWith(publishId)).toContain('a dependency is unreachable');

    await proxy.restore();
    await until(async () => (await fetch(`${base()}/readyz`)).status === 200, '/readyz answers 200 again');
    const retried = await post(
      PublishEventDocument,
      { input: { stackId, eventType: 'JOB_FAIL', data: {}, idempotencyKey: publishId } },
      token,
      `${publishId}-retry`,
    );
    expect(retried.status).toBe(200);
    expect(retried.body.errors).toBeUndefined();
    const again = await overSocket(socket, print(StacksDocument), { first: 5 });
    expect(again.errors).toBeUndefined();
    await socket.dispose();
  }, 90_000);

  it('answers /readyz with 503 while the database drops packets, instead of leaving the probe waiting', async () => {
    expect((await fetch(`${base()}/readyz`)).status).toBe(200);
    proxy.blackhole();
    try {
      const ready = await fetch(`${base()}/readyz`, { signal: AbortSignal.timeout(15_000) });
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        status: 'not ready',
        checks: { database: expect.stringMatching(/^unreachable: /) },
      });
    } finally {
      await proxy.restore();
    }
    await until(async () => (await fetch(`${base()}/readyz`)).status === 200, '/readyz answers 200 again');
  }, 60_000);
});
