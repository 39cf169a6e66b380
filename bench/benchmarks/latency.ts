// Benchmark 6, end-to-end latency: the service with its delivery worker (WORKERS=1) and a stack with all six channels
// on, every one pointed at a loopback peer (bench/servers/latency-peers.ts); publishEvent over HTTP at a steady
// 100 events/s (--rate), and the time from each publish call's start to the arrival of that event at each peer. The
// webhook's is the headline: publish to the customer's endpoint. With --separate-workers, on PostgreSQL only: the
// same with the worker in a process of its own beside an API instance with WORKERS=0 (woken by LISTEN/NOTIFY), next
// to the in-process figure. No baseline: this shows how long a notification takes, and that all of them arrive.
import { bootstrapAccount, postgresDatabase, serverEnv, sqliteDatabase } from '../lib/databases';
import { stackWithAllChannels } from '../lib/fixtures';
import { startFlushProbe } from '../lib/flush-probe';
import type { RunOptions } from '../lib/options';
import { startServer, type ServerHandle } from '../lib/processes';
import type { BenchmarkResult, Cell } from '../lib/report';
import type { LatencySummary } from '../lib/stats';
import type { LatencyRun, RunCommand } from '../servers/latency-peers';

/** Events per second, published on a fixed schedule whatever the answers take (an open loop). */
export const LATENCY_RATE = 100;

function durations(options: RunOptions): { warmupMs: number; durationMs: number } {
  return options.quick ? { warmupMs: 1000, durationMs: 5000 } : { warmupMs: 2000, durationMs: 20_000 };
}

type Layout = 'in-process' | 'separate';

/** A run, and the disk's flush times measured while it ran (the baseline of its p99). */
interface Measured {
  run: LatencyRun;
  flush: LatencySummary;
}

async function measure(
  kind: 'sqlite' | 'postgres',
  peers: ServerHandle,
  options: RunOptions,
  layout: Layout = 'in-process',
): Promise<Measured> {
  const database = kind === 'sqlite' ? sqliteDatabase() : await postgresDatabase();
  try {
    const { token } = bootstrapAccount(database);
    const peerEnv = await peers.ask<Record<string, string>>('env');
    const separate = layout === 'separate';
    const app = await startServer(`app-latency-${kind}${separate ? '-api' : ''}`, 'app-server', {
      env: serverEnv(database, { ...peerEnv, WORKERS: separate ? '0' : '1' }),
      cpuProfile: options.cpuProfile,
    });
    let worker: ServerHandle | null = null;
    try {
      if (separate) {
        worker = await startServer(`worker-latency-${kind}`, 'worker-server', {
          env: serverEnv(database, peerEnv),
          cpuProfile: options.cpuProfile,
        });
      }
      const stack = await stackWithAllChannels(app.url, token, peers.url);
      const command: RunCommand = {
        url: app.url,
        token,
        stackId: stack.stackId,
        webPush: stack.webPush,
        rate: options.rate ?? LATENCY_RATE,
        ...durations(options),
      };
      // Publishing, the answers still due and the drain (at most 20 s), with room for a slow machine.
      const timeoutMs = command.warmupMs + command.durationMs + 120_000;
      const probe = await startFlushProbe();
      let run: LatencyRun & { error?: string };
      let flush: LatencySummary;
      try {
        run = await peers.ask<LatencyRun & { error?: string }>('run', command, timeoutMs);
      } finally {
        flush = await probe.stop();
      }
      if (run.error) throw new Error(`latency peers: ${run.error}`);
      const webhook = run.channels.find((channel) => channel.channel === 'WEBHOOK')!;
      console.log(
        `  ${kind}${separate ? ' (separate worker)' : ''}: publish to webhook p50 ${webhook.latencyMs.p50} ms, p99 ${webhook.latencyMs.p99} ms, ` +
          `max ${webhook.latencyMs.max} ms, ${webhook.received}/${run.published} received, ${run.publishErrors} publish errors; ` +
          `disk flush p99 ${flush.p99} ms, max ${flush.max} ms`,
      );
      return { run, flush };
    } finally {
      await worker?.stop();
      await app.stop();
    }
  } finally {
    await database.drop();
  }
}

export async function latency(options: RunOptions): Promise<BenchmarkResult> {
  const peers = await startServer('latency-peers', 'latency-peers');
  const runs: ({ database: string } & Measured)[] = [];
  try {
    if (options.separateWorkers) {
      runs.push({
        database: 'PostgreSQL, worker in process',
        ...(await measure('postgres', peers, options)),
      });
      runs.push({
        database: 'PostgreSQL, separate worker',
        ...(await measure('postgres', peers, options, 'separate')),
      });
    } else {
      runs.push({ database: 'SQLite', ...(await measure('sqlite', peers, options)) });
      if (options.postgres)
        runs.push({ database: 'PostgreSQL', ...(await measure('postgres', peers, options)) });
    }
  } finally {
    await peers.stop();
  }
  const { durationMs } = durations(options);
  const rate = options.rate ?? LATENCY_RATE;
  const headline: Cell[][] = runs.map(({ database, run, flush }) => {
    const webhook = run.channels.find((channel) => channel.channel === 'WEBHOOK')!;
    return [
      database,
      webhook.latencyMs.p50,
      webhook.latencyMs.p99,
      webhook.latencyMs.max,
      `${webhook.received}/${run.published}`,
      run.publishMs.p50,
      run.publishMs.p99,
      run.publishErrors,
      `${flush.p99} / ${flush.max}`,
    ];
  });
  const perChannel: Cell[][] = runs.flatMap(({ database, run }) =>
    run.channels.map((channel) => [
      database,
      channel.channel,
      channel.latencyMs.p50,
      channel.latencyMs.p99,
      channel.latencyMs.max,
      `${channel.received}/${channel.published}`,
    ]),
  );
  const notes = runs.flatMap(({ database, run }) => [
    ...(run.firstPublishError ? [`${database}: first publish error: ${run.firstPublishError}`] : []),
    `${database}: the publisher fell behind its schedule by at most ${run.maxScheduleLagMs} ms`,
  ]);
  return {
    name: options.separateWorkers ? 'latency-separate-workers' : 'latency',
    tables: [
      {
        title: `end-to-end latency: publishEvent at ${rate} events/s for ${durationMs / 1000} s, publish call start to webhook receipt, ms`,
        columns: [
          'database',
          'p50',
          'p99',
          'max',
          'received/published',
          'publish answer p50',
          'publish answer p99',
          'publish errors',
          'disk flush p99 / max (same run)',
        ],
        rows: headline,
      },
      {
        title: 'end-to-end latency per channel: publish call start to receipt at its peer, ms',
        columns: ['database', 'channel', 'p50', 'p99', 'max', 'received/published'],
        rows: perChannel,
      },
    ],
    targets: [],
    data: { rate, durationMs, separateWorkers: options.separateWorkers, runs },
    notes: [
      options.separateWorkers
        ? 'Peers and publisher share one process (one clock); in process: one instance with WORKERS=1; separate: an API instance with WORKERS=0 and one worker process; default DELIVERY_CONCURRENCY and poll interval.'
        : 'Peers and publisher share one process (one clock); the service runs with WORKERS=1 at the default DELIVERY_CONCURRENCY.',
      'Disk flush: an 8 KiB write and fdatasync every 50 ms in the temporary folder during each run (bench/lib/flush-probe.ts): no commit that waits for the disk is answered sooner, so its p99 bounds the p99 of any durable publish.',
      ...notes,
    ],
  };
}
