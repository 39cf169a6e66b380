// Multi-row inserts that bind the rows as one JSON parameter, expanded by the database (`jsonb_each` on SQLite,
// `json_populate_recordset` on PostgreSQL) into `INSERT ... SELECT`. A VALUES list binds one parameter per value:
// TypeORM names, checks and rewrites each one in JavaScript, and the SQL text changes with the row count, so SQLite
// parses and plans every statement anew. Here the SQL text is the same for any number of rows (its prepared
// statement is reused) and each value is converted once, by TypeORM's own `preparePersistentValue`.
import type { Driver, EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from 'typeorm';
import { CompiledQuery } from './compiled-query';

type ColumnMetadata = EntityMetadata['columns'][number];

/** Rows per statement: bounds the size of one JSON parameter. */
const ROWS_PER_INSERT = 1000;

interface InsertPlan {
  /** One JSON element per entity: an array of values (SQLite) or an object keyed by column (PostgreSQL). */
  element: (row: ObjectLiteral) => unknown;
  /** The INSERT ... SELECT, built once. */
  insert: CompiledQuery<'rows'>;
}

const plans = new WeakMap<object, InsertPlan>();

function planFor(manager: EntityManager, entity: EntityTarget<ObjectLiteral>): InsertPlan {
  const metadata = manager.connection.getMetadata(entity);
  const cached = plans.get(metadata);
  if (cached) return cached;
  const { driver } = manager.connection;
  // Generated columns (an attempt's integer id) are left to the database.
  const columns = metadata.columns.filter((column) => column.isInsert && !column.isGenerated);
  const properties = columns.map((column) => column.propertyPath);
  // Each column's value of an entity, as stored.
  const values = columns.map((column) => {
    const convert = converter(driver, column);
    return column.embeddedMetadata
      ? (row: ObjectLiteral) => convert(column.getEntityValue(row))
      : (row: ObjectLiteral) => convert(row[column.propertyName]);
  });
  // `source` is the CTE that turns the JSON parameter `rows` into one row per element; `selects` has one
  // expression per column, in the order of `columns`.
  const compile = (source: string, selects: string[]) =>
    new CompiledQuery(['rows'], (manager) =>
      manager
        .createQueryBuilder()
        .insert()
        .into(entity, properties)
        .addCommonTableExpression(source, 'r')
        .valuesFromSelect((select) => select.select(selects).from('r', 'r'))
        .updateEntity(false)
        .callListeners(false),
    );
  let plan: InsertPlan;
  if (driver.options.type === 'postgres') {
    // The table's own row type converts every value (timestamptz, integer, boolean) as a cast would.
    const source = `SELECT * FROM json_populate_recordset(NULL::${driver.escape(metadata.tablePath)}, CAST(:rows AS json))`;
    const selects = columns.map((column) => `r.${driver.escape(column.databaseName)}`);
    const names = columns.map((column) => column.databaseName);
    plan = {
      element: (row) => {
        const element: Record<string, unknown> = {};
        values.forEach((value, index) => (element[names[index]] = value(row)));
        return element;
      },
      insert: compile(source, selects),
    };
  } else {
    // No casts: ->> yields TEXT, INTEGER, REAL or NULL, stored as the bound values of a VALUES list would be.
    // jsonb_each (SQLite 3.45+) hands each row over in SQLite's binary JSON; json_each would write every row out as
    // JSON text for ->> to parse again (see BENCHMARKS.md).
    const source = 'SELECT value FROM jsonb_each(:rows)';
    const selects = columns.map((_column, index) => `r.value ->> ${index}`);
    plan = {
      element: (row) => values.map((value) => value(row)),
      insert: compile(source, selects),
    };
  }
  plans.set(metadata, plan);
  return plan;
}

/**
 * A column's value as TypeORM stores it (`preparePersistentValue`), null for undefined. On SQLite a date becomes UTC
 * text; the rows of one batch mostly share a few instants (an event's outbox rows are all created at its time), so
 * the last one's text is reused.
 */
function converter(driver: Driver, column: ColumnMetadata): (value: unknown) => unknown {
  const prepare = (value: unknown): unknown => driver.preparePersistentValue(value, column) ?? null;
  const sqliteDate =
    driver.options.type !== 'postgres' &&
    !column.transformer &&
    (column.type === Date || column.type === 'datetime');
  if (!sqliteDate) return prepare;
  let lastTime = Number.NaN;
  let lastText: unknown = null;
  return (value) => {
    if (!(value instanceof Date)) return prepare(value);
    const time = value.getTime();
    if (time !== lastTime) {
      lastText = prepare(value);
      lastTime = time;
    }
    return lastText;
  };
}

/**
 * Inserts entities whose values are set in code, except generated keys, which are not read back (nor are entity
 * listeners called), in as few statements as the rows allow.
 */
export async function insertRows<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly T[],
): Promise<void> {
  if (rows.length === 0) return;
  const plan = planFor(manager, entity as EntityTarget<ObjectLiteral>);
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.length <= ROWS_PER_INSERT ? rows : rows.slice(start, start + ROWS_PER_INSERT);
    await plan.insert.run(manager, { rows: JSON.stringify(chunk.map(plan.element)) });
  }
}
