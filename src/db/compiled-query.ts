// Only settings-cache.ts still uses this; the hot statements of publishing and the worker are plain SQL in their
// modules' repositories (e.g. src/modules/deliveries/outbox.repository.ts).
//
// Statements of the hot paths (publishing, the delivery worker), built by a TypeORM query builder once per data
// source and run many times with new values. Building a statement is most of what TypeORM costs per call: the
// builder names, checks and rewrites every alias and parameter with regular expressions on each call, and for a
// statement run per batch of events or deliveries that was a quarter of the worker's CPU. The SQL text is the query
// builder's own, and the statement runs on the transaction's query runner (logging and subscribers included).
//
// A compiled query's SQL must not depend on the values it is run with: the build function gets no values, only a
// `shape` (e.g. a LIMIT, which TypeORM writes into the SQL text), and refers to values as named parameters
// (`:now`; in `set()`, as `() => ':now'`).
import {
  DateUtils,
  type DataSource,
  type EntityManager,
  type ObjectLiteral,
  type QueryBuilder,
  type QueryResult,
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
