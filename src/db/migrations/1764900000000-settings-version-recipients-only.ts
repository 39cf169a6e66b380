import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from '../column-types';

/**
 * settings_version counts again only the writes that can change who gets a notification (migration 1764400000000):
 * the triggers migration 1764500000000 added for channel hints, disabled reasons and the stack's name and environment
 * served only a cache of settings answers that no longer exists. Without them such writes no longer also update the
 * stack row, nor make the recipients cache load the stack's settings again.
 */
const CHANNEL_TRIGGER = 'tr_stack_channels_update_settings_version';
const STACK_TRIGGER = 'tr_stacks_update_settings_version';
const BUMP_CHANNEL_STACK =
  'UPDATE stacks SET settings_version = settings_version + 1 WHERE id = NEW.stack_id';
const BUMP_STACK = 'UPDATE stacks SET settings_version = settings_version + 1 WHERE id = NEW.id';

async function replaceTrigger(
  q: QueryRunner,
  trigger: { name: string; table: string; columns: string[]; update: string },
): Promise<void> {
  const { name, table, columns, update } = trigger;
  const on = `AFTER UPDATE OF ${columns.join(', ')} ON ${table}`;
  if (isPostgres(q)) {
    await q.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
    await q.query(
      `CREATE OR REPLACE FUNCTION fn_${name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN ${update}; RETURN NULL; END $$`,
    );
    await q.query(`CREATE TRIGGER ${name} ${on} FOR EACH ROW EXECUTE FUNCTION fn_${name}()`);
  } else {
    await q.query(`DROP TRIGGER IF EXISTS ${name}`);
    await q.query(`CREATE TRIGGER ${name} ${on} BEGIN ${update}; END`);
  }
}

async function dropTrigger(q: QueryRunner, name: string, table: string): Promise<void> {
  if (isPostgres(q)) {
    await q.query(`DROP TRIGGER IF EXISTS ${name} ON ${table}`);
    await q.query(`DROP FUNCTION IF EXISTS fn_${name}()`);
  } else {
    await q.query(`DROP TRIGGER IF EXISTS ${name}`);
  }
}

export class SettingsVersionRecipientsOnly1764900000000 implements MigrationInterface {
  name = 'SettingsVersionRecipientsOnly1764900000000';

  async up(q: QueryRunner): Promise<void> {
    await dropTrigger(q, STACK_TRIGGER, 'stacks');
    // The columns of migration 1764400000000's trigger, the ones recipients are decided from.
    await replaceTrigger(q, {
      name: CHANNEL_TRIGGER,
      table: 'stack_channels',
      columns: ['kind', 'settings', 'enabled'],
      update: BUMP_CHANNEL_STACK,
    });
  }

  async down(q: QueryRunner): Promise<void> {
    await replaceTrigger(q, {
      name: CHANNEL_TRIGGER,
      table: 'stack_channels',
      columns: ['kind', 'settings', 'enabled', 'disabled_reason', 'secret_hint'],
      update: BUMP_CHANNEL_STACK,
    });
    // The inner UPDATE sets only settings_version, so this trigger does not fire again for it.
    await replaceTrigger(q, {
      name: STACK_TRIGGER,
      table: 'stacks',
      columns: ['name', 'environment'],
      update: BUMP_STACK,
    });
  }
}
