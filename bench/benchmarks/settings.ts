// Benchmark 4, settings read: `stack { channels preferences }` (six channels, the 14 x 6 matrix) under a steady
// closed-loop load. Baseline: the no-op query on the same Apollo Server setup.
import { stackWithAllChannels } from '../lib/fixtures';
import { closedLoop, expectField } from '../lib/http-load';
import type { RunOptions } from '../lib/options';
import type { BenchmarkResult } from '../lib/report';
import { ratio } from '../lib/stats';
import { cpuRatio, describe, HTTP_CONNECTIONS, loadTimes, measureNoop, startApp } from './http-common';

export const SETTINGS_QUERY = `query Settings($id: ID!) {
  stack(id: $id) {
    id name
    channels { kind scope configured enabled }
    preferences { key description cells { channel enabled scope isDefault } }
  }
}`;

export async function settings(options: RunOptions): Promise<BenchmarkResult> {
  const noop = await measureNoop('query', options);
  console.log(`  no-op query: ${describe(noop)}`);
  const app = await startApp('sqlite', 'app-settings', options);
  let load;
  try {
    const { stackId } = await stackWithAllChannels(app.server.url, app.token, 'http://127.0.0.1:9');
    load = await closedLoop({
      url: app.server.url,
      headers: { authorization: `Bearer ${app.token}` },
      body: JSON.stringify({ query: SETTINGS_QUERY, variables: { id: stackId } }),
      connections: HTTP_CONNECTIONS,
      check: expectField('preferences'),
      serverCpuMicros: () => app.server.cpuMicros(),
      ...loadTimes(options),
    });
    console.log(`  settings read: ${describe(load)}`);
  } finally {
    await app.stop();
  }
  const value = ratio(load.rps, noop.rps);
  return {
    name: 'settings',
    tables: [
      {
        title: `settings read: stack { channels preferences } on SQLite, ${HTTP_CONNECTIONS} keep-alive connections, latency ms`,
        columns: [
          'operation',
          'req/s',
          'p50',
          'p99',
          'errors',
          'ratio to no-op',
          'server CPU us/req',
          'CPU ratio (no-op / ours)',
        ],
        rows: [
          [
            'no-op query (baseline)',
            noop.rps,
            noop.latency.p50,
            noop.latency.p99,
            noop.errors,
            1,
            noop.cpuMicrosPerRequest,
            1,
          ],
          [
            'stack { channels preferences }',
            load.rps,
            load.latency.p50,
            load.latency.p99,
            load.errors,
            value,
            load.cpuMicrosPerRequest,
            cpuRatio(noop, load),
          ],
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
    data: { noop, load },
    notes: load.firstError ? [`first error: ${load.firstError}`] : [],
  };
}
