// Benchmark 3, delivery: 20,000 pending webhook deliveries (seeded in the outbox) drained by one process's worker at
// the default concurrency to a local keep-alive receiver that verifies the signature of a sample. Baseline: a plain
// undici POST loop at the same concurrency to the same receiver.
import { randomUUID } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { Pool } from 'undici';
import { DEFAULT_CONCURRENCY } from '../lib/constants';
import {
  bootstrapAccount,
  postgresDatabase,
  serverEnv,
  sqliteDatabase,
  type BenchDatabase,
} from '../lib/databases';
import { configureWebhook, createStack } from '../lib/fixtures';
import { sleep, type RunOptions } from '../lib/options';
import { startServer, type ServerHandle } from '../lib/processes';
import type { BenchmarkResult, Cell } from '../lib/report';
import { deliveryCounts, explain, seedNotifications, sharedChannelId, stackRef } from '../lib/seed';
import { ratio, round } from '../lib/stats';

interface ReceiverStats {
  received: number;
  distinctIds: number;
  verified: number;
  rejected: number;
  spanMs: number;
}

interface DrainRun {
  sender: string;
  deliveries: number;
  seconds: number;
  perSecond: number;
  /**
   * CPU time of the sending process per delivery: the worker's process between the first and the last arrival at
   * the receiver (sampled with its counts), or the runner's over the undici loop. Unlike deliveries/s it hardly
   * moves when other work shares the machine.
   */
  cpuMicrosPerDelivery: number | null;
  verified: number;
  rejected: number;
  statuses?: Record<string, number>;
}

const DRAIN_LIMIT_MS = 240_000;

/** The claim query DeliveryWorker.claim runs, for its plan. */
const CLAIM_SQL = {
  sqlite:
    "SELECT d.id FROM deliveries d WHERE d.status = 'PENDING' AND d.next_attempt_at <= ? AND (d.lease_until IS NULL OR d.lease_until < ?) ORDER BY d.next_attempt_at ASC LIMIT 16",
  postgres:
    "SELECT d.id FROM deliveries d WHERE d.status = 'PENDING' AND d.next_attempt_at <= $1 AND (d.lease_until IS NULL OR d.lease_until < $1) ORDER BY d.next_attempt_at ASC LIMIT 16 FOR UPDATE SKIP LOCKED",
};

interface DrainSample {
  received: number;
  cpuMicros: number;
}

/** Polls the receiver until `count` arrived; with `sender`, also the sender's CPU per delivery over the drain. */
async function waitForReceiver(
  receiver: ServerHandle,
  count: number,
  sender?: ServerHandle,
): Promise<{ stats: ReceiverStats; cpuMicrosPerDelivery: number | null }> {
  const started = performance.now();
  const samples: DrainSample[] = [];
  const sample = async () => {
    const [stats, cpuMicros] = await Promise.all([
      receiver.ask<ReceiverStats>('stats'),
      sender ? sender.cpuMicros() : Promise.resolve(0),
    ]);
    if (stats.received > 0) samples.push({ received: stats.received, cpuMicros });
    return stats;
  };
  let stats = await sample();
  while (stats.received < count && performance.now() - started < DRAIN_LIMIT_MS) {
    await sleep(100);
    stats = await sample();
  }
  const first = samples[0];
  const last = samples[samples.length - 1];
  const cpuMicrosPerDelivery =
    sender && first && last.received > first.received
      ? round((last.cpuMicros - first.cpuMicros) / (last.received - first.received), 1)
      : null;
  return { stats, cpuMicrosPerDelivery };
}

async function drainWithService(
  kind: 'sqlite' | 'postgres',
  receiver: ServerHandle,
  count: number,
  options: RunOptions,
): Promise<{ run: DrainRun; plan: string }> {
  const database: BenchDatabase = kind === 'sqlite' ? sqliteDatabase() : await postgresDatabase();
  try {
    const { token } = bootstrapAccount(database);
    // Configure the webhook through the API with workers off, then seed the outbox while no worker runs.
    const setup = await startServer(`app-delivery-setup-${kind}`, 'app-server', {
      env: serverEnv(database, { WORKERS: '0' }),
    });
    let stackId: string;
    let secret: string;
    try {
      stackId = await createStack(setup.url, token);
      secret = await configureWebhook(setup.url, token, stackId, receiver.url);
    } finally {
      await setup.stop();
    }
    const webhookChannelId = await sharedChannelId(database, stackId, 'WEBHOOK');
    await seedNotifications(database, await stackRef(database, stackId), count, { webhookChannelId });
    const plan = await explain(
      database,
      CLAIM_SQL,
      kind === 'sqlite'
        ? [
            new Date().toISOString().replace('T', ' ').replace('Z', ''),
            new Date().toISOString().replace('T', ' ').replace('Z', ''),
          ]
        : [new Date()],
    );
    await receiver.ask('reset', { secret });
    const server = await startServer(`app-delivery-${kind}`, 'app-server', {
      env: serverEnv(database, { WORKERS: '1' }),
      cpuProfile: options.cpuProfile,
    });
    let stats: ReceiverStats;
    let cpuMicrosPerDelivery: number | null;
    let statuses: Record<string, number>;
    try {
      ({ stats, cpuMicrosPerDelivery } = await waitForReceiver(receiver, count, server));
      // The last attempts are recorded just after their answers arrive.
      const started = performance.now();
      statuses = await deliveryCounts(database);
      while ((statuses.SUCCEEDED ?? 0) < count && performance.now() - started < 15_000) {
        await sleep(250);
        statuses = await deliveryCounts(database);
      }
    } finally {
      await server.stop();
    }
    const run: DrainRun = {
      sender: `stack-notifications worker, ${kind}`,
      deliveries: stats.received,
      seconds: round(stats.spanMs / 1000, 2),
      perSecond: round(stats.received / (stats.spanMs / 1000), 0),
      verified: stats.verified,
      rejected: stats.rejected,
      statuses,
      cpuMicrosPerDelivery,
    };
    console.log(
      `  worker (${kind}): ${run.perSecond} deliveries/s, ${cpuMicrosPerDelivery} us CPU per delivery, ${JSON.stringify(statuses)}, ${stats.verified} signatures verified, ${stats.rejected} rejected`,
    );
    return { run, plan };
  } finally {
    await database.drop();
  }
}

