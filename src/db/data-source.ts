// The TypeORM DataSource for either supported database, with every entity and migration registered: the one
// definition that the server, the command line and TypeORM's CLI (the top-level ormconfig.ts) use.
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import fs from 'node:fs';
import path from 'node:path';
import type { DatabaseConfig } from '../config';
import { entities } from './entities';
import { migrations } from './migrations';
import { FALLBACK_AUTOCHECKPOINT_PAGES, startCheckpointer, type Checkpointer } from './sqlite-checkpointer';

/** TypeORM's isolation level names (its last `transaction` overload takes one first). */
type IsolationLevel = Parameters<DataSource['transaction']>[0];

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
  // Without a connect timeout and keepalive, a database host that drops packets leaves connections waiting for
  // minutes instead of failing over to the dependency-down answers.
  return {
    ...common,
    type: 'postgres',
    url: database.url,
    extra: { max: 10, connectionTimeoutMillis: 10_000, keepAlive: true },
  };
}

/**
 * The service's DataSource: what TypeORM's does, plus two things SQLite needs.
 *
 * better-sqlite3 is one connection, and TypeORM does not queue transactions on it: two that overlap (e.g. a worker
 * recording several attempts started in the same tick) fail with "cannot start a transaction within a
 * transaction". On SQLite, transactions therefore take turns. Code inside a transaction uses the manager it was
 * given and never opens another through the DataSource: that one would wait for the first to end, which waits for
 * it. (The queue does not tell a nested call from a concurrent one by an AsyncLocalStorage: on Node 20 that turns on
 * promise hooks for every promise of the process, at a cost given in BENCHMARKS.md.)
 *
 * A SQLite file also has a checkpointer (sqlite-checkpointer.ts), which stops before the connection closes.
 */
export class ServiceDataSource extends DataSource {
  private turns: Promise<unknown> | null;
  private checkpointer: Checkpointer | null = null;

  constructor(database: DatabaseConfig) {
    super(dataSourceOptions(database));
    this.turns = database.type === 'sqlite' ? Promise.resolve() : null;
  }

  override transaction<T>(run: (manager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(isolation: IsolationLevel, run: (manager: EntityManager) => Promise<T>): Promise<T>;
  override transaction<T>(
    first: IsolationLevel | ((manager: EntityManager) => Promise<T>),
    second?: (manager: EntityManager) => Promise<T>,
  ): Promise<T> {
    const start = () =>
      typeof first === 'function' ? super.transaction(first) : super.transaction(first, second!);
    if (!this.turns) return start();
    const turn = this.turns.then(start);
    this.turns = turn.catch(() => undefined);
    return turn;
  }

  /** Keeps a SQLite file's write-ahead log short from a thread of its own, until the DataSource is destroyed. */
  startCheckpointer(databasePath: string): void {
    this.checkpointer ??= startCheckpointer(databasePath);
  }

  override async destroy(): Promise<void> {
    await this.checkpointer?.stop();
    this.checkpointer = null;
    await super.destroy();
  }
}

export function createDataSource(database: DatabaseConfig): ServiceDataSource {
  if (database.type === 'sqlite' && database.path !== ':memory:') {
    fs.mkdirSync(path.dirname(database.path), { recursive: true });
  }
  return new ServiceDataSource(database);
}

/** Connects and applies pending migrations in one transaction. */
export async function openDatabase(
  database: DatabaseConfig,
  options: { migrate: boolean },
): Promise<ServiceDataSource> {
  const dataSource = createDataSource(database);
  await dataSource.initialize();
  if (options.migrate) await dataSource.runMigrations({ transaction: 'all' });
  if (database.type === 'sqlite' && database.path !== ':memory:') dataSource.startCheckpointer(database.path);
  return dataSource;
}
