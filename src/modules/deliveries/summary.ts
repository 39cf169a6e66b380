// What a summary of held deliveries says: "12 notifications while you were away", then the first few of them. It
// travels as a notification payload, so every transport sends it as it sends one notification.
import { buildNotificationPayload, type NotificationPayload } from '../events/notification-payload';
import { eventTypeInfo } from '../events/event-types';
import { HeldReason } from './delivery.entity';
import type { SummaryContent } from './outbox.repository';

/** How many of the held notifications a summary lists by name; the rest are counted. */
export const SUMMARY_LISTED = 5;

function plural(count: number, one: string): string {
  return `${count} ${one}${count === 1 ? '' : 's'}`;
}

export function summaryTitle(reason: HeldReason, count: number): string {
  switch (reason) {
    case HeldReason.HELD_QUIET_HOURS:
      return `${plural(count, 'notification')} while you were away`;
    case HeldReason.DIGESTED:
      return `Digest: ${plural(count, 'more notification')}`;
    case HeldReason.FLAPPING:
      return `${plural(count, 'notification')} while flapping`;
  }
}

/** "Job run failed at 02:10 UTC (Job: nightly)". */
function itemLine(item: SummaryContent['first'][number]): string {
  const at = item.occurredAt.toISOString();
  const time = `${at.slice(0, 10)} ${at.slice(11, 16)} UTC`;
  let detail = '';
  try {
    const data = JSON.parse(item.data) as Record<string, unknown>;
    const [first] = Object.entries(data);
    if (first) {
      const value = typeof first[1] === 'string' ? first[1] : JSON.stringify(first[1]);
      detail = ` (${first[0]}: ${value.length > 60 ? `${value.slice(0, 59)}…` : value})`;
    }
  } catch {
    // Stored data is always JSON; a summary still lists the event without it.
  }
  return `${eventTypeInfo(item.eventType).title} at ${time}${detail}`;
}

/**
 * The payload of a summary delivery: its id is the summary delivery's (a webhook's `webhook-id`), its event type the
 * first held notification's, its data the count and the first few notifications, one line each.
 */
export function summaryPayload(
  summary: { id: string; reason: HeldReason; createdAt: Date },
  content: SummaryContent,
  stack: { id: string; name: string; environment: string },
  now: Date,
): NotificationPayload {
  const [first] = content.first;
  const data: Record<string, unknown> = { notifications: content.count };
  content.first.forEach((item, index) => {
    data[`event ${index + 1}`] = itemLine(item);
  });
  if (content.count > content.first.length) data.more = `and ${content.count - content.first.length} more`;
  const payload = buildNotificationPayload({
    id: summary.id,
    eventType: first.eventType,
    data,
    occurredAt: now,
    createdAt: now,
    stack,
  });
  return { ...payload, title: summaryTitle(summary.reason, content.count) };
}
