// What the delivery worker needs of message templates: which channel kinds have one, and a batch's templates by
// channel and event type. Kept apart from the service, so the worker's claim imports no API code.
import type { EntityManager } from 'typeorm';
import type { MessageFormat, MessageTemplate as TemplateText } from '../../transports/message-templates';
import { ALL_EVENT_TYPES } from './message-template.entity';
import { type StoredTemplate, templatesOfStacks } from './templates.repository';

/** The channel kinds whose messages a template writes, and how. WEBHOOK, IOS and BROWSER have none. */
const FORMAT_OF_KIND: Record<string, MessageFormat> = {
  SLACK: 'SLACK',
  HIPCHAT: 'HIPCHAT',
  EMAIL: 'EMAIL',
  TEAMS: 'TEAMS',
  DISCORD: 'DISCORD',
};

export function messageFormatOf(kind: string): MessageFormat | null {
  return FORMAT_OF_KIND[kind] ?? null;
}

/** The template for a delivery: the event type's own, else the channel's one for all event types. */
export function pickTemplate(
  templates: ReadonlyMap<string, TemplateText>,
  channelKey: string,
  eventType: string,
): TemplateText | null {
  return (
    templates.get(`${channelKey}|${eventType}`) ?? templates.get(`${channelKey}|${ALL_EVENT_TYPES}`) ?? null
  );
}

/** The key of a channel's templates in loadMessageTemplates' map: a shared channel's id, or EMAIL:<stack>. */
export function templateChannelKey(channelId: string | null, stackId: string): string {
  return channelId ?? `EMAIL:${stackId}`;
}

/**
 * For the delivery worker: the templates of these stacks, keyed `channel|eventType` (templateChannelKey and
 * pickTemplate), read in one statement on the worker's transaction.
 */
export async function loadMessageTemplates(
  manager: EntityManager,
  stackIds: readonly string[],
): Promise<Map<string, TemplateText>> {
  const rows: StoredTemplate[] = await templatesOfStacks(manager, [...new Set(stackIds)]);
  return new Map(
    rows.map((row) => [
      `${templateChannelKey(row.channelId, row.stackId)}|${row.eventType}`,
      { body: row.body, subject: row.subject },
    ]),
  );
}
