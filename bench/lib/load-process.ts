// The parent's side of the fan-out load process (dist/bench/load/fanout-load.js).
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import type { LoadCommand } from '../load/fanout-load';
import { BENCH_DIST, REPO_ROOT } from './processes';

export interface LoadProcess {
  request<T>(command: LoadCommand, answer: string, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

export function startLoadProcess(): LoadProcess {
  const child: ChildProcess = fork(path.join(BENCH_DIST, 'load', 'fanout-load.js'), [], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    request<T>(command: LoadCommand, answer: string, timeoutMs = 180_000): Promise<T> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          child.off('message', listener);
          reject(new Error(`load process did not answer ${command.type} within ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (message: { type: string; error?: string }) => {
          if (message.type !== answer && message.type !== 'error') return;
          clearTimeout(timer);
          child.off('message', listener);
          if (message.type === 'error') reject(new Error(`load process: ${message.error}`));
          else resolve(message as T);
        };
        child.on('message', listener);
        child.send(command);
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.disconnect();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
