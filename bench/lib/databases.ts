// Fresh databases per benchmark: a SQLite file in a temporary directory, or a PostgreSQL database created for the
// run and dropped after it.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { REPO_ROOT } from './processes';

export const DEFAULT_PG_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  kind: 'sqlite' | 'postgres';
  url: string;
  /** DATA_DIR for the server (mail files, the SQLite file). */
  dataDir: string;
  drop(): Promise<void>;
}

let counter = 0;

export function sqliteDatabase(): BenchDatabase {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-bench-'));
  return {
    kind: 'sqlite',
    url: `sqlite:${path.join(dataDir, 'notifications.sqlite')}`,
    dataDir,
    async drop() {
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** BENCH_PG_URL names the server (any database on it, for CREATE/DROP DATABASE). */
export async function postgresDatabase(): Promise<BenchDatabase> {
  const admin = process.env.BENCH_PG_URL ?? DEFAULT_PG_URL;
  counter += 1;
  const name = `sn_bench_${process.pid}_${counter}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sn-bench-pg-'));
  return {
    kind: 'postgres',
    url: url.toString(),
    dataDir,
    async drop() {
      const dropper = new Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function postgresAvailable(): Promise<boolean> {
  const client = new Client({
    connectionString: process.env.BENCH_PG_URL ?? DEFAULT_PG_URL,
    connectionTimeoutMillis: 2000,
  });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

/**
 * The abuse limits (rates per token and address, subscriptions, connections per IP) are raised far above the load:
 * the benchmarks measure how fast the service does the work, not where the limiter stops a client. The limiters
 * still run on every request, so their cost is in the figures.
 */
export const UNLIMITED_ENV: Record<string, string> = {
  RATE_LIMIT_SETTINGS_PER_SECOND: '1000000',
  RATE_LIMIT_SETTINGS_BURST: '1000000',
  RATE_LIMIT_PUBLISH_PER_SECOND: '1000000',
  RATE_LIMIT_PUBLISH_BURST: '1000000',
  SUBSCRIPTIONS_PER_TOKEN: '1000000',
  SUBSCRIPTIONS_PER_ACCOUNT: '1000000',
  WS_CONNECTIONS_PER_MINUTE: '1000000',
  WS_CONNECTIONS_PER_ADDRESS: '1000000',
  RATE_LIMIT_ANONYMOUS_PER_SECOND: '1000000',
  RATE_LIMIT_ANONYMOUS_BURST: '1000000',
};

/** Production mode needs a key for secrets at rest; one per bench run is enough. */
const SECRET_KEY = randomBytes(32).toString('base64');

/** Environment every server under test (and the CLI) gets: production mode, silent logs, loopback targets allowed. */
export function serverEnv(
  database: BenchDatabase,
  extra: Record<string, string> = {},
): Record<string, string> {
  return {
    ...UNLIMITED_ENV,
    SECRET_KEY,
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: database.url,
    DATA_DIR: database.dataDir,
    LOG_LEVEL: 'silent',
    LOCAL_MODE: 'false',
    NODE_ENV: 'production',
    ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
    ...extra,
  };
}

/** Bootstraps an account with the operators' CLI against the benchmark database; returns its owner's token. */
export function bootstrapAccount(
  database: BenchDatabase,
  account = 'bench',
): { accountId: string; userId: string; token: string } {
  const output = execFileSync(
    process.execPath,
    [
      path.join(REPO_ROOT, 'dist/src/cli.js'),
      'bootstrap',
      '--account',
      account,
      '--email',
      `owner@${account}.test`,
      '--json',
    ],
    { cwd: REPO_ROOT, env: { ...process.env, ...serverEnv(database) }, encoding: 'utf8' },
  );
  return JSON.parse(output.trim().split('\n').pop()!) as { accountId: string; userId: string; token: string };
}
