// Builds the page into web/dist for the browser tests when it is missing or older than its sources. Jest runs test
// files in parallel workers, so the build holds a lock that the other workers wait on.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const WEB = path.join(ROOT, 'web');
const DIST = path.join(WEB, 'dist');
const OUTPUTS = [path.join(DIST, 'index.html'), path.join(DIST, 'sw.js')];
const SOURCES = [
  path.join(WEB, 'index.html'),
  path.join(WEB, 'vite.config.mts'),
  path.join(WEB, 'src'),
  path.join(WEB, 'public'),
];
const LOCK = path.join(
  os.tmpdir(),
  `stack-notifications-page-build-${createHash('sha1').update(ROOT).digest('hex').slice(0, 12)}`,
);
/** A lock older than this was left by a killed run. */
const STALE_LOCK_MS = 5 * 60_000;
const WAIT_STEP_MS = 200;

function newestChange(entry: string): number {
  const stat = fs.statSync(entry, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...fs.readdirSync(entry).map((name) => newestChange(path.join(entry, name))));
}

function pageIsFresh(): boolean {
  const built = OUTPUTS.map((file) => fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? 0);
  return Math.min(...built) >= Math.max(...SOURCES.map(newestChange));
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function acquireLock(): void {
  for (;;) {
    try {
      fs.mkdirSync(LOCK);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const age = Date.now() - (fs.statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > STALE_LOCK_MS) fs.rmSync(LOCK, { recursive: true, force: true });
      else sleep(WAIT_STEP_MS);
    }
  }
}

/** Runs `vite build` (the type check is `npm run build:web`'s and CI's job) unless web/dist is up to date. */
export function buildPageIfStale(): void {
  if (pageIsFresh()) return;
  acquireLock();
  try {
    if (pageIsFresh()) return;
    const vite = path.join(path.dirname(require.resolve('vite/package.json')), 'bin', 'vite.js');
    execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn', '-c', 'web/vite.config.mts'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
  } finally {
    fs.rmSync(LOCK, { recursive: true, force: true });
  }
}
