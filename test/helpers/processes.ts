// The server and delivery workers as real processes (node dist/...), for crash, restart and scale-out tests.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

export interface ServiceProcess {
  child: ChildProcess;
  /** The GraphQL URL of server processes; the base URL of a worker process's health and metrics. */
  url: string;
  output(): string;
  /** Sends a signal and waits for the process to exit; resolves with its exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | string>;
  exited: Promise<number | string>;
}

function start(
  script: string,
  env: Record<string, string>,
  ready: RegExp,
  timeoutMs: number,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'src', script)], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', LOCAL_MODE: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) =>
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown')),
  );
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          child,
          url: match[1] ?? '',
          output: () => output,
          exited,
          async stop(signal: NodeJS.Signals = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code} before it was ready:\n${output}`));
    });
  });
}

export function startServerProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<ServiceProcess> {
  return start(
    'main.js',
    { PORT: '0', HOST: '127.0.0.1', ...env },
    /listening on (http:\/\/\S+\/graphql)/,
    timeoutMs,
  );
}

export function startWorkerProcess(env: Record<string, string>, timeoutMs = 20_000): Promise<ServiceProcess> {
  return start(
    'worker.js',
    { WORKER_HTTP_PORT: '0', WORKER_HTTP_HOST: '127.0.0.1', ...env },
    /delivery worker started.* on (http:\/\/\S+)/,
    timeoutMs,
  );
}
