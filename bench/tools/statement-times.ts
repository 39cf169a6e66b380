// Where a server's SQLite time goes, statement by statement: preloaded into the servers a benchmark starts, it times
// every run/all/get of better-sqlite3 (the database's own work, TypeORM's excluded) and, when the server stops,
// writes the heaviest statements to bench/profiles/statements-<name>-<pid>.txt (count, total, mean, SQL head).
// Usage: NODE_OPTIONS="--require ./dist/bench/tools/statement-times.js" npm run bench -- ingest --no-postgres
import fs from 'node:fs';
import path from 'node:path';

const script = process.argv[1] ?? '';
if (/app-server/.test(script)) {
  // Loaded from the server's own node_modules: the same module the server opens its database with.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof import('better-sqlite3');
  const statement = Object.getPrototypeOf(new Database(':memory:').prepare('SELECT 1')) as Record<
    string,
    (...args: unknown[]) => unknown
  >;
  const times = new Map<string, { count: number; nanos: bigint }>();
  for (const method of ['run', 'all', 'get']) {
    const original = statement[method];
    statement[method] = function timed(this: { source: string }, ...args: unknown[]) {
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const key = this.source.replace(/\s+/g, ' ').slice(0, 100);
        const entry = times.get(key) ?? { count: 0, nanos: 0n };
        entry.count += 1;
        entry.nanos += process.hrtime.bigint() - started;
        times.set(key, entry);
      }
    };
  }
  let written = false;
  const write = () => {
    if (written || times.size === 0) return;
    written = true;
    const rows = [...times].sort((a, b) => Number(b[1].nanos - a[1].nanos)).slice(0, 20);
    const lines = rows.map(([sql, { count, nanos }]) => {
      const totalMs = Number(nanos) / 1e6;
      const meanUs = Number(nanos) / 1e3 / count;
      return `${String(count).padStart(8)} ${totalMs.toFixed(0).padStart(7)} ms ${meanUs.toFixed(1).padStart(8)} us  ${sql}`;
    });
    const dir = path.resolve(__dirname, '../../../bench/profiles');
    fs.mkdirSync(dir, { recursive: true });
    const name = process.env.BENCH_SERVER_NAME ?? 'server';
    fs.writeFileSync(
      path.join(dir, `statements-${name}-${process.pid}.txt`),
      `   count   total       mean  statement\n${lines.join('\n')}\n`,
    );
  };
  process.on('exit', write);
  process.on('disconnect', write);
}
