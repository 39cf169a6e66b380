// Plain SQL on both supported databases: which one a manager talks to, placeholders, multi-row inserts, and values
// in the form the columns store them. SQLite's datetime columns hold UTC text (`YYYY-MM-DD HH:MM:SS.SSS`, as
// TypeORM writes and reads them); PostgreSQL's timestamptz columns take and give Dates.
import { type EntityManager, QueryFailedError } from 'typeorm';

export type Dialect = 'sqlite' | 'postgres';

/** A statement's text on each database, where they differ. */
export interface DialectSql {
  sqlite: string;
  postgres: string;
  /**
   * For a statement run often with the same text: on PostgreSQL it is prepared under this name once per connection
   * (the driver's named statements), so the server plans it once instead of on every run. SQLite's statements are
   * prepared and cached by the driver already.
   */
  prepareAs?: string;
}

/** What a PostgreSQL connection (node-postgres' Client) offers for a named statement. */
interface PreparingClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

export function dialectOf(manager: EntityManager): Dialect {
  return manager.connection.options.type === 'postgres' ? 'postgres' : 'sqlite';
}

/** Runs `sql` (the text for the manager's database) on the manager's query runner (a transaction's, if any). */
export async function query<Row>(
  manager: EntityManager,
  sql: DialectSql | string,
  parameters: readonly unknown[],
): Promise<Row[]> {
  const dialect = dialectOf(manager);
  if (typeof sql !== 'string' && sql.prepareAs && dialect === 'postgres') {
    return prepared<Row>(manager, sql.prepareAs, sql.postgres, parameters);
  }
  const text = typeof sql === 'string' ? sql : sql[dialect];
  const raw: unknown = await manager.query(text, parameters as unknown[]);
  // PostgreSQL's UPDATE and DELETE ... RETURNING come back as [rows, row count].
  if (Array.isArray(raw) && raw.length === 2 && Array.isArray(raw[0]) && typeof raw[1] === 'number') {
    return raw[0] as Row[];
  }
  return raw as Row[];
}

/** Runs a named statement on the manager's connection (a transaction's, if any; else one from the pool). */
async function prepared<Row>(
  manager: EntityManager,
  name: string,
  text: string,
  parameters: readonly unknown[],
): Promise<Row[]> {
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
  try {
    const client = (await runner.connect()) as PreparingClient;
    try {
      const result = await client.query({ name, text, values: [...parameters] });
      return result.rows as Row[];
    } catch (error) {
      // As TypeORM's query() reports it, so callers tell unique violations and transient failures the same way.
      throw new QueryFailedError(text, [...parameters], error as Error);
    }
  } finally {
    if (!manager.queryRunner) await runner.release();
  }
}

/** Bound parameters a statement may have: SQLite's SQLITE_MAX_VARIABLE_NUMBER, PostgreSQL's protocol limit. */
export const MAX_PARAMETERS: Record<Dialect, number> = { sqlite: 32_766, postgres: 65_535 };

/** `(?, ?), (?, ?)` on SQLite, `($1, $2), ($3, $4)` on PostgreSQL: `rows` tuples of `columns` placeholders. */
export function valuesPlaceholders(dialect: Dialect, rows: number, columns: number): string {
  const tuples: string[] = [];
  if (dialect === 'sqlite') {
    const tuple = `(${new Array<string>(columns).fill('?').join(', ')})`;
    for (let row = 0; row < rows; row++) tuples.push(tuple);
  } else {
    let next = 1;
    for (let row = 0; row < rows; row++) {
      const placeholders: string[] = [];
      for (let column = 0; column < columns; column++) placeholders.push(`$${next++}`);
      tuples.push(`(${placeholders.join(', ')})`);
    }
  }
  return tuples.join(', ');
}

/**
 * Runs `insert` (an `INSERT INTO table (columns) VALUES` without its tuples) for `rows`, each an array of column
 * values, in as few statements as the database's parameter limit allows.
 */
export async function insertValues(
  manager: EntityManager,
  insert: string,
  rows: readonly (readonly unknown[])[],
): Promise<void> {
  if (rows.length === 0) return;
  const dialect = dialectOf(manager);
  const columns = rows[0].length;
  const perStatement = Math.floor(MAX_PARAMETERS[dialect] / columns);
  for (let start = 0; start < rows.length; start += perStatement) {
    const chunk = rows.slice(start, start + perStatement);
    await manager.query(`${insert} ${valuesPlaceholders(dialect, chunk.length, columns)}`, chunk.flat());
  }
}

/** A list bound as one parameter, for `column IN (SELECT value FROM json_each(?))` / `column = ANY($1)`. */
export function listParameter(dialect: Dialect, values: readonly string[]): unknown {
  return dialect === 'sqlite' ? JSON.stringify(values) : values;
}

/** SQLite's text of an instant, as its datetime columns store it: UTC, `YYYY-MM-DD HH:MM:SS.SSS`. */
export function utcText(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}`;
}

/** A date as a datetime column takes it: UTC text on SQLite, the Date on PostgreSQL. */
export function dateValue(dialect: Dialect, date: Date | null): string | Date | null {
  if (date === null) return null;
  return dialect === 'sqlite' ? utcText(date) : date;
}

/** A boolean as a boolean column takes it: 0 or 1 on SQLite. */
export function booleanValue(dialect: Dialect, value: boolean): number | boolean {
  return dialect === 'sqlite' ? Number(value) : value;
}

/**
 * A datetime column's value as a Date: PostgreSQL gives one; SQLite gives text, UTC whether or not it says so
 * (`YYYY-MM-DD HH:MM[:SS[.SSS]]` as stored, or any form with a zone).
 */
export function readDate(value: unknown): Date {
  if (value instanceof Date) return value;
  let text = String(value);
  if (/^\d{4}-\d\d-\d\d \d\d:\d\d/.test(text)) text = `${text.slice(0, 10)}T${text.slice(11)}`;
  if (/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d{3})?)?$/.test(text)) text += 'Z';
  return new Date(text);
}

export function readNullableDate(value: unknown): Date | null {
  return value === null || value === undefined ? null : readDate(value);
}

/** A boolean column's value: 0 or 1 on SQLite. */
export function readBoolean(value: unknown): boolean {
  return Boolean(value);
}

/** Whether a failed statement broke a unique index (PostgreSQL 23505, SQLite's UNIQUE constraint). */
export function isUniqueViolation(error: unknown): boolean {
  const driverError = (error as { driverError?: { code?: unknown } } | null)?.driverError;
  return driverError?.code === '23505' || driverError?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}
