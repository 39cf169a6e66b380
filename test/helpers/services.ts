// The PostgreSQL and Redis that scale-out tests need. Missing ones skip those tests with one line saying so, except
// under CI=true, where a missing service is a failure.
import net from 'node:net';
import { Client } from 'pg';

export const POSTGRES_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

async function postgresReachable(): Promise<boolean> {
  const client = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

function redisReachable(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(2000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

/** Resolves to the missing services' names; throws under CI=true when any is missing. */
export async function missingServices(needs: { postgres?: boolean; redis?: boolean }): Promise<string[]> {
  const missing: string[] = [];
  if (needs.postgres && !(await postgresReachable())) missing.push(`PostgreSQL at ${POSTGRES_URL}`);
  if (needs.redis && !(await redisReachable())) missing.push(`Redis at ${REDIS_URL}`);
  if (missing.length && process.env.CI === 'true') {
    throw new Error(`CI=true and these services are not running: ${missing.join(', ')}`);
  }
  if (missing.length) console.log(`skipping scale-out tests: ${missing.join(' and ')} not reachable`);
  return missing;
}
