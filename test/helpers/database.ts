// A fresh database per test server: a SQLite file in a temporary folder, or, when TEST_DATABASE_URL points at
// PostgreSQL, a new database created on that server and dropped afterwards, so runs never see each other's rows.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export interface TestDatabase {
  url: string;
  dir: string;
  kind: 'sqlite' | 'postgres';
  drop(): Promise<void>;
}

export function testDatabaseKind(): 'sqlite' | 'postgres' {
  return process.env.TEST_DATABASE_URL ? 'postgres' : 'sqlite';
}

/** A fresh database; `postgresAdminUrl` (default TEST_DATABASE_URL) picks PostgreSQL over SQLite. */
export async function createTestDatabase(
  postgresAdminUrl: string | undefined = process.env.TEST_DATABASE_URL,
): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-test-'));
  const admin = postgresAdminUrl;
  if (!admin) {
    return {
      url: `sqlite:${path.join(dir, 'notifications.sqlite')}`,
      dir,
      kind: 'sqlite',
      drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const name = `sn_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    dir,
    kind: 'postgres',
    drop: async () => {
      const dropper = new Client({ connectionString: admin });
      await dropper.connect();
      await dropper.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await dropper.end();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
