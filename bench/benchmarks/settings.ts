// Benchmark 4, settings read: the query the page sends when it opens a stack (its personal and shared channels, the
// 14 x 6 matrix with a cell per channel) on SQLite, as 10 people opening the page at once ask for it: a closed loop of 10 keep-alive clients, each sending its
// next read as soon as its previous answer arrived. What counts is the latency each of them sees (p99); req/s and
// the server's CPU per read are reported beside it, with the no-op query on the same Apollo Server setup for scale.
import { stackWithAllChannels } from '../lib/fixtures';
import { closedLoop, expectField } from '../lib/http-load';
import type { RunOptions } from '../lib/options';
import type { BenchmarkResult } from '../lib/report';
import {
  describe,
  HTTP_CONNECTIONS,
  LOAD_COLUMNS,
  loadRow,
  loadTimes,
  measureNoop,
  startApp,
} from './http-common';

/** What the page reads when it opens a stack's settings (web/src/graphql/settings.graphql, StackSettings). */
export const SETTINGS_QUERY = `query Settings($id: ID!) {
  stack(id: $id) {
    id name environment
    personalChannels { id channelId kind name scope configured enabled disabledReason }
    sharedChannels { id channelId kind name scope configured enabled disabledReason }
    preferences { id eventType key title group channelCells { channel channelId enabled } }
  }
}`;

/** The settings read's p99 at HTTP_CONNECTIONS concurrent clients must stay under this. */
export const SETTINGS_P99_TARGET_MS = 20;

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
  return {
    name: 'settings',
    tables: [
      {
        title: `settings read: the page's StackSettings query (its channels and the event x channel matrix) on SQLite, ${HTTP_CONNECTIONS} concurrent clients (closed loop), latency ms`,
        columns: LOAD_COLUMNS,
        rows: [
          loadRow('no-op query (for scale)', noop, noop),
          loadRow('StackSettings (the page)', load, noop),
        ],
      },
    ],
    targets: [
      {
        name: `settings read p99 at ${HTTP_CONNECTIONS} concurrent clients, ms`,
        wants: `< ${SETTINGS_P99_TARGET_MS} ms`,
        value: load.latency.p99,
        met: load.errors === 0 && load.latency.p99 < SETTINGS_P99_TARGET_MS,
      },
    ],
    data: { noop, load },
    notes: load.firstError ? [`first error: ${load.firstError}`] : [],
  };
}
