// Options every benchmark receives from bench/run.ts.
export interface RunOptions {
  /** Write V8 CPU profiles of the servers under test into bench/profiles. */
  cpuProfile: boolean;
  /** Shorter phases, for trying the scripts out; figures are noisier. */
  quick: boolean;
  /** Run the PostgreSQL variants (when a server answers at BENCH_PG_URL). */
  postgres: boolean;
  /** Fan-out sizes to run (default 1,000, 5,000 and 10,000; --quick: 1,000). */
  subscribers: number[] | null;
  /** Latency: also measure an API instance with WORKERS=0 and a separate worker process (PostgreSQL only). */
  separateWorkers: boolean;
  /** Latency: events per second (default 100). */
  rate: number | null;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
