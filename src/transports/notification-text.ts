// How a notification reads to people, shared by the chat, email and push transports: its title, the stack it is
// about and its data as labelled fields.
import type { EventOutcome } from '../modules/events/event-types';
import { formatDuration, incidentFamily } from '../modules/incidents/incident-families';
import type { NotificationPayload } from '../modules/events/notification-payload';

export interface DetailField {
  label: string;
  value: string;
}

const ELLIPSIS = '…';

/** The event's short human title, e.g. "Stack redeployed successfully". */
export function notificationTitle(notification: NotificationPayload): string {
  return notification.title;
}

/** Whether the event is good news, bad news or neither: colours and urgency follow it. */
export function notificationOutcome(notification: NotificationPayload): EventOutcome {
  return notification.outcome;
}

/**
 * What a recovery resolved and after how long, e.g. "db-1 heartbeat restored after 14 min"; null for every other
 * notification.
 */
export function incidentLine(notification: NotificationPayload): string | null {
  const incident = notification.incident;
  if (incident?.state !== 'RESOLVED' || incident.duration === null) return null;
  const family = incidentFamily(incident.family);
  if (!family) return null;
  return family.recovered(incident.subject, formatDuration(incident.duration));
}

/** "web (production)". */
export function stackLine(notification: NotificationPayload): string {
  return `${notification.stack.name} (${notification.stack.environment})`;
}

/** The event's data as fields, in the order the producer sent them. */
export function detailFields(data: Record<string, unknown>): DetailField[] {
  return Object.entries(data).map(([key, value]) => ({ label: humanize(key), value: displayValue(value) }));
}

/** The first detail as one short line, for pushes that show a single sentence. */
export function shortDetail(notification: NotificationPayload, maxLength: number): string | null {
  const resolved = incidentLine(notification);
  if (resolved) return truncate(resolved, maxLength);
  const [first] = detailFields(notification.data);
  return first ? truncate(`${first.label}: ${first.value}`, maxLength) : null;
}

/** "commitSha" and "commit_sha" both read "Commit sha". */
export function humanize(key: string): string {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_.-]+/g, ' ')
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function displayValue(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function truncate(text: string, maxLength: number): string {
  return text.length <= maxLength ? text : `${text.slice(0, maxLength - ELLIPSIS.length)}${ELLIPSIS}`;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character]);
}
