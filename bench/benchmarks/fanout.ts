// Benchmark 1, fan-out: N graphql-ws subscribers in one load process receive events published at a steady rate
// (2 events/s: latency) and a saturating one (20 events/s: messages/s). Baseline: a bare graphql-ws server.
import { execFileSync } from 'node:child_process';
import { bootstrapAccount, serverEnv, sqliteDatabase, type BenchDatabase } from '../lib/databases';
import { createStack } from '../lib/fixtures';
import { startLoadProcess } from '../lib/load-process';
import type { PhaseResult } from '../load/fanout-load';
import { sleep, type RunOptions } from '../lib/options';
import { startServer, type MemorySnapshot, type ServerHandle } from '../lib/processes';
import type { BenchmarkResult, Cell } from '../lib/report';
import { ratio, round } from '../lib/stats';

type Kind = 'bare' | 'app';

interface Run {
  kind: Kind;
  subscribers: number;
  connectMs: number;
  failed: number;
  rssKiBPerConnection: number;
  heapKiBPerConnection: number;
  before: MemorySnapshot;
  after: MemorySnapshot;
  steady: PhaseResult;
  saturating: PhaseResult;
}

const STEADY_RATE = 2;
const SATURATING_RATE = 20;

function perConnectionKiB(before: number, after: number, count: number): number {
  return round((after - before) / 1024 / Math.max(1, count), 1);
}

async function startFor(
  kind: Kind,
  options: RunOptions,
): Promise<{ server: ServerHandle; token?: string; stackId?: string; database?: BenchDatabase }> {
  if (kind === 'bare') {
    return {
      server: await startServer('bare-graphql-ws', 'bare-graphql-ws', {
        env: { NODE_ENV: 'production' },
        cpuProfile: options.cpuProfile,
      }),
    };
  }
  const database = sqliteDatabase();
  const { token } = bootstrapAccount(database);
  const server = await startServer('app-fanout', 'app-server', {
    env: serverEnv(database, { WORKERS: '0' }),
    cpuProfile: options.cpuProfile,
  });
  const stackId = await createStack(server.url, token);
  return { server, token, stackId, database };
}

async function measure(kind: Kind, subscribers: number, options: RunOptions): Promise<Run> {
  const { server, token, stackId, database } = await startFor(kind, options);
  const load = startLoadProcess();
  try {
    // Memory per connection is the slope between a tenth of the subscribers and all of them, so what the process
    // allocated at start (and frees or reuses later) does not count for or against either server.
    const first = Math.max(1, Math.round(subscribers / 10));
    const connect = (count: number) =>
      load.request<{ count: number; failed: number; ms: number; firstError: string | null }>(
        { type: 'connect', mode: kind, url: server.url, count, token, stackId },
        'connected',
      );
    const initial = await connect(first);
    await load.request({ type: 'warmup' }, 'warm');
    await sleep(1000);
    const before = await server.memory();
    const rest = await connect(subscribers - first);
    // count is the load process's total of open sockets.
    const connected = {
      count: rest.count,
      failed: initial.failed + rest.failed,
      ms: initial.ms + rest.ms,
      firstError: initial.firstError ?? rest.firstError,
    };
    if (connected.failed)
      console.warn(`  ${kind}: ${connected.failed} connections failed: ${connected.firstError}`);
    const warm = await load.request<{ live: number; ms: number }>({ type: 'warmup' }, 'warm');
    if (warm.live < connected.count)
      console.warn(`  ${kind}: only ${warm.live} of ${connected.count} subscriptions went live`);
    await sleep(1000);
    const after = await server.memory();
    // 60 events (30 s) so that p99 is not simply the slowest of a handful of events.
    const steadyEvents = options.quick ? 6 : 60;
    const saturatingEvents = options.quick ? 20 : subscribers >= 5000 ? 40 : 100;
    // Warm-up events (JIT, first-use allocations), not counted.
    await load.request({ type: 'phase', rate: 10, events: 10 }, 'phase');
    await sleep(500);
    const steady = (
      await load.request<{ result: PhaseResult }>(
        { type: 'phase', rate: STEADY_RATE, events: steadyEvents },
        'phase',
      )
    ).result;
    await sleep(500);
    const saturating = (
      await load.request<{ result: PhaseResult }>(
        { type: 'phase', rate: SATURATING_RATE, events: saturatingEvents },
        'phase',
      )
    ).result;
    await load.request({ type: 'close' }, 'closed');
    const run: Run = {
      kind,
      subscribers: connected.count,
      connectMs: connected.ms,
      failed: connected.failed,
      rssKiBPerConnection: perConnectionKiB(before.rss, after.rss, connected.count - first),
      heapKiBPerConnection: perConnectionKiB(before.heapUsed, after.heapUsed, connected.count - first),
      before,
      after,
      steady,
      saturating,
    };
    console.log(
      `  ${kind} N=${subscribers}: p99 ${steady.latencyMs.p99} ms at ${STEADY_RATE}/s, ${saturating.messagesPerSecond} msg/s at ${SATURATING_RATE}/s, ` +
        `${run.rssKiBPerConnection} KiB RSS/conn`,
    );
    return run;
  } finally {
    await load.stop();
    await server.stop();
    await database?.drop();
  }
}

/** The sizes of a full run: the cost curve 1k -> 5k -> 10k. */
export const FULL_RUN_SIZES = [1000, 5000, 10_000];
/** The size the targets are stated at. */
const TARGET_SIZE = 5000;
/** File descriptors each process needs besides one per subscriber (database, listeners, pipes). */
const SPARE_DESCRIPTORS = 500;

