// The built command line and entry point as real child processes: migrate, bootstrap, token create, and the one-line
// refusal of a bad configuration. They run from dist/, which test/global-setup.ts builds once per test run.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { startApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { MeDocument } from './generated/graphql';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { expectError } from './helpers/settings-fixtures';

const root = path.resolve(__dirname, '..');
const build = path.join(root, 'dist');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function node(script: string, args: string[], env: Record<string, string>): Promise<Run> {
  const childEnv = { ...process.env, LOG_LEVEL: 'silent', ...env };
  try {
    // A neutral working directory, so nothing a command writes by default can land in the repository.
    const options = { cwd: os.tmpdir(), env: childEnv };
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [path.join(build, script), ...args],
      options,
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    if (typeof failed.code !== 'number') throw error;
    return { code: failed.code, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

describe('the stack-notifications command line', () => {
  let database: TestDatabase;
  let cli: (...args: string[]) => Promise<Run>;

  beforeEach(async () => {
    database = await createTestDatabase();
    cli = (...args) => node('src/cli.js', args, { DATABASE_URL: database.url, DATA_DIR: database.dir });
  });
  afterEach(async () => {
    await database?.drop();
  });

  /** The server, on the database the CLI wrote to. */
  async function withServer(use: (url: string, app: App) => Promise<void>): Promise<void> {
    const config = loadConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
      LOCAL_MODE: 'false',
      LOG_LEVEL: 'silent',
    });
    const app = await startApp(config, { log: createLogger('silent') });
    try {
      await use(app.server.url, app);
    } finally {
      await app.close();
    }
  }

  it('migrates an empty database', async () => {
    const run = await cli('migrate');
    expect(run).toMatchObject({ code: 0, stdout: 'Database is up to date.\n' });
    expect(await cli('migrate', '--json')).toMatchObject({ code: 0, stdout: '{"migrated":true}\n' });
  });

  it('bootstraps an account and prints one JSON line whose token works against the server', async () => {
    const run = await cli('bootstrap', '--account', 'acme', '--email', 'a@b.c', '--json');
    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const output = JSON.parse(lines[0]) as { accountId: string; userId: string; token: string };
    expect(Object.keys(output).sort()).toEqual(['accountId', 'token', 'userId']);
    expect(output.token).toMatch(/^sn_/);

    await withServer(async (url) => {
      const { me } = dataOf(await graphqlRequest(url, MeDocument, {}, output.token));
      expect(me).toMatchObject({ id: output.userId, email: 'a@b.c', role: 'OWNER' });
      expect(me.account).toMatchObject({ id: output.accountId, name: 'acme' });
      expect([...me.apiTokens[0].scopes].sort()).toEqual([
        'EVENTS_PUBLISH',
        'SETTINGS_READ',
        'SETTINGS_WRITE',
      ]);
    });
  });

  it('refuses to bootstrap the same account twice, saying it exists, and creates no second account', async () => {
    expect((await cli('bootstrap', '--account', 'acme', '--email', 'a@b.c', '--json')).code).toBe(0);
    const again = await cli('bootstrap', '--account', 'acme', '--email', 'a@b.c', '--json');
    expect(again.code).not.toBe(0);
    expect(again.stdout).toBe('');
    expect(again.stderr).toMatch(/account named "acme" already exists/);
    expect(again.stderr).not.toMatch(/^\s+at /m);
    await withServer(async (_url, app) => {
      expect(await app.services.accounts.countAccounts()).toBe(1);
    });
  });

  it('refuses to bootstrap with something that is not an email address, and creates nothing', async () => {
    const run = await cli('bootstrap', '--account', 'acme', '--email', 'not-an-email', '--json');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('"not-an-email" is not an email address');
    expect(run.stderr).not.toMatch(/^\s+at /m);
    await withServer(async (_url, app) => {
      expect(await app.services.accounts.countAccounts()).toBe(0);
    });
  });

  it('issues a token with the scopes asked for to an existing user', async () => {
    const boot = JSON.parse(
      (await cli('bootstrap', '--account', 'acme', '--email', 'a@b.c', '--json')).stdout,
    ) as {
      userId: string;
    };
    const run = await cli('token', 'create', '--email', 'A@B.C', '--scopes', 'events:publish', '--json');
    expect(run.code).toBe(0);
    const output = JSON.parse(run.stdout) as {
      tokenId: string;
      userId: string;
      scopes: string[];
      token: string;
    };
    expect(output).toMatchObject({ userId: boot.userId, scopes: ['events:publish'] });
    await withServer(async (url) => {
      // An events:publish token is a real token (not UNAUTHENTICATED) that may not read settings.
      expectError(await graphqlRequest(url, MeDocument, {}, output.token), 'FORBIDDEN');
    });
  });

  it('refuses an unknown scope with a message naming it and the known ones', async () => {
    await cli('bootstrap', '--account', 'acme', '--email', 'a@b.c');
    const run = await cli('token', 'create', '--email', 'a@b.c', '--scopes', 'events:delete', '--json');
    expect(run.code).not.toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(
      'unknown scope "events:delete" (known: settings:read, settings:write, events:publish)',
    );
  });

  it('refuses a token for an unknown email with a message naming it', async () => {
    await cli('bootstrap', '--account', 'acme', '--email', 'a@b.c');
    const run = await cli('token', 'create', '--email', 'nobody@example.com', '--json');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('no user nobody@example.com');
  });

  it('refuses a bootstrap without --email, and an unknown command, showing the usage', async () => {
    const missing = await cli('bootstrap', '--account', 'acme');
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--email is required');
    expect(missing.stderr).toContain('Usage: stack-notifications');
    const unknown = await cli('frobnicate');
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
  });

  it('refuses a bad DATABASE_URL with one readable line', async () => {
    const run = await node('src/cli.js', ['migrate'], { DATABASE_URL: 'mysql://root:hunter2@db/x' });
    expect(run.code).toBe(1);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^Error: DATABASE_URL must start with sqlite: or postgres:\/\//);
    expect(run.stderr).not.toContain('hunter2');
  });
});

describe('the server entry point', () => {
  let dataDir: string;

  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-main-'));
  });
  afterAll(() => {
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    [
      'a DATABASE_URL of another database',
      { DATABASE_URL: 'mysql://root:hunter2@db/x' },
      /^Configuration error: DATABASE_URL/,
    ],
    [
      'sqlite: without a file',
      { DATABASE_URL: 'sqlite:' },
      /^Configuration error: DATABASE_URL sqlite: needs a file/,
    ],
    ['a PORT that is not a number', { PORT: 'eighty' }, /^Configuration error: PORT must be a port number/],
    ['a PORT out of range', { PORT: '99999' }, /^Configuration error: PORT must be a port number/],
    [
      'a PostgreSQL server that is not there',
      { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' },
      /^Could not start: .*ECONNREFUSED/,
    ],
  ])('stops on %s with exit code 1 and one readable line', async (_name, env, message) => {
    const run = await node('src/main.js', [], { DATA_DIR: dataDir, ...env });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toContain('hunter2');
  });
});
