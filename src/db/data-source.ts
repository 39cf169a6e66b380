// The TypeORM DataSource for either supported database, with every entity and migration registered: the one
// definition that the server, the command line and TypeORM's CLI (the top-level ormconfig.ts) use.
import { DataSource, type DataSourceOptions } from 'typeorm';
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig } from '../config';
import { entities } from './entities';
import { migrations } from './migrations';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer } from './sqlite-checkpointer';

export function dataSourceOptions(database: DatabaseConfig): DataSourceOptions {
  const common = { entities, migrations, migrationsRun: false, synchronize: false, logging: false } as const;
  if (database.type === 'sqlite') {
    return {
      ...common,
      type: 'better-sqlite3',
      database: database.path,
      // WAL lets readers proceed while the single writer commits; foreign keys are off by default in SQLite.
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('journal_mode = WAL');
        db.pragma('synchronous = NORMAL');
        db.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
        db.pragma('busy_timeout = 5000');
        db.pragma('foreign_keys = ON');
      },
    };
  }
  return { ...common, type: 'postgres', url: database.url, extra: { max: 10 } };
}

/**
 * better-sqlite3 is one connection, and TypeORM does not queue transactions on it: two that overlap (e.g. a worker
 * recording several attempts started in the same tick) fail with "cannot start a transaction within a
 * transaction". On SQLite, transactions therefore take turns. Code inside a transaction uses the manager it was
 * given and never opens another through the DataSource: that one would wait for the first to end, which waits for
 * it. (The queue does not tell a nested call from a concurrent one by an AsyncLocalStorage: on Node 20 that turns on
 * promise hooks for every promise of the process, at a cost given in BENCHMARKS.md.)
 */
function serializeTransactions(dataSource: DataSource): void {
  const { manager } = dataSource;
  const transaction = manager.transaction.bind(manager) as (...args: unknown[]) => Promise<unknown>;
  let tail: Promise<unknown> = Promise.resolve();
  manager.transaction = ((...args: unknown[]) => {
    const turn = tail.then(() => transaction(...args));
    tail = turn.catch(() => undefined);
    return turn;
  }) as typeof manager.transaction;
}

export function createDataSource(database: DatabaseConfig): DataSource {
  if (database.type === 'sqlite' && database.path !== ':memory:') {
    fs.mkdirSync(path.dirname(database.path), { recursive: true });
  }
  const dataSource = new DataSource(dataSourceOptions(database));
  if (database.type === 'sqlite') serializeTransactions(dataSource);
  return dataSource;
}

/** Connects and applies pending migrations in one transaction. */
export async function openDatabase(
  database: DatabaseConfig,
  options: { migrate: boolean },
): Promise<DataSource> {
  const dataSource = createDataSource(database);
  await dataSource.initialize();
  if (options.migrate) await dataSource.runMigrations({ transaction: 'all' });
  if (database.type === 'sqlite' && database.path !== ':memory:') {
    const checkpointer = startCheckpointer(database.path);
    const destroy = dataSource.destroy.bind(dataSource);
    dataSource.destroy = async () => {
      await checkpointer.stop();
      await destroy();
    };
  }
  return dataSource;
}
