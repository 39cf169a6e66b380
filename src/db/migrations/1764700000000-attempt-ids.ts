import {
  type MigrationInterface,
  type QueryRunner,
  Table,
  TableIndex,
  type TableColumnOptions,
} from 'typeorm';
import { bool, cascade, integer, ref, text, timestamp, isPostgres } from '../column-types';

/**
 * Delivery attempts get integer ids assigned by the database, in insert order, instead of UUIDs. Nothing outside the
 * table refers to an attempt, and an attempt is written for every delivery: on SQLite an integer key is the row's own
 * key, so each insert writes two B-trees (the row and ix_delivery_attempts_delivery) instead of three.
 */
const TABLE = 'delivery_attempts';
const INDEX = 'ix_delivery_attempts_delivery';
const COLUMNS = 'delivery_id, at, duration_ms, ok, status_code, response_excerpt, error';

function attemptsTable(q: QueryRunner, name: string, key: TableColumnOptions): Table {
  return new Table({
    name,
    columns: [
      key,
      ref('delivery_id'),
      timestamp(q, 'at'),
      integer('duration_ms'),
      bool('ok'),
      integer('status_code', true),
      text('response_excerpt', true),
      text('error', true),
    ],
    foreignKeys: [cascade('delivery_id', 'deliveries')],
  });
}

/** Rebuilds the table with another key, keeping the attempts in the order they were made. */
async function rebuild(q: QueryRunner, key: TableColumnOptions, keyFromOld: string | null): Promise<void> {
  const next = `${TABLE}_next`;
  await q.createTable(attemptsTable(q, next, key));
  const columns = keyFromOld ? `id, ${COLUMNS}` : COLUMNS;
  const values = keyFromOld ? `${keyFromOld}, ${COLUMNS}` : COLUMNS;
  await q.query(`INSERT INTO ${next} (${columns}) SELECT ${values} FROM ${TABLE} ORDER BY at, id`);
  await q.dropTable(TABLE);
  await q.renameTable(next, TABLE);
  await q.createIndex(TABLE, new TableIndex({ name: INDEX, columnNames: ['delivery_id', 'at'] }));
}

export class AttemptIds1764700000000 implements MigrationInterface {
  name = 'AttemptIds1764700000000';

  async up(q: QueryRunner): Promise<void> {
    // SQLite: an INTEGER PRIMARY KEY is the rowid, assigned when the insert leaves it NULL.
    const key: TableColumnOptions = isPostgres(q)
      ? { name: 'id', type: 'bigint', isPrimary: true, isGenerated: true, generationStrategy: 'identity' }
      : { name: 'id', type: 'integer', isPrimary: true };
    await rebuild(q, key, null);
  }

  async down(q: QueryRunner): Promise<void> {
    // Back to UUID-shaped text keys that sort in the same order.
    const keyFromOld = isPostgres(q)
      ? `'00000000-0000-7000-8000-' || lpad(id::text, 12, '0')`
      : `printf('00000000-0000-7000-8000-%012d', id)`;
    await rebuild(q, { name: 'id', type: 'varchar', length: '36', isPrimary: true }, keyFromOld);
  }
}
