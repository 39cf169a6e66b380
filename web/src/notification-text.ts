// What a notification says in the browser. Used by the page (while it is open) and by the service worker (pushes),
// so both read the same; it runs in both, so it uses nothing but what windows and workers share.
import { stackPath } from './routes';

/** The fields of a Notification that both the subscription and the Web Push payload carry. */
export interface NotificationSummary {
  id: string;
  stack: { id: string; name: string; environment: string };
  eventKey: string;
  /** Absent from pushes queued by a version that did not send it (push services keep them up to a day). */
  title?: string;
  data: unknown;
}

const MAX_DETAILS_LENGTH = 140;

export function notificationTitle(notification: NotificationSummary): string {
  const { name, environment } = notification.stack;
  return `${name} (${environment}): ${notification.title ?? notification.eventKey}`;
}

/** The event's own details that read well on one line, e.g. "commit 4f2a9c1 · server web-1". */
export function notificationDetails(data: unknown): string {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return '';
  const parts = Object.entries(data)
    .filter(([, value]) => ['string', 'number', 'boolean'].includes(typeof value))
    .map(([key, value]) => `${key} ${String(value)}`);
  const text = parts.join(' · ');
  return text.length > MAX_DETAILS_LENGTH ? `${text.slice(0, MAX_DETAILS_LENGTH - 1)}…` : text;
}

export function notificationOptions(notification: NotificationSummary): NotificationOptions {
  return {
    // The title already names the event as the inbox, email and chat do; the key only stands in for a missing title.
    body: [notification.title ? '' : notification.eventKey, notificationDetails(notification.data)]
      .filter(Boolean)
      .join('\n'),
    // The same notification may come from the page and from a push: one tag shows it once.
    tag: notification.id,
    icon: '/favicon.svg',
    data: { path: stackPath(notification.stack.id) },
  };
}
