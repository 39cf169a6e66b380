// A closed-loop HTTP load: `connections` keep-alive connections, each sending its next request as soon as the
// previous answer arrived, for a fixed time. Bounded in time; loopback only.
import { Pool } from 'undici';
import { Samples, summarize, round, type LatencySummary } from './stats';

export interface LoadOptions {
  url: string;
  /** A JSON body; a function gets the request's sequence number (e.g. to vary the payload). */
  body: string | ((seq: number) => string);
  headers?: Record<string, string>;
  connections: number;
  durationMs: number;
  /** Requests in this first stretch are sent but not counted (JIT, caches, connection setup). */
  warmupMs: number;
  /** Returns an error description when an answer is not what the operation should return. */
  check?: (status: number, body: string) => string | null;
  /** The server's CPU time so far (ServerHandle.cpuMicros), sampled as the measured stretch starts and ends. */
  serverCpuMicros?: () => Promise<number>;
}

export interface LoadResult {
  requests: number;
  errors: number;
  firstError: string | null;
  rps: number;
  latency: LatencySummary;
  /**
   * Server CPU time per request answered in the measured stretch, in microseconds. Unlike req/s it hardly moves
   * when other work shares the machine, so it compares runs made at different times.
   */
  cpuMicrosPerRequest: number | null;
}

export async function closedLoop(options: LoadOptions): Promise<LoadResult> {
  const url = new URL(options.url);
  const pool = new Pool(url.origin, { connections: options.connections, pipelining: 1 });
  const headers = { 'content-type': 'application/json', ...options.headers };
  const samples = new Samples();
  let seq = 0;
  let errors = 0;
  let firstError: string | null = null;
  let counted = 0;
  const start = performance.now();
  const measureFrom = start + options.warmupMs;
  const end = measureFrom + options.durationMs;
  let answeredInWindow = 0;
  const cpuAtStart = options.serverCpuMicros
    ? new Promise<number>((resolve, reject) =>
        setTimeout(() => options.serverCpuMicros!().then(resolve, reject), options.warmupMs),
      )
    : null;

  async function connection(): Promise<void> {
    while (performance.now() < end) {
      const body = typeof options.body === 'string' ? options.body : options.body(seq);
      seq += 1;
      const sentAt = performance.now();
      let problem: string | null;
      try {
        const response = await pool.request({ path: url.pathname, method: 'POST', headers, body });
        const text = await response.body.text();
        problem =
          options.check?.(response.statusCode, text) ??
          (response.statusCode === 200 ? null : `HTTP ${response.statusCode}: ${text.slice(0, 200)}`);
      } catch (error) {
        problem = String(error);
      }
      const doneAt = performance.now();
      if (doneAt >= measureFrom && doneAt <= end) answeredInWindow += 1;
      if (sentAt < measureFrom || doneAt > end) continue;
      counted += 1;
      samples.push(doneAt - sentAt);
      if (problem) {
        errors += 1;
        firstError ??= problem;
      }
    }
  }

  await Promise.all(Array.from({ length: options.connections }, () => connection()));
  let cpuMicrosPerRequest: number | null = null;
  if (cpuAtStart) {
    const used = (await options.serverCpuMicros!()) - (await cpuAtStart);
    cpuMicrosPerRequest = round(used / Math.max(1, answeredInWindow), 0);
  }
  await pool.close();
  return {
    requests: counted,
    errors,
    firstError,
    rps: round(counted / (options.durationMs / 1000), 0),
    latency: summarize(samples.values()),
    cpuMicrosPerRequest,
  };
}

/** A check for GraphQL answers: 200, no errors, and the expected field in data. */
export function expectField(field: string): (status: number, body: string) => string | null {
  const marker = `"${field}":`;
  return (status, body) => {
    if (status !== 200) return `HTTP ${status}: ${body.slice(0, 200)}`;
    if (body.includes('"errors"') || !body.includes(marker)) return body.slice(0, 300);
    return null;
  };
}
