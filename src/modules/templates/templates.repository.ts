// The delivery worker's read of message templates: those of the stacks a claimed batch goes to, in one statement.
import type { EntityManager } from 'typeorm';
import { dialectOf, query } from '../../db/sql';

export interface StoredTemplate {
  stackId: string;
  /** The shared channel; null for the stack's email. */
  channelId: string | null;
  /** A wire key, or ALL_EVENT_TYPES. */
  eventType: string;
  body: string;
  subject: string | null;
}

interface TemplateRow {
  stack_id: string;
  channel_id: string | null;
  event_type: string;
  body: string;
  subject: string | null;
}

/** The templates of these stacks (ix_message_templates_stack). */
export async function templatesOfStacks(
  manager: EntityManager,
  stackIds: readonly string[],
): Promise<StoredTemplate[]> {
  if (stackIds.length === 0) return [];
  const placeholders =
    dialectOf(manager) === 'postgres'
      ? stackIds.map((_, index) => `$${index + 1}`).join(', ')
      : stackIds.map(() => '?').join(', ');
  const rows = await query<TemplateRow>(
    manager,
    'SELECT stack_id, channel_id, event_type, body, subject FROM message_templates ' +
      `WHERE stack_id IN (${placeholders})`,
    stackIds,
  );
  return rows.map((row) => ({
    stackId: row.stack_id,
    channelId: row.channel_id,
    eventType: row.event_type,
    body: row.body,
    subject: row.subject,
  }));
}
