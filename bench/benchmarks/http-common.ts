// Shared by the HTTP benchmarks: the service and the no-op Apollo baseline under the same closed-loop load.
import {
  bootstrapAccount,
  postgresDatabase,
  serverEnv,
  sqliteDatabase,
  type BenchDatabase,
} from '../lib/databases';
import { closedLoop, expectField, type LoadResult } from '../lib/http-load';
import type { RunOptions } from '../lib/options';
import type { Cell } from '../lib/report';
import { ratio } from '../lib/stats';
import { startServer, type ServerHandle } from '../lib/processes';

/** Connections of the closed-loop HTTP load: enough to keep two cores busy, few enough to show latency. */
export const HTTP_CONNECTIONS = 10;

export function loadTimes(options: RunOptions): { durationMs: number; warmupMs: number } {
  return options.quick ? { durationMs: 3000, warmupMs: 1000 } : { durationMs: 10_000, warmupMs: 2000 };
}

export interface AppUnderTest {
  server: ServerHandle;
  database: BenchDatabase;
  token: string;
  accountId: string;
  stop(): Promise<void>;
}

export async function startApp(
  kind: 'sqlite' | 'postgres',
  name: string,
  options: RunOptions,
  env: Record<string, string> = {},
): Promise<AppUnderTest> {
  const database = kind === 'sqlite' ? sqliteDatabase() : await postgresDatabase();
  try {
    const { token, accountId } = bootstrapAccount(database);
    const server = await startServer(name, 'app-server', {
      env: serverEnv(database, { WORKERS: '0', ...env }),
      cpuProfile: options.cpuProfile,
    });
    return {
      server,
      database,
      token,
      accountId,
      async stop() {
        await server.stop();
        await database.drop();
      },
    };
  } catch (error) {
    await database.drop();
    throw error;
  }
}

/** The no-op baseline: Apollo Server + express 5 answering `noop` (query or mutation) with no work behind it. */
export async function measureNoop(operation: 'query' | 'mutation', options: RunOptions): Promise<LoadResult> {
  const server = await startServer('noop-apollo', 'noop-apollo', {
    env: { NODE_ENV: 'production' },
    cpuProfile: options.cpuProfile,
  });
  try {
    return await closedLoop({
      url: server.url,
      body: JSON.stringify({ query: `${operation} { noop }` }),
      connections: HTTP_CONNECTIONS,
      check: expectField('noop'),
      serverCpuMicros: () => server.cpuMicros(),
      ...loadTimes(options),
    });
  } finally {
    await server.stop();
  }
}

export function describe(load: LoadResult): string {
  const cpu = load.cpuMicrosPerRequest === null ? '' : `, server CPU ${load.cpuMicrosPerRequest} us/req`;
  return `${load.rps} req/s, p50 ${load.latency.p50} ms, p99 ${load.latency.p99} ms${cpu}, ${load.errors} errors`;
}

/** The columns of a table of closed-loop loads against the no-op baseline (see loadRow). */
export const LOAD_COLUMNS = [
  'operation',
  'req/s',
  'p50',
  'p99',
  'errors',
  'ratio to no-op',
  'server CPU us/req',
  'CPU ratio (no-op / ours)',
];

/** One row under LOAD_COLUMNS; the no-op itself is the row with ratios of 1. */
export function loadRow(name: string, load: LoadResult, noop: LoadResult): Cell[] {
  return [
    name,
    load.rps,
    load.latency.p50,
    load.latency.p99,
    load.errors,
    load === noop ? 1 : ratio(load.rps, noop.rps),
    load.cpuMicrosPerRequest,
    load === noop ? 1 : cpuRatio(noop, load),
  ];
}

/** How many of ours one no-op request's server CPU time buys: the req/s ratio with the noise of the machine removed. */
export function cpuRatio(noop: LoadResult, ours: LoadResult): number | null {
  if (!noop.cpuMicrosPerRequest || !ours.cpuMicrosPerRequest) return null;
  return ratio(noop.cpuMicrosPerRequest, ours.cpuMicrosPerRequest);
}
