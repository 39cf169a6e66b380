// Faults of the database under separate processes (API instances with WORKERS=0, worker processes), on a PostgreSQL
// cluster of this file's own that it stops and starts: attempts that end while the database is down are recorded
// once it is back and never sent twice; a killed worker's deliveries are sent again under the same webhook-id;
// publishes wake workers of other processes at once; readiness and metrics tell what is going on.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { PublishEventDocument } from './generated/graphql';
import { bootstrapAccount } from './helpers/cli';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startServerProcess, startWorkerProcess, type ServiceProcess } from './helpers/processes';
import { webhookOnlyStack } from './helpers/webhook-stack';
import { findPostgresBinaries, ThrowawayPostgres } from './support/throwaway-postgres';

const binaries = findPostgresBinaries();
if ('missing' in binaries && process.env.CI === 'true') {
  throw new Error(`CI=true and the fault suite cannot run: ${binaries.missing}`);
}
const describeFaults =
  'missing' in binaries
    ? (name: string, body: () => void) => describe.skip(`${name} (skipped: ${binaries.missing})`, body)
    : describe;

/**
 * A webhook receiver that counts requests by webhook-id and, while holding, answers none of them until released:
 * the deliveries it holds are in flight.
 */
class HoldingReceiver {
  /** webhook-id of every request, in arrival order. */
  readonly ids: string[] = [];
  /** When each webhook-id first arrived (performance.now()). */
  readonly firstArrival = new Map<string, number>();
  holding = false;
  private held: http.ServerResponse[] = [];
  private constructor(private readonly server: http.Server) {}

