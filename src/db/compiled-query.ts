// Statements of the hot paths (publishing, the delivery worker), built by a TypeORM query builder once per data
// source and run many times with new values. Building a statement is most of what TypeORM costs per call: the
// builder names, checks and rewrites every alias and parameter with regular expressions on each call, and for a
// statement run per batch of events or deliveries that was a quarter of the worker's CPU. The SQL text is the query
// builder's own, and the statement runs on the transaction's query runner (logging and subscribers included).
//
// A compiled query's SQL must not depend on the values it is run with: the build function gets no values, only a
// `shape` (e.g. a LIMIT, which TypeORM writes into the SQL text), and refers to values as named parameters
// (`:now`; in `set()`, as `() => ':now'`). Lists are bound as one JSON parameter (`inJsonList`).
import {
  DateUtils,
  type DataSource,
  type EntityManager,
  type EntityTarget,
  type ObjectLiteral,
  type QueryBuilder,
  type QueryResult,
  type SelectQueryBuilder,
} from 'typeorm';

/** Marks a parameter's position while compiling; never reaches the database. */
const SENTINEL = '\u0000compiled-parameter:';

type Binding<Name extends string> = { name: Name } | { constant: unknown };

interface Plan<Name extends string> {
  sql: string;
  bindings: Binding<Name>[];
}

export class CompiledQuery<Name extends string, Shape extends string | number = ''> {
  private readonly plans = new WeakMap<DataSource, Map<Shape, Plan<Name>>>();

  constructor(
    private readonly names: readonly Name[],
    private readonly build: (manager: EntityManager, shape: Shape) => QueryBuilder<ObjectLiteral>,
  ) {}

  /** Runs the statement on `manager`'s query runner (a transaction's, when it has one). */
  async run(manager: EntityManager, values: Record<Name, unknown>, shape?: Shape): Promise<QueryResult> {
    const { sql, parameters } = this.statement(manager, values, shape);
    const runner = manager.queryRunner ?? manager.connection.createQueryRunner();
    try {
      return (await runner.query(sql, parameters, true)) as QueryResult;
    } finally {
      if (runner !== manager.queryRunner) await runner.release();
    }
  }

  /** The SQL and bound parameters `run` would send (e.g. to EXPLAIN it). */
  statement(
    manager: EntityManager,
    values: Record<Name, unknown>,
    shape?: Shape,
  ): { sql: string; parameters: unknown[] } {
    const plan = this.plan(manager, shape ?? ('' as Shape));
    const sqlite = manager.connection.driver.options.type !== 'postgres';
    const parameters = plan.bindings.map((binding) =>
      'constant' in binding ? binding.constant : bindValue(values[binding.name], sqlite),
    );
    return { sql: plan.sql, parameters };
  }

  private plan(manager: EntityManager, shape: Shape): Plan<Name> {
    const dataSource = manager.connection;
    let byShape = this.plans.get(dataSource);
    if (!byShape) this.plans.set(dataSource, (byShape = new Map()));
    let plan = byShape.get(shape);
    if (plan) return plan;
    const builder = this.build(manager, shape);
    builder.setParameters(Object.fromEntries(this.names.map((name) => [name, SENTINEL + name])));
    const [sql, parameters] = builder.getQueryAndParameters();
    // Values the builder set itself (e.g. a status constant in `set()`) are part of the statement.
    const bindings = parameters.map((parameter: unknown): Binding<Name> => {
      if (typeof parameter === 'string' && parameter.startsWith(SENTINEL)) {
        return { name: parameter.slice(SENTINEL.length) as Name };
      }
      return { constant: parameter };
    });
    plan = { sql, bindings };
    byShape.set(shape, plan);
    return plan;
  }
}

/** A value as TypeORM binds a parameter: SQLite gets dates as its UTC datetime text and booleans as 0 or 1. */
function bindValue(value: unknown, sqlite: boolean): unknown {
  if (value === undefined) return null;
  if (!sqlite) return value;
  if (value instanceof Date) return DateUtils.mixedDateToUtcDatetimeString(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value;
}

/** `column IN (...)` over a list bound as one JSON array parameter, so the SQL text is the same for any length. */
export function inJsonList(manager: EntityManager, column: string, parameter: string): string {
  return manager.connection.driver.options.type === 'postgres'
    ? `${column} IN (SELECT json_array_elements_text(CAST(:${parameter} AS json)))`
    : `${column} IN (SELECT value FROM json_each(:${parameter}))`;
}

/** Builds entities from raw rows whose columns are aliased to property names, converting values as TypeORM does. */
export function entitiesFromRaw<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: readonly Record<string, unknown>[],
): T[] {
  const metadata = manager.connection.getMetadata(entity);
  const { driver } = manager.connection;
  const prototype = (metadata.target as { prototype: object }).prototype;
  return rows.map((row) => {
    const instance = Object.create(prototype) as Record<string, unknown>;
    for (const column of metadata.columns) {
      const value = row[column.propertyPath];
      instance[column.propertyPath] = value === null ? null : driver.prepareHydratedValue(value, column);
    }
    return instance as T;
  });
}

/** Selects every column of `alias` (an entity) aliased to its property name, for entitiesFromRaw. */
export function selectProperties<T extends ObjectLiteral>(
  builder: SelectQueryBuilder<T>,
  entity: EntityTarget<ObjectLiteral>,
  alias: string,
): SelectQueryBuilder<T> {
  const columns = builder.connection.getMetadata(entity).columns;
  builder.select(`${alias}.${columns[0].propertyPath}`, columns[0].propertyPath);
  for (const column of columns.slice(1))
    builder.addSelect(`${alias}.${column.propertyPath}`, column.propertyPath);
  return builder;
}
