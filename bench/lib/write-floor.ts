// The database's own share of a publish, measured without the service: the rows publishEvent writes for one event
// (its notification and the outbox rows the server wrote for an event of the same stack), written with raw
// prepared statements into the benchmark's SQLite file, in transactions of `batch` events (the most the server's
// group commit can gather from the load's connections, so the cheapest per event). No server that stores these
// rows can spend less CPU per event than the no-op request plus this.
import Database from 'better-sqlite3';
import { v7 } from 'uuid';
import type { BenchDatabase } from './databases';
import { round } from './stats';

const NOTIFICATION_COLUMNS = [
  'id',
  'stack_id',
  'account_id',
  'event_type',
  'data',
  'occurred_at',
  'idempotency_key',
  'created_at',
];
const DELIVERY_COLUMNS = [
  'id',
  'notification_id',
  'stack_id',
  'channel',
  'target_id',
  'target_label',
  'user_id',
  'status',
  'attempt_count',
  'next_attempt_at',
  'lease_until',
  'lease_owner',
  'request_id',
  'created_at',
  'updated_at',
];

interface OutboxTemplate {
  stack_id: string;
  account_id: string;
  event_type: string;
  data: string;
  targets: { channel: string; target_id: string; target_label: string; user_id: string | null }[];
}

export interface WriteFloor {
  events: number;
  batch: number;
  /** CPU time (user + system) of this process per event. */
  cpuMicrosPerEvent: number;
  outboxRowsPerEvent: number;
}

function multiRowInsert(db: Database.Database, table: string, columns: string[], rows: number) {
  const row = `(${columns.map(() => '?').join(', ')})`;
  return db.prepare(
    `INSERT INTO ${table} (${columns.join(', ')}) VALUES ${Array(rows).fill(row).join(', ')}`,
  );
}

/** TypeORM's SQLite datetime text: UTC 'YYYY-MM-DD HH:MM:SS.SSS'. */
function sqliteDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function template(db: Database.Database): OutboxTemplate {
  const notification = db
    .prepare(
      'SELECT id, stack_id, account_id, event_type, data FROM notifications ORDER BY created_at DESC LIMIT 1',
    )
    .get() as (Omit<OutboxTemplate, 'targets'> & { id: string }) | undefined;
  if (!notification) throw new Error('write floor: the benchmark wrote no notification to copy');
  const targets = db
    .prepare('SELECT channel, target_id, target_label, user_id FROM deliveries WHERE notification_id = ?')
    .all(notification.id) as OutboxTemplate['targets'];
  return { ...notification, targets };
}

export function sqliteWriteFloor(
  database: BenchDatabase,
  options: { events: number; batch: number },
): WriteFloor {
  const db = new Database(database.url.slice('sqlite:'.length));
  try {
    // The service's own settings (src/db/data-source.ts).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    const copy = template(db);
    const { batch } = options;
    const insertNotifications = multiRowInsert(db, 'notifications', NOTIFICATION_COLUMNS, batch);
    const insertDeliveries = multiRowInsert(db, 'deliveries', DELIVERY_COLUMNS, batch * copy.targets.length);
    const writeBatch = db.transaction((notifications: unknown[], deliveries: unknown[]) => {
      insertNotifications.run(notifications);
      insertDeliveries.run(deliveries);
    });
    const batches = Math.ceil(options.events / batch);
    const cpu = process.cpuUsage();
    for (let index = 0; index < batches; index++) {
      const notifications: unknown[] = [];
      const deliveries: unknown[] = [];
      for (let event = 0; event < batch; event++) {
        const id = v7();
        const at = sqliteDate(new Date());
        notifications.push(id, copy.stack_id, copy.account_id, copy.event_type, copy.data, at, null, at);
        for (const target of copy.targets) {
          deliveries.push(
            v7(),
            id,
            copy.stack_id,
            target.channel,
            target.target_id,
            target.target_label,
            target.user_id,
            'PENDING',
            0,
            at,
            null,
            null,
            null,
            at,
            at,
          );
        }
      }
      writeBatch(notifications, deliveries);
    }
    const used = process.cpuUsage(cpu);
    const events = batches * batch;
    return {
      events,
      batch,
      cpuMicrosPerEvent: round((used.user + used.system) / events, 1),
      outboxRowsPerEvent: copy.targets.length,
    };
  } finally {
    db.close();
  }
}
