// Direct inserts for large fixtures (history rows, pending deliveries): tens of thousands of rows in a second or
// two instead of minutes through the API. The row formats are the ones TypeORM writes.
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import type { BenchDatabase } from './databases';

/** TypeORM's SQLite datetime text: UTC 'YYYY-MM-DD HH:MM:SS.SSS'. */
function sqliteDate(date: Date): string {
  return date.toISOString().replace('T', ' ').replace('Z', '');
}

function sqlitePath(database: BenchDatabase): string {
  return database.url.slice('sqlite:'.length);
}

export interface StackRef {
  id: string;
  accountId: string;
}

async function withPostgres<T>(database: BenchDatabase, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function stackRef(database: BenchDatabase, stackId: string): Promise<StackRef> {
  if (database.kind === 'sqlite') {
    const db = new Database(sqlitePath(database), { readonly: true });
    try {
      const row = db.prepare('SELECT id, account_id FROM stacks WHERE id = ?').get(stackId) as {
        id: string;
        account_id: string;
      };
      return { id: row.id, accountId: row.account_id };
    } finally {
      db.close();
    }
  }
  return withPostgres(database, async (client) => {
    const { rows } = await client.query<{ id: string; account_id: string }>(
      'SELECT id, account_id FROM stacks WHERE id = $1',
      [stackId],
    );
    return { id: rows[0].id, accountId: rows[0].account_id };
  });
}

export async function sharedChannelId(
  database: BenchDatabase,
  stackId: string,
  kind: string,
): Promise<string> {
  if (database.kind === 'sqlite') {
    const db = new Database(sqlitePath(database), { readonly: true });
    try {
      return (
        db.prepare('SELECT id FROM stack_channels WHERE stack_id = ? AND kind = ?').get(stackId, kind) as {
          id: string;
        }
      ).id;
    } finally {
      db.close();
    }
  }
  return withPostgres(database, async (client) => {
    const { rows } = await client.query<{ id: string }>(
      'SELECT id FROM stack_channels WHERE stack_id = $1 AND kind = $2',
      [stackId, kind],
    );
    return rows[0].id;
  });
}

const EVENT_TYPES = ['stack.redeploy.ok', 'stack.provision.fail', 'server.stopped', 'job.fail'];

interface NotificationRow {
  id: string;
  eventType: string;
  data: string;
  at: Date;
}

function notificationRows(count: number, startAt: Date): NotificationRow[] {
  const rows: NotificationRow[] = [];
  for (let index = 0; index < count; index++) {
    rows.push({
      id: randomUUID(),
      eventType: EVENT_TYPES[index % EVENT_TYPES.length],
      data: JSON.stringify({
        commit: ((index * 2654435761) >>> 0).toString(16),
        server: `app-${index % 7}`,
        seq: index,
      }),
      // One a second, oldest first, so the newest page is the last inserted.
      at: new Date(startAt.getTime() + index * 1000),
    });
  }
  return rows;
}

/**
 * Inserts `count` notifications into a stack; with `webhookChannelId`, each also gets one PENDING webhook delivery
 * that is due now. Returns the notification ids.
 */
export async function seedNotifications(
  database: BenchDatabase,
  stack: StackRef,
  count: number,
  options: { webhookChannelId?: string; startAt?: Date } = {},
): Promise<void> {
  const startAt = options.startAt ?? new Date(Date.now() - count * 1000 - 60_000);
  const rows = notificationRows(count, startAt);
  if (database.kind === 'sqlite') {
    const db = new Database(sqlitePath(database));
    db.pragma('journal_mode = WAL');
    try {
      const insertNotification = db.prepare(
        `INSERT INTO notifications (id, stack_id, account_id, event_type, data, occurred_at, idempotency_key, created_at)
         VALUES (?, ?, ?, ?, ?, ?, NULL, ?)`,
      );
      const insertDelivery = db.prepare(
        `INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, target_label, user_id, status,
           attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at)
         VALUES (?, ?, ?, 'WEBHOOK', ?, '127.0.0.1', NULL, 'PENDING', 0, ?, NULL, NULL, NULL, ?, ?)`,
      );
      const due = sqliteDate(new Date(Date.now() - 1000));
      db.transaction(() => {
        for (const row of rows) {
          const at = sqliteDate(row.at);
          insertNotification.run(row.id, stack.id, stack.accountId, row.eventType, row.data, at, at);
          if (options.webhookChannelId)
            insertDelivery.run(randomUUID(), row.id, stack.id, options.webhookChannelId, due, at, at);
        }
      })();
    } finally {
      db.close();
    }
    return;
  }
  await withPostgres(database, async (client) => {
    const CHUNK = 5000;
    await client.query('BEGIN');
    for (let start = 0; start < rows.length; start += CHUNK) {
      const chunk = rows.slice(start, start + CHUNK);
      await client.query(
        `INSERT INTO notifications (id, stack_id, account_id, event_type, data, occurred_at, idempotency_key, created_at)
         SELECT id, $1, $2, event_type, data, at, NULL, at
         FROM unnest($3::varchar[], $4::varchar[], $5::text[], $6::timestamptz[]) AS t(id, event_type, data, at)`,
        [
          stack.id,
          stack.accountId,
          chunk.map((row) => row.id),
          chunk.map((row) => row.eventType),
          chunk.map((row) => row.data),
          chunk.map((row) => row.at),
        ],
      );
      if (options.webhookChannelId) {
        await client.query(
          `INSERT INTO deliveries (id, notification_id, stack_id, channel, target_id, target_label, user_id, status,
             attempt_count, next_attempt_at, lease_until, lease_owner, request_id, created_at, updated_at)
           SELECT gen_random_uuid()::varchar, n.id, $1, 'WEBHOOK', $2, '127.0.0.1', NULL, 'PENDING', 0,
             now() - interval '1 second', NULL, NULL, NULL, n.at, n.at
           FROM unnest($3::varchar[], $4::timestamptz[]) AS n(id, at)`,
          [stack.id, options.webhookChannelId, chunk.map((row) => row.id), chunk.map((row) => row.at)],
        );
      }
    }
    await client.query('COMMIT');
    await client.query('ANALYZE notifications');
    await client.query('ANALYZE deliveries');
  });
}

export async function countRows(
  database: BenchDatabase,
  table: 'notifications' | 'deliveries',
): Promise<number> {
  const query = `SELECT COUNT(*) AS count FROM ${table}`;
  if (database.kind === 'sqlite') {
    const db = new Database(sqlitePath(database), { readonly: true });
    try {
      return Number((db.prepare(query).get() as { count: number }).count);
    } finally {
      db.close();
    }
  }
  return withPostgres(database, async (client) =>
    Number((await client.query<{ count: string }>(query)).rows[0].count),
  );
}

/** Deliveries by status, for checking that a drain really finished. */
export async function deliveryCounts(database: BenchDatabase): Promise<Record<string, number>> {
  const query = 'SELECT status, COUNT(*) AS count FROM deliveries GROUP BY status';
  let rows: { status: string; count: number | string }[];
  if (database.kind === 'sqlite') {
    const db = new Database(sqlitePath(database), { readonly: true });
    try {
      rows = db.prepare(query).all() as typeof rows;
    } finally {
      db.close();
    }
  } else {
    rows = await withPostgres(
      database,
      async (client) => (await client.query<{ status: string; count: string }>(query)).rows,
    );
  }
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}

/** EXPLAIN of a query on the benchmark database (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN ANALYZE). */
export async function explain(
  database: BenchDatabase,
  sql: { sqlite: string; postgres: string },
  params: unknown[],
): Promise<string> {
  if (database.kind === 'sqlite') {
    const db = new Database(sqlitePath(database), { readonly: true });
    try {
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql.sqlite}`).all(...params) as { detail: string }[];
      return rows.map((row) => row.detail).join('\n');
    } finally {
      db.close();
    }
  }
  return withPostgres(database, async (client) => {
    const { rows } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF) ${sql.postgres}`,
      params,
    );
    return rows.map((row) => row['QUERY PLAN']).join('\n');
  });
}
