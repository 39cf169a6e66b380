// WAL checkpoints on a thread of their own. SQLite's automatic checkpoint runs inside the commit that crosses its
// threshold: that commit copies about a thousand pages into the database file and syncs both files, which stalls the
// event loop (every request, every WebSocket message) for milliseconds. Here a worker thread with its own connection
// runs a PASSIVE checkpoint, which never blocks the writer, a few times a second; the writer's automatic checkpoint
// stays on with a larger threshold, so the WAL is still bounded if the thread ever falls behind.
import { Worker } from 'node:worker_threads';

/** Pages the WAL may hold before a commit on the main connection checkpoints anyway (SQLite's default is 1000). */
export const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;
const INTERVAL_MS = 200;

// Plain JavaScript run with `eval`, so it works from the TypeScript sources under test and from dist/ alike.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require('better-sqlite3');
const db = new Database(workerData.path);
db.pragma('busy_timeout = 1000');
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch (error) {
    // Busy or locked: the next turn tries again.
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(databasePath: string): Checkpointer {
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { path: databasePath, intervalMs: INTERVAL_MS },
  });
  // The thread never keeps the process alive; a process exiting without stop() loses nothing (the WAL is durable).
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  // A thread that failed (the file could not be opened) leaves checkpoints to the writer's fallback threshold.
  worker.on('error', () => undefined);
  return {
    stop() {
      // Held while it stops: a process with nothing else to do would otherwise exit before stop() resolves.
      worker.ref();
      worker.postMessage('stop');
      return exited;
    },
  };
}
