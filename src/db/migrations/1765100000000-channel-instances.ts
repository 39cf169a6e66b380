import { type MigrationInterface, type QueryRunner, Table } from 'typeorm';
import { bool, cascade, isPostgres, ref, varchar } from '../column-types';

/**
 * Shared channels become instances: a stack may have several channels of each shared kind, each with a name unique
 * in the stack and its own column of the event matrix (channel_preferences, keyed by the channel's id). Each stack's
 * one channel of a kind gets the kind's name and the stack's cells of that kind. Cells of a kind the stack has no
 * channel of stay in stack_preferences: a new channel of that kind starts from them.
 *
 * Undone, channels go back to one per kind: the oldest channel of each kind stays, with its cells as the stack's
 * cells of the kind; younger ones, and Teams and Discord channels (kinds the earlier code does not know), are
 * deleted with their cells. Their deliveries stay in the log; pending ones then find no channel and fail, saying so.
 */
const DEFAULT_NAMES: [kind: string, name: string][] = [
  ['HIPCHAT', 'Hipchat'],
  ['SLACK', 'Slack'],
  ['WEBHOOK', 'Webhook'],
  ['TEAMS', 'Microsoft Teams'],
  ['DISCORD', 'Discord'],
];

const EVENTS: ['INSERT' | 'UPDATE' | 'DELETE', 'NEW' | 'OLD'][] = [
  ['INSERT', 'NEW'],
  ['UPDATE', 'NEW'],
  ['DELETE', 'OLD'],
];

function triggerName(event: string): string {
  return `tr_channel_preferences_${event.toLowerCase()}_settings_version`;
}

/** A channel that is younger than another of its stack and kind (by created_at, then id). */
const YOUNGER =
  'EXISTS (SELECT 1 FROM stack_channels o WHERE o.stack_id = stack_channels.stack_id ' +
  'AND o.kind = stack_channels.kind AND (o.created_at < stack_channels.created_at ' +
  'OR (o.created_at = stack_channels.created_at AND o.id < stack_channels.id)))';

export class ChannelInstances1765100000000 implements MigrationInterface {
  name = 'ChannelInstances1765100000000';

  async up(q: QueryRunner): Promise<void> {
    // Plain ALTER TABLE: TypeORM's addColumn rebuilds the table (and its dependents) on SQLite.
    await q.query("ALTER TABLE stack_channels ADD COLUMN name varchar(80) NOT NULL DEFAULT ''");
    for (const [kind, name] of DEFAULT_NAMES) {
      await q.query(`UPDATE stack_channels SET name = '${name}' WHERE kind = '${kind}'`);
    }
    await q.query('DROP INDEX uq_stack_channels_stack_kind');
    await q.query('CREATE UNIQUE INDEX uq_stack_channels_stack_name ON stack_channels (stack_id, name)');
    await q.query('CREATE INDEX ix_stack_channels_stack_kind ON stack_channels (stack_id, kind, created_at)');
    await q.createTable(
      new Table({
        name: 'channel_preferences',
        columns: [
          { ...ref('channel_id'), isPrimary: true },
          { ...varchar('event_type', 40), isPrimary: true },
          ref('stack_id'),
          bool('enabled'),
        ],
        indices: [{ name: 'ix_channel_preferences_stack', columnNames: ['stack_id'] }],
        foreignKeys: [cascade('channel_id', 'stack_channels'), cascade('stack_id', 'stacks')],
      }),
    );
    const postgres = isPostgres(q);
    for (const [event, row] of EVENTS) {
      const name = triggerName(event);
      const update = `UPDATE stacks SET settings_version = settings_version + 1 WHERE id = ${row}.stack_id`;
      if (postgres) {
        await q.query(
          `CREATE FUNCTION fn_${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${update}; RETURN NULL; END $$`,
        );
        await q.query(
          `CREATE TRIGGER ${name} AFTER ${event} ON channel_preferences FOR EACH ROW EXECUTE FUNCTION fn_${name}()`,
        );
      } else {
        await q.query(`CREATE TRIGGER ${name} AFTER ${event} ON channel_preferences BEGIN ${update}; END`);
      }
    }
    // Each stack had at most one channel per kind: its cells of the kind move to that channel.
    await q.query(
      'INSERT INTO channel_preferences (channel_id, event_type, stack_id, enabled) ' +
        'SELECT c.id, p.event_type, p.stack_id, p.enabled FROM stack_preferences p ' +
        'INNER JOIN stack_channels c ON c.stack_id = p.stack_id AND c.kind = p.channel',
    );
    await q.query(
      'DELETE FROM stack_preferences WHERE EXISTS (SELECT 1 FROM stack_channels c ' +
        'WHERE c.stack_id = stack_preferences.stack_id AND c.kind = stack_preferences.channel)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    // Several channels of a kind: the oldest stays, the others go (see above); so do Teams and Discord.
    await q.query(`DELETE FROM stack_channels WHERE kind IN ('TEAMS', 'DISCORD') OR ${YOUNGER}`);
    await q.query("DELETE FROM stack_preferences WHERE channel IN ('TEAMS', 'DISCORD')");
    await q.query('DELETE FROM channel_preferences WHERE channel_id NOT IN (SELECT id FROM stack_channels)');
    // The kept channel's cells are the stack's cells of its kind again.
    await q.query(
      'DELETE FROM stack_preferences WHERE EXISTS (SELECT 1 FROM stack_channels c ' +
        'WHERE c.stack_id = stack_preferences.stack_id AND c.kind = stack_preferences.channel)',
    );
    await q.query(
      'INSERT INTO stack_preferences (stack_id, event_type, channel, enabled) ' +
        'SELECT p.stack_id, p.event_type, c.kind, p.enabled FROM channel_preferences p ' +
        'INNER JOIN stack_channels c ON c.id = p.channel_id',
    );
    const postgres = isPostgres(q);
    for (const [event] of EVENTS) {
      const name = triggerName(event);
      if (postgres) {
        await q.query(`DROP TRIGGER IF EXISTS ${name} ON channel_preferences`);
        await q.query(`DROP FUNCTION IF EXISTS fn_${name}()`);
      } else {
        await q.query(`DROP TRIGGER IF EXISTS ${name}`);
      }
    }
    await q.dropTable('channel_preferences');
    await q.query('DROP INDEX ix_stack_channels_stack_kind');
    await q.query('DROP INDEX uq_stack_channels_stack_name');
    await q.query('ALTER TABLE stack_channels DROP COLUMN name');
    await q.query('CREATE UNIQUE INDEX uq_stack_channels_stack_kind ON stack_channels (stack_id, kind)');
  }
}
