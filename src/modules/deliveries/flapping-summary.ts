// What a flapping subject's messages say: once per window, "server web-1 flapped: stopped 7 times, back on 7 times
// between 02:10 and 02:15 UTC; now: stopped"; and when it settles, "server web-1 settled: stopped". Each travels as a
// notification payload, so every transport sends it as it sends one notification.
import { eventTypeInfo, type EventType } from '../events/event-types';
import { buildNotificationPayload, type NotificationPayload } from '../events/notification-payload';
import { incidentFamily, incidentRole, type IncidentFamily } from '../incidents/incident-families';
import type { DueNotification, FlappingCounts, SummaryContent } from './outbox.repository';

/** "02:10", in UTC. */
function clockTime(at: Date): string {
  return at.toISOString().slice(11, 16);
}

function times(count: number): string {
  return count === 1 ? 'once' : `${count} times`;
}

/** The state an event leaves its subject in ("stopped", "back on"), or the event's title outside any family. */
function stateAfter(eventType: EventType): string {
  const role = incidentRole(eventType);
  if (!role) return eventTypeInfo(eventType).title;
  return role.role === 'failure' ? role.family.failedState : role.family.recoveredState;
}

/** How the messages name the subject of a notification's incident: "server web-1"; the stack's when it has none. */
function subjectLabel(notification: DueNotification): string {
  const incident = notification.incident;
  const family: IncidentFamily | undefined = incident ? incidentFamily(incident.family) : undefined;
  if (incident && family) return family.label(incident.subject);
  return notification.stack.name;
}

/** The text of a window's summary of a flapping subject. */
export function flappingSummaryTitle(label: string, counts: FlappingCounts): string {
  if (counts.byEventType.length === 0) return `${label} flapped`;
  const parts = counts.byEventType.map((each) => `${stateAfter(each.eventType)} ${times(each.count)}`);
  const from = Math.min(...counts.byEventType.map((each) => each.firstAt.getTime()));
  const to = Math.max(...counts.byEventType.map((each) => each.lastAt.getTime()));
  const now = counts.lastEventType ? `; now: ${stateAfter(counts.lastEventType)}` : '';
  const [first, last] = [clockTime(new Date(from)), clockTime(new Date(to))];
  const when = first === last ? `at ${first} UTC` : `between ${first} and ${last} UTC`;
  return `${label} flapped: ${parts.join(', ')} ${when}${now}`;
}

/**
 * The payload of a flapping summary delivery: its id is the summary delivery's, its event type the last held
 * notification's, its data the counts per state and the window's first and last transition. It tells of several
 * incidents of the subject, so it carries none.
 */
export function flappingSummaryPayload(
  summary: { id: string; notification: DueNotification },
  content: SummaryContent,
  counts: FlappingCounts,
  now: Date,
): NotificationPayload {
  const { notification } = summary;
  const label = subjectLabel(notification);
  const data: Record<string, unknown> = { flapping: label, notifications: content.count };
  for (const each of counts.byEventType) data[stateAfter(each.eventType)] = each.count;
  if (counts.byEventType.length > 0) {
    data.from = new Date(Math.min(...counts.byEventType.map((each) => each.firstAt.getTime()))).toISOString();
    data.to = new Date(Math.max(...counts.byEventType.map((each) => each.lastAt.getTime()))).toISOString();
  }
  if (counts.lastEventType) data.now = stateAfter(counts.lastEventType);
  const payload = buildNotificationPayload({
    id: summary.id,
    eventType: counts.lastEventType ?? notification.eventType,
    severity: notification.severity,
    incident: null,
    data,
    occurredAt: now,
    createdAt: now,
    stack: notification.stack,
  });
  return { ...payload, title: flappingSummaryTitle(label, counts) };
}

/**
 * The payload of a "settled" delivery: the subject's last transition (its notification), under the delivery's own
 * id, saying the subject settled in the state that transition left it in.
 */
export function settledPayload(
  settle: { id: string; notification: DueNotification },
  now: Date,
): NotificationPayload {
  const { notification } = settle;
  const label = subjectLabel(notification);
  const state = stateAfter(notification.eventType);
  const payload = buildNotificationPayload({
    id: settle.id,
    eventType: notification.eventType,
    severity: notification.severity,
    incident: notification.incident,
    data: { settled: label, now: state, since: notification.occurredAt.toISOString() },
    occurredAt: now,
    createdAt: now,
    stack: notification.stack,
  });
  return { ...payload, title: `${label} settled: ${state} since ${clockTime(notification.occurredAt)} UTC` };
}
