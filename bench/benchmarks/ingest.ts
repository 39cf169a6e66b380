// Benchmark 2, ingest: publishEvent over HTTP keep-alive into a stack with all six channels on (each event writes
// a notification and six outbox rows; WORKERS=0, so deliveries accumulate). Baseline: the no-op mutation.
import { stackWithAllChannels } from '../lib/fixtures';
import { closedLoop, expectField, type LoadResult } from '../lib/http-load';
import type { RunOptions } from '../lib/options';
import type { BenchmarkResult, Cell } from '../lib/report';
import { countRows } from '../lib/seed';
import { sqliteWriteFloor, type WriteFloor } from '../lib/write-floor';
import { ratio, round } from '../lib/stats';
import {
  describe,
  HTTP_CONNECTIONS,
  LOAD_COLUMNS,
  loadRow,
  loadTimes,
  measureNoop,
  startApp,
} from './http-common';

const PUBLISH = 'mutation($input: PublishEventInput!) { publishEvent(input: $input) { id } }';
/** Channels are pointed here; nothing is sent while WORKERS=0. */
const NOWHERE = 'http://127.0.0.1:9';

interface IngestRun {
  database: 'sqlite' | 'postgres';
  load: LoadResult;
  deliveriesPerEvent: number;
  /** SQLite only: the same rows written without the service. */
  floor: WriteFloor | null;
}

async function measure(kind: 'sqlite' | 'postgres', options: RunOptions): Promise<IngestRun> {
  const app = await startApp(kind, `app-ingest-${kind}`, options);
  try {
    const { stackId } = await stackWithAllChannels(app.server.url, app.token, NOWHERE);
    const load = await closedLoop({
      url: app.server.url,
      headers: { authorization: `Bearer ${app.token}` },
      body: (seq) =>
        JSON.stringify({
          query: PUBLISH,
          variables: {
            input: {
              stackId,
              eventType: 'JOB_FAIL',
              data: { job: 'nightly-backup', attempt: seq, server: 'app-1' },
            },
          },
        }),
      connections: HTTP_CONNECTIONS,
      check: expectField('publishEvent'),
      serverCpuMicros: () => app.server.cpuMicros(),
      ...loadTimes(options),
    });
    // Every request (warm-up included) wrote an event: the outbox must hold six rows for each.
    const events = await countRows(app.database, 'notifications');
    const deliveries = await countRows(app.database, 'deliveries');
    console.log(`  ${kind}: ${describe(load)}, ${deliveries} deliveries for ${events} events`);
    const floor =
      kind === 'sqlite'
        ? sqliteWriteFloor(app.database, { events: options.quick ? 1000 : 5000, batch: HTTP_CONNECTIONS })
        : null;
    if (floor) {
      console.log(
        `  SQLite's own writes: ${floor.cpuMicrosPerEvent} us CPU per event (${floor.events} events, ${floor.batch} per transaction)`,
      );
    }
    return { database: kind, load, deliveriesPerEvent: round(deliveries / Math.max(1, events), 2), floor };
  } finally {
    await app.stop();
  }
}

export async function ingest(options: RunOptions): Promise<BenchmarkResult> {
  const noop = await measureNoop('mutation', options);
  console.log(`  no-op mutation: ${describe(noop)}`);
  const runs: IngestRun[] = [await measure('sqlite', options)];
  if (options.postgres) runs.push(await measure('postgres', options));
  const rows: Cell[][] = [
    [...loadRow('no-op mutation (baseline)', noop, noop), '-'],
    ...runs.map((run) => [
      ...loadRow(`publishEvent, ${run.database}`, run.load, noop),
      run.deliveriesPerEvent,
    ]),
  ];
  const sqlite = runs[0];
  const floor = sqlite.floor!;
  const noopCpu = noop.cpuMicrosPerRequest;
  const bound = noopCpu === null ? null : round(noopCpu / (noopCpu + floor.cpuMicrosPerEvent), 2);
  return {
    name: 'ingest',
    tables: [
      {
        title: `ingest: publishEvent with all six channels on, ${HTTP_CONNECTIONS} keep-alive connections, latency ms`,
        columns: [...LOAD_COLUMNS, 'deliveries/event'],
        rows,
      },
      {
        title:
          "ingest: the database's own share on SQLite (the same notification and outbox rows, raw prepared statements, no server)",
        columns: [
          'events written',
          'per transaction',
          'outbox rows/event',
          'CPU us/event',
          'best possible CPU ratio (no-op / (no-op + this))',
        ],
        rows: [[floor.events, floor.batch, floor.outboxRowsPerEvent, floor.cpuMicrosPerEvent, bound]],
      },
    ],
    targets: [
      {
        name: 'events/s on SQLite vs no-op',
        wants: '>= 0.5 x no-op',
        value: ratio(sqlite.load.rps, noop.rps),
        met: sqlite.load.rps >= 0.5 * noop.rps,
      },
      { name: 'events/s on SQLite', wants: '>= 1,500', value: sqlite.load.rps, met: sqlite.load.rps >= 1500 },
    ],
    data: { noop, runs, bound },
    notes: runs.flatMap((run) =>
      run.load.firstError ? [`${run.database}: first error: ${run.load.firstError}`] : [],
    ),
  };
}