/** The soft limit on open files the servers and the load process inherit (`ulimit -n`), or null if unknown. */
function openFileLimit(): number | null {
  try {
    const limit = execFileSync('sh', ['-c', 'ulimit -n'], { encoding: 'utf8' }).trim();
    return limit === 'unlimited' ? Infinity : Number(limit) || null;
  } catch {
    return null;
  }
}

export async function fanout(options: RunOptions): Promise<BenchmarkResult> {
  const sizes = options.subscribers ?? (options.quick ? [1000] : FULL_RUN_SIZES);
  const limit = openFileLimit();
  const largest = Math.max(...sizes);
  if (limit !== null && limit < largest + SPARE_DESCRIPTORS) {
    throw new Error(
      `${largest} subscribers need about ${largest + SPARE_DESCRIPTORS} open files per process; ulimit -n is ${limit}`,
    );
  }
  const runs: Run[] = [];
  for (const subscribers of sizes) {
    for (const kind of ['bare', 'app'] as const) runs.push(await measure(kind, subscribers, options));
  }
  const find = (kind: Kind, subscribers: number) =>
    runs.find((run) => run.kind === kind && run.subscribers >= subscribers * 0.99)!;

  const rows: Cell[][] = runs.map((run) => [
    run.subscribers,
    run.kind === 'app' ? 'stack-notifications' : 'bare graphql-ws',
    run.steady.latencyMs.p50,
    run.steady.latencyMs.p99,
    run.steady.latencyMs.max,
    `${run.steady.delivered}/${run.steady.expected}`,
    run.saturating.messagesPerSecond,
    run.saturating.latencyMs.p99,
    `${run.saturating.delivered}/${run.saturating.expected}`,
    run.rssKiBPerConnection,
    run.heapKiBPerConnection,
  ]);
  const ratioRows: Cell[][] = sizes.map((subscribers) => {
    const app = find('app', subscribers);
    const bare = find('bare', subscribers);
    return [
      subscribers,
      ratio(app.steady.latencyMs.p50, bare.steady.latencyMs.p50),
      ratio(app.steady.latencyMs.p99, bare.steady.latencyMs.p99),
      ratio(app.saturating.messagesPerSecond, bare.saturating.messagesPerSecond),
      ratio(app.rssKiBPerConnection, bare.rssKiBPerConnection),
      ratio(app.heapKiBPerConnection, bare.heapKiBPerConnection),
    ];
  });
  const smallest = Math.min(...sizes);
  const curveRows: Cell[][] = sizes
    .filter((size) => size !== smallest)
    .flatMap((size) =>
      (['bare', 'app'] as const).map((kind) => {
        const small = find(kind, smallest);
        const large = find(kind, size);
        return [
          `${size} over ${smallest}`,
          kind === 'app' ? 'stack-notifications' : 'bare graphql-ws',
          ratio(large.steady.latencyMs.p99, small.steady.latencyMs.p99),
          ratio(large.saturating.messagesPerSecond, small.saturating.messagesPerSecond),
          ratio(large.rssKiBPerConnection, small.rssKiBPerConnection),
        ];
      }),
    );

  const targetSize = sizes.includes(TARGET_SIZE) ? TARGET_SIZE : sizes.at(-1)!;
  const app = find('app', targetSize);
  const bare = find('bare', targetSize);
  return {
    name: 'fanout',
    tables: [
      {
        title: `fan-out: ${STEADY_RATE} events/s (latency) and ${SATURATING_RATE} events/s (throughput), publish call to receipt, ms`,
        columns: [
          'N',
          'server',
          'p50',
          'p99',
          'max',
          'delivered',
          `msg/s @${SATURATING_RATE}/s`,
          `p99 @${SATURATING_RATE}/s`,
          `delivered @${SATURATING_RATE}/s`,
          'RSS KiB/conn',
          'heap KiB/conn',
        ],
        rows,
      },
      {
        title:
          'fan-out: ratio to the bare graphql-ws server (latency and memory: lower is better; msg/s: higher is better)',
        columns: ['N', 'p50', 'p99', `msg/s @${SATURATING_RATE}/s`, 'RSS/conn', 'heap/conn'],
        rows: ratioRows,
      },
      ...(curveRows.length
        ? [
            {
              title: `fan-out cost curve: each size over ${smallest} subscribers`,
              columns: ['N', 'server', 'p99', 'msg/s', 'RSS/conn'],
              rows: curveRows,
            },
          ]
        : []),
    ],
    targets: [
      {
        name: `p99 at N=${targetSize}, ${STEADY_RATE} events/s`,
        wants: '< 250 ms',
        value: app.steady.latencyMs.p99,
        met: app.steady.latencyMs.p99 < 250,
      },
      {
        name: `msg/s at N=${targetSize}, ${SATURATING_RATE} events/s`,
        wants: '>= 0.7 x bare',
        value: ratio(app.saturating.messagesPerSecond, bare.saturating.messagesPerSecond),
        met: app.saturating.messagesPerSecond >= 0.7 * bare.saturating.messagesPerSecond,
      },
      {
        name: `RSS per idle subscribed connection, N=${targetSize}`,
        wants: '<= 1.2 x bare',
        value: ratio(app.rssKiBPerConnection, bare.rssKiBPerConnection),
        met: app.rssKiBPerConnection <= 1.2 * bare.rssKiBPerConnection,
      },
    ],
    data: { runs },
    notes: [
      'Server and load run as separate processes on the same cores; all subscribers share one token.',
      'Memory per connection: (all N subscribed and idle - N/10 subscribed and idle) / (0.9 N), each after a full GC.',
    ],
  };
}
