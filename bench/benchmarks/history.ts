// The cost curve of the history: `stack { notifications(first: 20) }` with 10k and then 100k stored notifications
// (seeded by direct inserts), on SQLite and PostgreSQL, with the query plans of the page query.
import { createStack } from '../lib/fixtures';
import { closedLoop, expectField, type LoadResult } from '../lib/http-load';
import type { RunOptions } from '../lib/options';
import type { BenchmarkResult, Cell } from '../lib/report';
import { explain, seedNotifications, stackRef } from '../lib/seed';
import { ratio } from '../lib/stats';
import { describe, HTTP_CONNECTIONS, loadTimes, measureNoop, startApp } from './http-common';

const HISTORY_QUERY = `query History($id: ID!) {
  stack(id: $id) {
    notifications(first: 20) { pageInfo { hasNextPage endCursor } nodes { id eventType eventKey data occurredAt createdAt read browserAlert stack { name } } }
  }
}`;

/** The page query EventsService.history runs (TypeORM selects every column; the plan is what matters). */
const PAGE_SQL = {
  sqlite: 'SELECT * FROM notifications n WHERE n.stack_id = ? ORDER BY n.created_at DESC, n.id DESC LIMIT 21',
  postgres:
    'SELECT * FROM notifications n WHERE n.stack_id = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT 21',
};

interface HistoryRun {
  database: 'sqlite' | 'postgres';
  stored: number;
  load: LoadResult;
}

async function measureDatabase(
  kind: 'sqlite' | 'postgres',
  options: RunOptions,
): Promise<{ runs: HistoryRun[]; plan: string }> {
  const sizes = options.quick ? [10_000] : [10_000, 100_000];
  const app = await startApp(kind, `app-history-${kind}`, options);
  const runs: HistoryRun[] = [];
  let plan: string;
  try {
    const stackId = await createStack(app.server.url, app.token);
    const stack = await stackRef(app.database, stackId);
    let stored = 0;
    for (const size of sizes) {
      // Older rows go in first, so each seeding adds history behind the newest page.
      await seedNotifications(app.database, stack, size - stored, {
        startAt: new Date(Date.now() - size * 1000 - 60_000),
      });
      stored = size;
      const load = await closedLoop({
        url: app.server.url,
        headers: { authorization: `Bearer ${app.token}` },
        body: JSON.stringify({ query: HISTORY_QUERY, variables: { id: stackId } }),
        connections: HTTP_CONNECTIONS,
        check: expectField('nodes'),
        serverCpuMicros: () => app.server.cpuMicros(),
        ...loadTimes(options),
      });
      console.log(`  ${kind}, ${stored} notifications: ${describe(load)}`);
      runs.push({ database: kind, stored, load });
    }
    plan = await explain(app.database, PAGE_SQL, [stackId]);
  } finally {
    await app.stop();
  }
  return { runs, plan };
}

export async function history(options: RunOptions): Promise<BenchmarkResult> {
  const noop = await measureNoop('query', options);
  console.log(`  no-op query: ${describe(noop)}`);
  const sqlite = await measureDatabase('sqlite', options);
  const postgres = options.postgres ? await measureDatabase('postgres', options) : null;
  const runs = [...sqlite.runs, ...(postgres?.runs ?? [])];
  const rows: Cell[][] = [
    ['no-op query (baseline)', '-', noop.rps, noop.latency.p50, noop.latency.p99, noop.errors, 1],
    ...runs.map((run): Cell[] => [
      `history, ${run.database}`,
      run.stored,
      run.load.rps,
      run.load.latency.p50,
      run.load.latency.p99,
      run.load.errors,
      ratio(run.load.rps, noop.rps),
    ]),
  ];
  const curve: Cell[][] = (['sqlite', 'postgres'] as const).flatMap((kind) => {
    const mine = runs.filter((run) => run.database === kind);
    return mine.length === 2
      ? [
          [
            kind,
            ratio(mine[1].load.rps, mine[0].load.rps),
            ratio(mine[1].load.latency.p99, mine[0].load.latency.p99),
          ],
        ]
      : [];
  });
  return {
    name: 'history',
    tables: [
      {
        title: `history: stack { notifications(first: 20) }, ${HTTP_CONNECTIONS} keep-alive connections, latency ms`,
        columns: ['operation', 'stored', 'req/s', 'p50', 'p99', 'errors', 'ratio to no-op'],
        rows,
      },
      ...(curve.length
        ? [
            {
              title: 'history cost curve: 100k over 10k stored notifications',
              columns: ['database', 'req/s', 'p99'],
              rows: curve,
            },
          ]
        : []),
    ],
    targets: [],
    data: { noop, runs, plans: { sqlite: sqlite.plan, postgres: postgres?.plan ?? null } },
    notes: [`SQLite plan of the page query: ${sqlite.plan.replace(/\n/g, '; ')}`],
  };
}
