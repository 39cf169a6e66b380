// The bench side of a server process: tells the parent it is ready, reports its memory after a full GC and the CPU
// time it has used, answers
// questions (counters), and stops on request so a CPU profile is written on a clean exit.
import type { MemorySnapshot } from '../lib/processes';

export interface Control {
  url: string;
  close(): Promise<void>;
  answer?(question: string, args: unknown): unknown;
}

function collectGarbage(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  // Twice: the first pass may only promote what the second frees.
  gc?.();
  gc?.();
}

export function memorySnapshot(): MemorySnapshot {
  collectGarbage();
  const { rss, heapUsed, heapTotal, external } = process.memoryUsage();
  return { rss, heapUsed, heapTotal, external };
}

export function serveBenchControl(control: Control): void {
  if (!process.send) throw new Error('bench servers run as forked children with an IPC channel');
  process.on('message', (message: { type: string; id?: number; question?: string; args?: unknown }) => {
    switch (message.type) {
      case 'memory':
        process.send!({ type: 'memory', id: message.id, memory: memorySnapshot() });
        return;
      case 'cpu': {
        const { user, system } = process.cpuUsage();
        process.send!({ type: 'cpu', id: message.id, cpuMicros: user + system });
        return;
      }
      case 'ask':
        Promise.resolve(control.answer?.(message.question ?? '', message.args)).then(
          (value) => process.send!({ type: 'reply', id: message.id, value }),
          (error: unknown) =>
            process.send!({ type: 'reply', id: message.id, value: { error: String(error) } }),
        );
        return;
      case 'stop':
        control.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
        return;
    }
  });
  // The parent died: do not linger.
  process.on('disconnect', () => process.exit(0));
  process.send({ type: 'ready', url: control.url });
}
