// The service worker: shows Web Push messages (a Notification as JSON) while the page is closed, and opens the
// stack's page when one is clicked.
import { notificationOptions, notificationTitle, type NotificationSummary } from './notification-text';

declare const self: ServiceWorkerGlobalScope;

function isNotificationSummary(value: unknown): value is NotificationSummary {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<NotificationSummary>;
  return (
    typeof candidate.id === 'string' &&
    typeof candidate.eventKey === 'string' &&
    typeof candidate.stack?.id === 'string' &&
    typeof candidate.stack.name === 'string' &&
    (candidate.title === undefined || typeof candidate.title === 'string')
  );
}

function parsePush(data: PushMessageData | null): NotificationSummary | null {
  try {
    const payload: unknown = data?.json();
    return isNotificationSummary(payload) ? payload : null;
  } catch {
    return null;
  }
}

async function openPage(path: string): Promise<void> {
  const url = new URL(path, self.location.origin).href;
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find((client) => client.url === url);
  if (open) {
    await open.focus();
    return;
  }
  await self.clients.openWindow(url);
}

self.addEventListener('install', () => {
  void self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('push', (event) => {
  const notification = parsePush(event.data);
  // A push must show something (userVisibleOnly); one we cannot read still says where to look.
  const shown = notification
    ? self.registration.showNotification(notificationTitle(notification), notificationOptions(notification))
    : self.registration.showNotification('Stack notifications', { body: 'A new notification arrived.' });
  event.waitUntil(shown);
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const data = event.notification.data as { path?: unknown } | null;
  event.waitUntil(openPage(typeof data?.path === 'string' ? data.path : '/'));
});
