// Servers under test run as separate processes (forked with an IPC channel): the load never shares their event loop.
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

/** dist/bench, where the compiled server entry points live. */
export const BENCH_DIST = path.resolve(__dirname, '..');
export const REPO_ROOT = path.resolve(__dirname, '../../..');

export interface MemorySnapshot {
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** Messages a bench server sends to its parent. */
export type ServerMessage =
  | { type: 'ready'; url: string }
  | { type: 'memory'; id: number; memory: MemorySnapshot }
  | { type: 'cpu'; id: number; cpuMicros: number }
  | { type: 'reply'; id: number; value: unknown };

export interface ServerHandle {
  name: string;
  url: string;
  child: ChildProcess;
  memory(): Promise<MemorySnapshot>;
  /** CPU time (user + system) the server process has used so far, in microseconds. */
  cpuMicros(): Promise<number>;
  /** Asks the server for a value it exposes to the bench (e.g. a receiver's counters). */
  ask<T>(question: string, args?: unknown, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

let nextId = 1;
const STARTUP_TIMEOUT_MS = 60_000;

export interface StartOptions {
  env?: Record<string, string>;
  /** Write a V8 CPU profile of the server into bench/profiles when it exits. */
  cpuProfile?: boolean;
}

/** Forks dist/bench/servers/<entry>.js and waits for its `ready` message. */
export async function startServer(
  name: string,
  entry: string,
  options: StartOptions = {},
): Promise<ServerHandle> {
  const execArgv = ['--expose-gc'];
  if (options.cpuProfile) {
    execArgv.push(
      '--cpu-prof',
      `--cpu-prof-dir=${path.join(REPO_ROOT, 'bench/profiles')}`,
      `--cpu-prof-name=${name}-${Date.now()}.cpuprofile`,
    );
  }
  const child = fork(path.join(BENCH_DIST, 'servers', `${entry}.js`), [], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env, BENCH_SERVER_NAME: name },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const pending = new Map<number, (message: ServerMessage) => void>();
  child.on('message', (message: ServerMessage) => {
    if ('id' in message) {
      pending.get(message.id)?.(message);
      pending.delete(message.id);
    }
  });
  const ready = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name} did not start within ${STARTUP_TIMEOUT_MS} ms`)),
      STARTUP_TIMEOUT_MS,
    );
    child.on('message', (message: ServerMessage) => {
      if (message.type === 'ready') {
        clearTimeout(timer);
        resolve(message.url);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited with code ${code} before it was ready`));
    });
  });
  const request = (message: Record<string, unknown>, timeoutMs = 60_000): Promise<ServerMessage> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${name} did not answer ${String(message.type)}`)),
        timeoutMs,
      );
      pending.set(id, (answer) => {
        clearTimeout(timer);
        resolve(answer);
      });
      child.send({ ...message, id });
    });
  };
  return {
    name,
    url: ready,
    child,
    async memory() {
      const answer = await request({ type: 'memory' });
      return (answer as { memory: MemorySnapshot }).memory;
    },
    async cpuMicros() {
      const answer = await request({ type: 'cpu' });
      return (answer as { cpuMicros: number }).cpuMicros;
    },
    async ask<T>(question: string, args?: unknown, timeoutMs?: number) {
      const answer = await request({ type: 'ask', question, args }, timeoutMs);
      return (answer as { value: T }).value;
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.send({ type: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
