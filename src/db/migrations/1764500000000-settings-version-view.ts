import type { MigrationInterface, QueryRunner } from 'typeorm';
import { isPostgres } from '../column-types';

/**
 * settings_version also counts the writes that change how a stack's settings read, not only who gets a notification:
 * a channel's hints and disabled reason, and the stack's own name and environment. A process that remembers a
 * settings answer (src/modules/stacks/settings-cache.ts) then only has to compare one counter to know it is current.
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
    // The function body is replaced with the trigger, so an older one of the same name never lingers.
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

export class SettingsVersionView1764500000000 implements MigrationInterface {
  name = 'SettingsVersionView1764500000000';

  async up(q: QueryRunner): Promise<void> {
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

  async down(q: QueryRunner): Promise<void> {
    await dropTrigger(q, STACK_TRIGGER, 'stacks');
    await replaceTrigger(q, {
      name: CHANNEL_TRIGGER,
      table: 'stack_channels',
      columns: ['kind', 'settings', 'enabled'],
      update: BUMP_CHANNEL_STACK,
    });
  }
}
