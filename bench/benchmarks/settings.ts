// Benchmark 4, settings read: `stack { channels preferences }` (six channels, the 14 x 6 matrix) under a steady
// closed-loop load. Baseline: the no-op query on the same Apollo Server setup. Measured twice: as configured by
// default (repeated reads answered from the settings cache, each checked against the stack's settings_version), and
// with SETTINGS_CACHE_ENTRIES=0, the cost of every first read after a change.
import { stackWithAllChannels } from '../lib/fixtures';
import { closedLoop, expectField, type LoadResult } from '../lib/http-load';
import type { RunOptions } from '../lib/options';
import type { BenchmarkResult } from '../lib/report';
import { ratio } from '../lib/stats';
import {
  describe,
  HTTP_CONNECTIONS,
  LOAD_COLUMNS,
  loadRow,
  loadTimes,
  measureNoop,
  startApp,
} from './http-common';

export const SETTINGS_QUERY = `query Settings($id: ID!) {
  stack(id: $id) {
    id name
    channels { kind scope configured enabled }
    preferences { key description cells { channel enabled scope isDefault } }
  }
}`;

async function measure(label: string, options: RunOptions, env: Record<string, string>): Promise<LoadResult> {
  const app = await startApp(
    'sqlite',
    `app-settings${env.SETTINGS_CACHE_ENTRIES === '0' ? '-uncached' : ''}`,
    options,
    env,
  );
  try {
    const { stackId } = await stackWithAllChannels(app.server.url, app.token, 'http://127.0.0.1:9');
    const load = await closedLoop({
      url: app.server.url,
      headers: { authorization: `Bearer ${app.token}` },
      body: JSON.stringify({ query: SETTINGS_QUERY, variables: { id: stackId } }),
      connections: HTTP_CONNECTIONS,
      check: expectField('preferences'),
      serverCpuMicros: () => app.server.cpuMicros(),
      ...loadTimes(options),
    });
    console.log(`  ${label}: ${describe(load)}`);
    return load;
  } finally {
    await app.stop();
  }
}

export async function settings(options: RunOptions): Promise<BenchmarkResult> {
  const noop = await measureNoop('query', options);
  console.log(`  no-op query: ${describe(noop)}`);
  const load = await measure('settings read', options, {});
  const uncached = await measure('settings read, cache off', options, { SETTINGS_CACHE_ENTRIES: '0' });
  const value = ratio(load.rps, noop.rps);
  return {
    name: 'settings',
    tables: [
      {
        title: `settings read: stack { channels preferences } on SQLite, ${HTTP_CONNECTIONS} keep-alive connections, latency ms`,
        columns: LOAD_COLUMNS,
        rows: [
          loadRow('no-op query (baseline)', noop, noop),
          loadRow('stack { channels preferences }', load, noop),
          loadRow('same, SETTINGS_CACHE_ENTRIES=0', uncached, noop),
        ],
      },
    ],
    targets: [
      {
        name: 'settings read req/s vs no-op',
        wants: '>= 0.6 x no-op',
        value,
        met: load.rps >= 0.6 * noop.rps,
      },
    ],
    data: { noop, load, uncached },
    notes: [load.firstError, uncached.firstError]
      .filter((error): error is string => Boolean(error))
      .map((error) => `first error: ${error}`),
  };
}
