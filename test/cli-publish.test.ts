// `stack-notifications publish` as a cron job or a CI step runs it: the built command line as a child process against
// the real server, with a loopback proxy in front of it that fails the way networks and busy servers do.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createStack } from './helpers/settings-fixtures';
import { startTestServer, type Session, type TestServer } from './helpers/server';

const cliPath = path.resolve(__dirname, '..', 'dist', 'src', 'cli.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function publishCli(args: string[], env: Record<string, string>, stdin?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [cliPath, 'publish', ...args], {
      cwd: os.tmpdir(),
      env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(stdin ?? '');
  });
}

/** A loopback proxy to the server whose answer to each request is decided by `plan` (by request number). */
async function startProxy(
  target: string,
  plan: (request: number) => 'forward' | 'lose-answer' | { status: number; retryAfter?: string },
): Promise<{ url: string; requests: () => number; close(): Promise<void> }> {
  let count = 0;
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const step = plan(++count);
      if (typeof step === 'object') {
        res.writeHead(step.status, {
          'content-type': 'application/json',
          ...(step.retryAfter ? { 'retry-after': step.retryAfter } : {}),
        });
        res.end(
          JSON.stringify({ errors: [{ message: 'busy', extensions: { code: 'SERVICE_UNAVAILABLE' } }] }),
        );
        return;
      }
      void fetch(target, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: req.headers.authorization ?? '' },
        body: Buffer.concat(chunks),
      }).then(async (answer) => {
        const body = await answer.text();
        // The publish landed; its answer never reaches the caller.
        if (step === 'lose-answer') return req.socket.destroy();
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(body);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`,
    requests: () => count,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('stack-notifications publish', () => {
  let server: TestServer;
  let owner: Session;
  let stackId: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    server = await startTestServer();
    owner = await server.createAccount('Publisher');
    stackId = await createStack(server, owner);
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    env = { STACK_NOTIFICATIONS_URL: server.url, STACK_NOTIFICATIONS_TOKEN: owner.token };
  });

  async function notifications(): Promise<{ id: string; event_type: string; data: string | object }[]> {
    const placeholder = server.database.kind === 'postgres' ? '$1' : '?';
    return server.app.services.dataSource.query(
      `SELECT id, event_type, data FROM notifications WHERE stack_id = ${placeholder} ORDER BY created_at`,
      [stackId],
    );
  }

  it('publishes an event given by its key, prints one JSON line, and exits 0', async () => {
    const before = (await notifications()).length;
    const run = await publishCli(
      ['--stack', stackId, '--event', 'job.fail', '--data', '{"job":"nightly-backup"}', '--json'],
      env,
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    const output = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(output).toMatchObject({ stackId, eventType: 'JOB_FAIL', attempts: 1 });
    const rows = await notifications();
    expect(rows).toHaveLength(before + 1);
    const row = rows.at(-1)!;
    expect(row.id).toBe(output.notificationId);
    expect(row.event_type).toBe('job.fail');
    const data = typeof row.data === 'string' ? (JSON.parse(row.data) as object) : row.data;
    expect(data).toEqual({ job: 'nightly-backup' });
  });

  it('takes the enum name, the data from a file or standard input, and prints a line for people', async () => {
    const file = path.join(os.tmpdir(), `publish-${process.pid}.json`);
    fs.writeFileSync(file, JSON.stringify({ server: 'db-1' }));
    try {
      const fromFile = await publishCli(
        ['--stack', stackId, '--event', 'SERVER_STOPPED', '--data', `@${file}`],
        env,
      );
      expect(fromFile.code).toBe(0);
      expect(fromFile.stdout).toMatch(
        new RegExp(`^Published SERVER_STOPPED to stack ${stackId}: notification \\S+\\n$`),
      );
    } finally {
      fs.rmSync(file, { force: true });
    }
    const fromStdin = await publishCli(
      ['--stack', stackId, '--event', 'server.backon', '--data', '-', '--json'],
      env,
      '{"server":"db-1"}',
    );
    expect(fromStdin.code).toBe(0);
    const rows = await notifications();
    expect(rows.slice(-2).map((row) => row.event_type)).toEqual(['server.stopped', 'server.backon']);
  });

  it('publishes once for one idempotency key, however often it is run', async () => {
    const args = ['--stack', stackId, '--event', 'app.auth', '--idempotency-key', 'deploy-4711', '--json'];
    const first = JSON.parse((await publishCli(args, env)).stdout) as { notificationId: string };
    const second = JSON.parse((await publishCli(args, env)).stdout) as { notificationId: string };
    expect(second.notificationId).toBe(first.notificationId);
    expect((await notifications()).filter((row) => row.id === first.notificationId)).toHaveLength(1);
  });

  it('retries a busy server, honouring Retry-After, and publishes once', async () => {
    const proxy = await startProxy(server.url, (request) =>
      request <= 2 ? { status: 503, retryAfter: '0' } : 'forward',
    );
    try {
      const before = (await notifications()).length;
      const run = await publishCli(
        ['--stack', stackId, '--event', 'container.down', '--data', '{"container":"web-1"}', '--json'],
        { ...env, STACK_NOTIFICATIONS_URL: proxy.url },
      );
      expect(run.code).toBe(0);
      expect(JSON.parse(run.stdout)).toMatchObject({ attempts: 3 });
      expect(proxy.requests()).toBe(3);
      expect(await notifications()).toHaveLength(before + 1);
    } finally {
      await proxy.close();
    }
  });

  it('does not publish twice when the answer to a publish that landed is lost', async () => {
    const proxy = await startProxy(server.url, (request) => (request === 1 ? 'lose-answer' : 'forward'));
    try {
      const before = (await notifications()).length;
      const run = await publishCli(['--stack', stackId, '--event', 'process.down', '--json'], {
        ...env,
        STACK_NOTIFICATIONS_URL: proxy.url,
      });
      expect(run.code).toBe(0);
      const output = JSON.parse(run.stdout) as {
        notificationId: string;
        attempts: number;
        idempotencyKey: string;
      };
      expect(output.attempts).toBe(2);
      expect(output.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
      const rows = await notifications();
      expect(rows).toHaveLength(before + 1);
      expect(rows.at(-1)!.id).toBe(output.notificationId);
    } finally {
      await proxy.close();
    }
  });

  it('fails with a clear message and exit code 1 on a bad token, without retrying or publishing', async () => {
    const before = (await notifications()).length;
    const run = await publishCli(['--stack', stackId, '--event', 'job.fail'], {
      ...env,
      STACK_NOTIFICATIONS_TOKEN: 'sn_not-a-real-token',
    });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^Error: .+ \(UNAUTHENTICATED\)\n$/);
    const json = await publishCli(['--stack', stackId, '--event', 'job.fail', '--json'], {
      ...env,
      STACK_NOTIFICATIONS_TOKEN: 'sn_not-a-real-token',
    });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'UNAUTHENTICATED', attempts: 1 } });
    expect(await notifications()).toHaveLength(before);
  });

  it("refuses another account's stack as the server does", async () => {
    const stranger = await server.createAccount('Stranger');
    const run = await publishCli(['--stack', stackId, '--event', 'job.fail', '--json'], {
      ...env,
      STACK_NOTIFICATIONS_TOKEN: stranger.token,
    });
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it.each([
    [
      'an unknown event type',
      ['--event', 'job.explode'],
      /unknown event type "job.explode" \(known: stack\.provision\.ok, /,
    ],
    ['data that is not JSON', ['--event', 'job.fail', '--data', '{job:'], /--data is not JSON/],
    ['data that is not an object', ['--event', 'job.fail', '--data', '[1]'], /--data must be a JSON object/],
    ['a bad --retries', ['--event', 'job.fail', '--retries', 'many'], /--retries must be a whole number/],
  ])('refuses %s before sending anything', async (_case, args, message) => {
    const proxy = await startProxy(server.url, () => 'forward');
    try {
      const run = await publishCli(['--stack', stackId, ...args], {
        ...env,
        STACK_NOTIFICATIONS_URL: proxy.url,
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^Error: /);
      expect(run.stderr).toMatch(message);
      expect(proxy.requests()).toBe(0);
    } finally {
      await proxy.close();
    }
  });

  it('says so when no token is set, or the server cannot be reached', async () => {
    const noToken = await publishCli(['--stack', stackId, '--event', 'job.fail'], {
      STACK_NOTIFICATIONS_URL: server.url,
      STACK_NOTIFICATIONS_TOKEN: '',
    });
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain('STACK_NOTIFICATIONS_TOKEN is not set');
    const closed = await startProxy(server.url, () => 'forward');
    await closed.close();
    const unreachable = await publishCli(
      ['--stack', stackId, '--event', 'job.fail', '--retries', '1', '--json'],
      {
        ...env,
        STACK_NOTIFICATIONS_URL: closed.url,
      },
    );
    expect(unreachable.code).toBe(1);
    expect(JSON.parse(unreachable.stdout)).toMatchObject({
      error: { code: 'NETWORK_ERROR', attempts: 2, message: expect.stringContaining('ECONNREFUSED') },
    });
  });
});
