// Sockets follow their tokens across instances on one PostgreSQL and Redis: a revocation through one instance closes
// the sockets open on another, and a revocation no notice reports is caught by the periodic recheck.
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import {
  CreateApiTokenDocument,
  CreateStackDocument,
  PublishEventDocument,
  RevokeApiTokenDocument,
} from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startServerProcess, type ServiceProcess } from './helpers/processes';
import { POSTGRES_URL, REDIS_URL, servicesAvailable } from './helpers/services';
import { closeCodeWithin, listenToStack, until } from './helpers/sessions';

const describeWithServices = servicesAvailable({ postgres: true, redis: true }) ? describe : describe.skip;
let database: TestDatabase;
const processes: ServiceProcess[] = [];
const env: Record<string, string> = {};
let owner = '';

beforeAll(async () => {
  database = await createTestDatabase(POSTGRES_URL);
  Object.assign(env, {
    DATABASE_URL: database.url,
    DATA_DIR: database.dir,
    REDIS_URL,
    WORKERS: '0',
    LOG_LEVEL: 'warn',
  });
  owner = (await bootstrapAccount(env, `sessions-${randomBytes(3).toString('hex')}`)).token;
}, 60_000);

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop('SIGKILL')));
  await database?.drop();
});

async function serverProcess(extra: Record<string, string> = {}) {
  const started = await startServerProcess({ ...env, ...extra });
  processes.push(started);
  return started;
}

const wsUrl = (server: ServiceProcess) => server.url.replace(/^http/, 'ws');

async function newToken(url: string): Promise<{ id: string; secret: string }> {
  const { createApiToken } = dataOf(
    await graphqlRequest(
      url,
      CreateApiTokenDocument,
      { input: { name: 'socket', scopes: ['SETTINGS_READ', 'SETTINGS_WRITE'] } },
      owner,
    ),
  );
  return { id: createApiToken.token.id, secret: createApiToken.secret };
}

async function newStack(url: string): Promise<string> {
  const { createStack } = dataOf(
    await graphqlRequest(url, CreateStackDocument, { input: { name: 'web' } }, owner),
  );
  return createStack.id;
}

async function publish(url: string, stackId: string): Promise<string> {
  const { publishEvent } = dataOf(
    await graphqlRequest(
      url,
      PublishEventDocument,
      { input: { stackId, eventType: 'JOB_FAIL', data: {} } },
      owner,
    ),
  );
  return publishEvent.id;
}

describeWithServices('sockets on several instances', () => {
  it('closes with 4403 within 2 s a socket on instance B whose token was revoked through instance A', async () => {
    // The periodic recheck stays out of the way: only the notice can close the socket in time.
    const [a, b] = await Promise.all([serverProcess(), serverProcess({ SESSION_RECHECK_MS: '0' })]);
    const stackId = await newStack(a.url);
    const leaked = await newToken(a.url);
    const sibling = await newToken(a.url);
    const probe = () => publish(a.url, stackId);
    const revoked = await listenToStack(wsUrl(b), leaked.secret, stackId, probe);
    const staying = await listenToStack(wsUrl(b), sibling.secret, stackId, probe);

    dataOf(await graphqlRequest(a.url, RevokeApiTokenDocument, { id: leaked.id }, owner));
    const revokedAt = Date.now();
    const after = await publish(a.url, stackId);

    expect(await closeCodeWithin(revoked.socket, revokedAt)).toBe(4403);
    await until(() => staying.ids().includes(after));
    expect(revoked.ids()).not.toContain(after);
    expect(staying.socket.closeCode).toBeNull();
    await Promise.all([revoked.socket.dispose(), staying.socket.dispose()]);
  }, 60_000);

  it('closes a socket whose token was revoked in the database, with no notice, at the periodic recheck', async () => {
    const server = await serverProcess({ SESSION_RECHECK_MS: '300' });
    const stackId = await newStack(server.url);
    const leaked = await newToken(server.url);
    const revoked = await listenToStack(wsUrl(server), leaked.secret, stackId, () =>
      publish(server.url, stackId),
    );

    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      await client.query('UPDATE api_tokens SET revoked_at = now() WHERE id = $1', [leaked.id]);
    } finally {
      await client.end();
    }
    expect(await closeCodeWithin(revoked.socket, Date.now())).toBe(4403);
    await revoked.socket.dispose();
  }, 60_000);
});
