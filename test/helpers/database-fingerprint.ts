// The row count and a content hash of every table, to show that refused requests wrote nothing. Run it against a
// server with WORKERS=0, so no delivery worker moves rows in between.
import { createHash } from 'node:crypto';
import type { DataSource } from 'typeorm';

export type DatabaseFingerprint = Record<string, { rows: number; sha256: string }>;

/** Written by successful authentication (at most once a minute), not by what a request asked for. */
const IGNORED_COLUMNS = new Set(['last_used_at']);

export async function tableNames(dataSource: DataSource): Promise<string[]> {
  const rows: { name: string }[] =
    dataSource.options.type === 'postgres'
      ? await dataSource.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`)
      : await dataSource.query(
          `SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`,
        );
  return rows.map((row) => row.name).sort();
}

export async function databaseFingerprint(dataSource: DataSource): Promise<DatabaseFingerprint> {
  const fingerprint: DatabaseFingerprint = {};
  for (const table of await tableNames(dataSource)) {
    const rows = (await dataSource.query(`SELECT * FROM "${table}"`)) as Record<string, unknown>[];
    const lines = rows
      .map((row) => JSON.stringify(Object.entries(row).filter(([column]) => !IGNORED_COLUMNS.has(column))))
      .sort();
    fingerprint[table] = {
      rows: rows.length,
      sha256: createHash('sha256').update(lines.join('\n')).digest('hex'),
    };
  }
  return fingerprint;
}