/** The baseline: `concurrency` loops POSTing signed webhook bodies through one keep-alive undici pool. */
async function drainWithUndici(
  receiver: ServerHandle,
  count: number,
  concurrency: number,
): Promise<DrainRun> {
  const secret = `whsec_${Buffer.from(randomUUID()).toString('base64')}`;
  await receiver.ask('reset', { secret });
  const signer = new Webhook(secret);
  const url = new URL(receiver.url);
  const pool = new Pool(url.origin, { connections: concurrency });
  let sent = 0;
  const cpu = process.cpuUsage();
  const loop = async () => {
    while (sent < count) {
      sent += 1;
      const id = randomUUID();
      const now = new Date();
      const body = JSON.stringify({
        id,
        stack: { id: randomUUID(), name: 'web', environment: 'production' },
        eventType: 'JOB_FAIL',
        eventKey: 'job.fail',
        data: { commit: 'abc123', server: 'app-1', seq: sent },
        occurredAt: now.toISOString(),
        timestamp: Math.floor(now.getTime() / 1000),
        createdAt: now.toISOString(),
        event_type: 'job.fail',
      });
      const response = await pool.request({
        path: url.pathname,
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'webhook-id': id,
          'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
          'webhook-signature': signer.sign(id, now, body),
        },
      });
      await response.body.text();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, loop));
  const used = process.cpuUsage(cpu);
  await pool.close();
  const { stats } = await waitForReceiver(receiver, count);
  const run: DrainRun = {
    sender: `plain undici POST loop`,
    deliveries: stats.received,
    seconds: round(stats.spanMs / 1000, 2),
    perSecond: round(stats.received / (stats.spanMs / 1000), 0),
    verified: stats.verified,
    rejected: stats.rejected,
    cpuMicrosPerDelivery: round((used.user + used.system) / count, 1),
  };
  console.log(
    `  undici loop: ${run.perSecond} deliveries/s, ${run.cpuMicrosPerDelivery} us CPU per delivery, ${stats.verified} signatures verified, ${stats.rejected} rejected`,
  );
  return run;
}

export async function delivery(options: RunOptions): Promise<BenchmarkResult> {
  const count = options.quick ? 4000 : 20_000;
  const receiver = await startServer('webhook-receiver', 'webhook-receiver');
  const runs: DrainRun[] = [];
  const plans: Record<string, string> = {};
  try {
    runs.push(await drainWithUndici(receiver, count, DEFAULT_CONCURRENCY));
    const sqlite = await drainWithService('sqlite', receiver, count, options);
    runs.push(sqlite.run);
    plans.sqlite = sqlite.plan;
    if (options.postgres) {
      const postgres = await drainWithService('postgres', receiver, count, options);
      runs.push(postgres.run);
      plans.postgres = postgres.plan;
    }
  } finally {
    await receiver.stop();
  }
  const baseline = runs[0];
  const rows: Cell[][] = runs.map((run) => [
    run.sender,
    run.deliveries,
    run.seconds,
    run.perSecond,
    `${run.verified} ok, ${run.rejected} bad`,
    ratio(run.perSecond, baseline.perSecond),
    run.cpuMicrosPerDelivery,
    run.cpuMicrosPerDelivery && baseline.cpuMicrosPerDelivery
      ? ratio(baseline.cpuMicrosPerDelivery, run.cpuMicrosPerDelivery)
      : null,
  ]);
  const sqliteRun = runs[1];
  return {
    name: 'delivery',
    tables: [
      {
        title: `delivery: ${count.toLocaleString('en-US')} webhook deliveries to a local keep-alive receiver, concurrency ${DEFAULT_CONCURRENCY}`,
        columns: [
          'sender',
          'delivered',
          'seconds',
          'deliveries/s',
          'signatures (sample)',
          'ratio to baseline',
          'sender CPU us/delivery',
          'CPU ratio (baseline / ours)',
        ],
        rows,
      },
    ],
    targets: [
      {
        name: 'deliveries/s on SQLite vs undici loop',
        wants: '>= 0.5 x baseline',
        value: ratio(sqliteRun.perSecond, baseline.perSecond),
        met: sqliteRun.perSecond >= 0.5 * baseline.perSecond,
      },
    ],
    data: { runs, plans },
    notes: Object.entries(plans).map(
      ([kind, plan]) => `${kind} plan of the claim query: ${plan.replace(/\n/g, '; ')}`,
    ),
  };
}