  static async start(): Promise<HoldingReceiver> {
    const server = http.createServer();
    const receiver = new HoldingReceiver(server);
    server.on('request', (request: http.IncomingMessage, response: http.ServerResponse) => {
      const id = String(request.headers['webhook-id'] ?? '');
      request.resume();
      request.on('end', () => {
        receiver.ids.push(id);
        if (!receiver.firstArrival.has(id)) receiver.firstArrival.set(id, performance.now());
        if (receiver.holding) receiver.held.push(response);
        else response.end();
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/hook`;
  }

  useSecrets(): void {
    // Requests are counted by webhook-id; their signatures are checked by the webhook peer's own tests.
  }

  get heldCount(): number {
    return this.held.length;
  }

  release(): void {
    this.holding = false;
    for (const response of this.held.splice(0)) response.end();
  }

  copiesOf(id: string): number {
    return this.ids.filter((each) => each === id).length;
  }

  close(): Promise<void> {
    this.release();
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await sleep(25);
  }
}

/** The sum of a metric's series in a Prometheus text exposition. */
function metricValue(text: string, name: string): number {
  let sum = 0;
  for (const match of text.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'))) {
    sum += Number(match[1]);
  }
  return sum;
}

async function status(url: string): Promise<number> {
  try {
    return (await fetch(url, { signal: AbortSignal.timeout(10_000) })).status;
  } catch {
    return 0;
  }
}

describeFaults('the database failing under separate API and worker processes', () => {
  let cluster: ThrowawayPostgres;
  let receiver: HoldingReceiver;
  let databaseUrl = '';
  const processes: ServiceProcess[] = [];
  let env: Record<string, string> = {};
  let token = '';
  let dir = '';

  beforeAll(async () => {
    cluster = await ThrowawayPostgres.create();
    receiver = await HoldingReceiver.start();
    const name = `faults_${randomBytes(3).toString('hex')}`;
    const admin = new Client({ connectionString: cluster.url });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    databaseUrl = cluster.url.replace(/\/postgres$/, `/${name}`);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-faults-'));
    env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: dir,
      REDIS_URL: '',
      ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
      DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4',
      // Long: a delivery that arrives promptly was started by a wake-up, not by the poll.
      DELIVERY_POLL_INTERVAL_MS: '5000',
      RATE_LIMIT_PUBLISH_PER_SECOND: '100000',
      RATE_LIMIT_PUBLISH_BURST: '100000',
      LOG_LEVEL: 'warn',
    };
    token = (await bootstrapAccount(env, `faults-${randomBytes(3).toString('hex')}`)).token;
  }, 120_000);

  afterEach(() => {
    // A failed test must not leave the next one's deliveries held.
    receiver.release();
  });

  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop('SIGKILL')));
    await receiver?.close();
    await cluster?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  async function api(): Promise<ServiceProcess> {
    const started = await startServerProcess({ ...env, WORKERS: '0' }, 60_000);
    processes.push(started);
    return started;
  }

  async function worker(extra: Record<string, string> = {}): Promise<ServiceProcess> {
    const started = await startWorkerProcess({ ...env, ...extra }, 60_000);
    processes.push(started);
    return started;
  }

  async function publish(url: string, stackId: string, count: number): Promise<string[]> {
    const ids: string[] = [];
    for (let index = 0; index < count; index += 1) {
      const { publishEvent } = dataOf(
        await graphqlRequest(
          url,
          PublishEventDocument,
          { input: { stackId, eventType: 'JOB_FAIL', data: { index } } },
          token,
        ),
      );
      ids.push(publishEvent.id);
    }
    return ids;
  }

  async function deliveryStatuses(ids: string[]): Promise<Record<string, number>> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ status: string; count: string }>(
        'SELECT status, COUNT(*) AS count FROM deliveries WHERE notification_id = ANY($1) GROUP BY status',
        [ids],
      );
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
    } finally {
      await client.end();
    }
  }

  it('records every attempt that ended while PostgreSQL was stopped for 3 s, sending none twice; readiness and metrics tell', async () => {
    const apiProcess = await api();
    const readyz = apiProcess.url.replace(/\/graphql$/, '/readyz');
    // Longer than publishing the 30 takes on a busy machine: a lease ending while they are held would send them again.
    const leaseMs = 10_000;
    const workerProcess = await worker({ DELIVERY_LEASE_MS: String(leaseMs), DELIVERY_CONCURRENCY: '32' });
    const stackId = await webhookOnlyStack(apiProcess.url, token, receiver);

    receiver.holding = true;
    const ids = await publish(apiProcess.url, stackId, 30);
    await until('30 deliveries in flight', () => receiver.heldCount === 30);
    const backlog = await (await fetch(`${workerProcess.url}/metrics`)).text();
    expect(metricValue(backlog, 'outbox_pending_deliveries')).toBe(30);
    expect(metricValue(backlog, 'outbox_oldest_pending_age_seconds')).toBeGreaterThan(0);

    await cluster.stop('fast');
    try {
      const stoppedAt = Date.now();
      receiver.release();
      await until('the worker not ready', async () => (await status(`${workerProcess.url}/readyz`)) === 503);
      expect(await status(readyz)).toBe(503);
      // The worker still answers its liveness probe and its metrics: the attempts are over, their outcomes unwritten.
      expect(await status(`${workerProcess.url}/healthz`)).toBe(200);
      await until('outcomes kept', async () => {
        const text = await (await fetch(`${workerProcess.url}/metrics`)).text();
        return metricValue(text, 'delivery_unwritten_outcomes') === 30;
      });
      await sleep(Math.max(0, 3000 - (Date.now() - stoppedAt)));
    } finally {
      await cluster.start();
    }

    await until('the worker ready', async () => (await status(`${workerProcess.url}/readyz`)) === 200);
    await until('the API ready', async () => (await status(readyz)) === 200);
    await until('every delivery recorded', async () => (await deliveryStatuses(ids)).SUCCEEDED === 30);
    // Past the lease: a row left to it would have been sent again by now.
    await sleep(leaseMs + 1000);
    expect(ids.map((id) => receiver.copiesOf(id))).toEqual(ids.map(() => 1));
    const after = await (await fetch(`${workerProcess.url}/metrics`)).text();
    expect(metricValue(after, 'delivery_unwritten_outcomes')).toBe(0);
    expect(metricValue(after, 'delivery_worker_database_errors_total')).toBeGreaterThan(0);
    expect(metricValue(after, 'delivery_attempts_total')).toBe(30);
    expect(metricValue(after, 'outbox_pending_deliveries')).toBe(0);

    // The worker listens again: a publish reaches it long before its 5 s poll.
    const [late] = await publish(apiProcess.url, stackId, 1);
    const published = performance.now();
    await until('the late delivery', () => receiver.copiesOf(late) === 1, 10_000);
    expect(receiver.firstArrival.get(late)! - published).toBeLessThan(2000);
    await Promise.all([apiProcess.stop(), workerProcess.stop()]);
  }, 180_000);

  it('after kill -9 of one of two workers, sends only its in-flight deliveries again, each under its webhook-id', async () => {
    const concurrency = 8;
    // As above: no lease may end while the workers hold their deliveries, before the kill.
    const leaseMs = 10_000;
    const apiProcess = await api();
    const extra = { DELIVERY_LEASE_MS: String(leaseMs), DELIVERY_CONCURRENCY: String(concurrency) };
    const [first, second] = await Promise.all([worker(extra), worker(extra)]);
    const stackId = await webhookOnlyStack(apiProcess.url, token, receiver);
    const before = receiver.ids.length;
    receiver.holding = true;
    const ids = await publish(apiProcess.url, stackId, 40);
    await until('both workers full', () => receiver.heldCount === 2 * concurrency);
    await first.stop('SIGKILL');
    receiver.release();
    await until(
      'every delivery recorded',
      async () => (await deliveryStatuses(ids)).SUCCEEDED === 40,
      60_000,
    );
    await sleep(500);
    const received = receiver.ids.slice(before);
    const published = new Set(ids);
    expect(received.every((id) => published.has(id))).toBe(true);
    expect(new Set(received).size).toBe(40);
    const duplicates = received.length - 40;
    console.log(`kill -9 of one worker of two: ${duplicates} duplicates (in flight: ${concurrency})`);
    expect(duplicates).toBeLessThanOrEqual(concurrency);
    // A duplicate is the same delivery again: same webhook-id, so the receiver can tell.
    for (const id of ids) expect(receiver.copiesOf(id)).toBeLessThanOrEqual(2);
    await Promise.all([apiProcess.stop(), second.stop()]);
  }, 180_000);

  it('starts a worker process that never connects to Redis and guards its metrics with METRICS_TOKEN', async () => {
    // Anything listening where REDIS_URL points: a worker that connected would show up here.
    let redisConnections = 0;
    const fakeRedis = net.createServer((socket) => {
      redisConnections += 1;
      socket.destroy();
    });
    await new Promise<void>((resolve) => fakeRedis.listen(0, '127.0.0.1', resolve));
    try {
      const redisUrl = `redis://127.0.0.1:${(fakeRedis.address() as AddressInfo).port}`;
      const apiProcess = await api();
      const workerProcess = await worker({ REDIS_URL: redisUrl, METRICS_TOKEN: 'scrape-secret' });
      const stackId = await webhookOnlyStack(apiProcess.url, token, receiver);
      const [id] = await publish(apiProcess.url, stackId, 1);
      await until('the delivery', () => receiver.copiesOf(id) === 1, 10_000);

      expect((await fetch(`${workerProcess.url}/metrics`)).status).toBe(401);
      const wrong = await fetch(`${workerProcess.url}/metrics`, {
        headers: { authorization: 'Bearer nope' },
      });
      expect(wrong.status).toBe(401);
      const scrape = () =>
        fetch(`${workerProcess.url}/metrics`, { headers: { authorization: 'Bearer scrape-secret' } });
      expect((await scrape()).status).toBe(200);
      // The receiver has the request before the worker has committed its outcome and counted it.
      await until(
        'the attempt counted',
        async () => metricValue(await (await scrape()).text(), 'delivery_attempts_total') >= 1,
        10_000,
      );
      const ready = await fetch(`${workerProcess.url}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ checks: { database: 'ok', migrations: 'ok' } });
      // The worker serves nothing else on that port.
      expect((await fetch(`${workerProcess.url}/graphql`)).status).toBe(404);
      expect(redisConnections).toBe(0);
      await Promise.all([apiProcess.stop(), workerProcess.stop()]);
    } finally {
      await new Promise<void>((resolve) => fakeRedis.close(() => resolve()));
    }
  }, 120_000);

  it('wakes a worker of another process within 100 ms of a publish on an idle system', async () => {
    const apiProcess = await api();
    const workerProcess = await worker();
    const stackId = await webhookOnlyStack(apiProcess.url, token, receiver);
    // Warm up connections and caches, then let the worker go idle (its poll is 5 s away).
    const [warm] = await publish(apiProcess.url, stackId, 1);
    await until('the warm-up delivery', () => receiver.copiesOf(warm) === 1, 10_000);
    const latencies: number[] = [];
    for (let round = 0; round < 5; round += 1) {
      await sleep(300);
      const start = performance.now();
      const [id] = await publish(apiProcess.url, stackId, 1);
      await until('the delivery', () => receiver.copiesOf(id) === 1, 10_000);
      latencies.push(receiver.firstArrival.get(id)! - start);
    }
    latencies.sort((a, b) => a - b);
    console.log(
      `publish call to webhook receipt, separate worker: ${latencies.map(Math.round).join(', ')} ms`,
    );
    expect(latencies[2]).toBeLessThan(100);
    // None waited for the 5 s poll.
    expect(latencies[4]).toBeLessThan(1000);
    await Promise.all([apiProcess.stop(), workerProcess.stop()]);
  }, 120_000);
});
