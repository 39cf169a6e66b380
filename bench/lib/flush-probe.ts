// The disk's own share of a durable commit, measured beside a benchmark: an 8 KiB write and fdatasync every 50 ms
// on a file in the temporary folder (or BENCH_FLUSH_DIR: put it on the database's disk when that is another one),
// the way PostgreSQL flushes its WAL at each commit. A commit cannot be answered
// sooner than its flush, so a flush that stalls for 300 ms stalls every commit waiting on it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { summarize, type LatencySummary } from './stats';

export interface FlushProbe {
  stop(): Promise<LatencySummary>;
}

export async function startFlushProbe(intervalMs = 50): Promise<FlushProbe> {
  const dir = fs.mkdtempSync(path.join(process.env.BENCH_FLUSH_DIR ?? os.tmpdir(), 'sn-bench-flush-'));
  const file = await fs.promises.open(path.join(dir, 'probe'), 'w');
  const block = Buffer.alloc(8192, 1);
  const times: number[] = [];
  let running = true;
  const loop = (async () => {
    for (let count = 0; running; count++) {
      const start = performance.now();
      await file.write(block, 0, block.length, (count % 128) * block.length);
      await file.datasync();
      times.push(performance.now() - start);
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      await file.close();
      fs.rmSync(dir, { recursive: true, force: true });
      return summarize(times);
    },
  };
}
