// The publish path's read of stacks: a batch's stacks by id, in the publish transaction. Plain SQL per database;
// rows are mapped to entities by stackFromRow.
import type { EntityManager } from 'typeorm';
import { type DialectSql, dialectOf, listParameter, query, readDate } from '../../db/sql';
import { Stack } from './stack.entity';

interface StackRow {
  id: string;
  account_id: string;
  name: string;
  environment: string;
  settings_version: number | string;
  created_at: string | Date;
}

function stackFromRow(row: StackRow): Stack {
  // Not `new Stack()`, which would draw an id for nothing.
  const stack = Object.create(Stack.prototype) as Stack;
  stack.id = row.id;
  stack.accountId = row.account_id;
  stack.name = row.name;
  stack.environment = row.environment;
  stack.settingsVersion = Number(row.settings_version);
  stack.createdAt = readDate(row.created_at);
  return stack;
}

const BY_IDS: DialectSql = {
  prepareAs: 'stacks_by_ids',
  sqlite:
    'SELECT id, account_id, name, environment, settings_version, created_at FROM stacks ' +
    'WHERE id IN (SELECT value FROM json_each(?))',
  postgres:
    'SELECT id, account_id, name, environment, settings_version, created_at FROM stacks WHERE id = ANY($1)',
};

/** The stacks of `ids` that exist, in no particular order. */
export async function stacksByIds(manager: EntityManager, ids: readonly string[]): Promise<Stack[]> {
  const rows = await query<StackRow>(manager, BY_IDS, [listParameter(dialectOf(manager), ids)]);
  return rows.map(stackFromRow);
}

const OF_ACCOUNT: DialectSql = {
  sqlite:
    'SELECT id, account_id, name, environment, settings_version, created_at FROM stacks ' +
    'WHERE id = ? AND account_id = ?',
  postgres:
    'SELECT id, account_id, name, environment, settings_version, created_at FROM stacks ' +
    'WHERE id = $1 AND account_id = $2',
};

/** The stack with this id if `accountId` owns it, or null. Read for every request that names a stack. */
export async function stackOfAccount(
  manager: EntityManager,
  id: string,
  accountId: string,
): Promise<Stack | null> {
  const [row] = await query<StackRow>(manager, OF_ACCOUNT, [id, accountId]);
  return row ? stackFromRow(row) : null;
}
