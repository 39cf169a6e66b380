// The PostgreSQL and Redis that scale-out tests need. Missing ones make those tests skipped, with one line saying so,
// except under CI=true, where a missing service is a failure.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

// Where test/global-setup.ts leaves the answer of its one probe for the test files of the run.
const PROBED = 'STACK_NOTIFICATIONS_TEST_SERVICES';

interface Probe {
  postgresUrl: string;
  redisUrl: string;
  postgres: boolean;
  redis: boolean;
}

/** Tries both services, synchronously: tests are defined before anything asynchronous could answer. */
export function probeServices(): Probe {
  const answer = execFileSync(
    process.execPath,
    [path.join(__dirname, 'probe-services.cjs'), POSTGRES_URL, REDIS_URL],
    { encoding: 'utf8', timeout: 10_000 },
  );
  return { postgresUrl: POSTGRES_URL, redisUrl: REDIS_URL, ...JSON.parse(answer) };
}

/** Probes once and passes the answer on to the test workers, which jest starts after its global setup. */
export function recordServices(): void {
  process.env[PROBED] = JSON.stringify(probeServices());
}

function probed(): Probe {
  const saved = process.env[PROBED];
  if (saved) {
    const probe: Probe = JSON.parse(saved);
    if (probe.postgresUrl === POSTGRES_URL && probe.redisUrl === REDIS_URL) return probe;
  }
  return probeServices();
}

/**
 * True when the services these tests need answer; otherwise prints which do not and answers false, for
 * `describe.skip`. Throws under CI=true when any is missing.
 */
export function servicesAvailable(needs: { postgres?: boolean; redis?: boolean }): boolean {
  const probe = probed();
  const missing: string[] = [];
  if (needs.postgres && !probe.postgres) missing.push(`PostgreSQL at ${POSTGRES_URL}`);
  if (needs.redis && !probe.redis) missing.push(`Redis at ${REDIS_URL}`);
  if (!missing.length) return true;
  if (process.env.CI === 'true') {
    throw new Error(`CI=true and these services are not running: ${missing.join(', ')}`);
  }
  // Straight to stderr: jest drops the console output of a file whose tests are all skipped.
  const { testPath } = expect.getState();
  const file = testPath ? path.relative(process.cwd(), testPath) : 'these tests';
  process.stderr.write(`skipping ${file}: ${missing.join(' and ')} not reachable\n`);
  return false;
}
