// npm run bench [-- <name>...] [--quick] [--cpu-prof] [--no-postgres] [--subscribers 1000,5000,10000]
// [--separate-workers] [--rate 5]: runs the benchmarks (all by default), prints
// a table per benchmark with the ratio to its baseline, and writes bench/results/<name>.json.
import { parseArgs } from 'node:util';
import { delivery } from './benchmarks/delivery';
import { fanout } from './benchmarks/fanout';
import { history } from './benchmarks/history';
import { ingest } from './benchmarks/ingest';
import { latency } from './benchmarks/latency';
import { settings } from './benchmarks/settings';
import { postgresAvailable } from './lib/databases';
import type { RunOptions } from './lib/options';
import { loadAverage, machine, printResult, writeResult, type BenchmarkResult } from './lib/report';

const BENCHMARKS: Record<string, (options: RunOptions) => Promise<BenchmarkResult>> = {
  fanout,
  ingest,
  delivery,
  settings,
  history,
  latency,
};

async function main(): Promise<void> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      quick: { type: 'boolean', default: false },
      'cpu-prof': { type: 'boolean', default: false },
      'no-postgres': { type: 'boolean', default: false },
      subscribers: { type: 'string' },
      'separate-workers': { type: 'boolean', default: false },
      rate: { type: 'string' },
    },
  });
  const unknown = positionals.filter((name) => !(name in BENCHMARKS));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(BENCHMARKS).join(', ')}`);
    process.exit(2);
  }
  const names = positionals.length ? positionals : Object.keys(BENCHMARKS);
  const postgres = !values['no-postgres'] && (await postgresAvailable());
  if (!values['no-postgres'] && !postgres)
    console.warn('PostgreSQL is not reachable (BENCH_PG_URL): its variants are skipped');
  const subscribers = values.subscribers ? values.subscribers.split(',').map(Number) : null;
  if (subscribers?.some((count) => !Number.isInteger(count) || count < 1)) {
    console.error('--subscribers takes a comma-separated list of counts, e.g. 1000,5000');
    process.exit(2);
  }
  const rate = values.rate === undefined ? null : Number(values.rate);
  if (rate !== null && !(rate > 0 && rate <= 10_000)) {
    console.error('--rate takes events per second, e.g. 5');
    process.exit(2);
  }
  if (values['separate-workers'] && !postgres) {
    console.error('--separate-workers needs PostgreSQL (BENCH_PG_URL): SQLite serves one process');
    process.exit(2);
  }
  const options: RunOptions = {
    cpuProfile: values['cpu-prof'],
    quick: values.quick,
    postgres,
    subscribers,
    separateWorkers: values['separate-workers'],
    rate,
  };
  console.log(`machine: ${JSON.stringify(machine())}`);
  const started = performance.now();
  for (const name of names) {
    const startedAt = new Date();
    const t0 = performance.now();
    const before = loadAverage();
    console.log(`\n== ${name} == (load average ${before.join(' ')})`);
    const result = await BENCHMARKS[name](options);
    const seconds = (performance.now() - t0) / 1000;
    printResult(result);
    const file = writeResult(result, startedAt, seconds, before);
    console.log(
      `${name}: ${Math.round(seconds)} s, load average now ${loadAverage().join(' ')}, written to ${file}`,
    );
  }
  console.log(`\nall done in ${Math.round((performance.now() - started) / 1000)} s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
