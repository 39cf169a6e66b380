// The browser side of the BROWSER channel: permission, the service worker, the Web Push subscription, and showing
// a notification while the page is open.
import { notificationOptions, notificationTitle, type NotificationSummary } from './notification-text';

/** How long PushManager.subscribe may take before we say the browser has no push service. @default 10 s */
export const PUSH_SUBSCRIBE_TIMEOUT_MS = 10_000;

const SERVICE_WORKER_URL = '/sw.js';

export class PushUnavailableError extends Error {}

export function notificationsSupported(): boolean {
  return typeof Notification !== 'undefined';
}

export function pushSupported(): boolean {
  return 'serviceWorker' in navigator && typeof PushManager !== 'undefined';
}

let registration: Promise<ServiceWorkerRegistration | null> | null = null;

/** Registers /sw.js once per page load; null where service workers are unavailable (e.g. plain http). */
export function serviceWorkerRegistration(): Promise<ServiceWorkerRegistration | null> {
  registration ??=
    'serviceWorker' in navigator
      ? navigator.serviceWorker.register(SERVICE_WORKER_URL, { scope: '/' }).then(
          () => navigator.serviceWorker.ready,
          () => null,
        )
      : Promise.resolve(null);
  return registration;
}

function base64UrlToBytes(value: string): Uint8Array<ArrayBuffer> {
  const base64 = value
    .replace(/-/g, '+')
    .replace(/_/g, '/')
    .padEnd(Math.ceil(value.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function sameKey(subscription: PushSubscription, key: Uint8Array): boolean {
  const current = subscription.options.applicationServerKey;
  if (!current) return false;
  const bytes = new Uint8Array(current);
  return bytes.length === key.length && bytes.every((byte, i) => byte === key[i]);
}

function withTimeout<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export interface WebPushKeys {
  endpoint: string;
  keys: { p256dh: string; auth: string };
}

function keysOf(subscription: PushSubscription): WebPushKeys {
  const { endpoint, keys } = subscription.toJSON();
  if (!endpoint || !keys?.p256dh || !keys.auth)
    throw new Error('The browser gave a push subscription without keys.');
  return { endpoint, keys: { p256dh: keys.p256dh, auth: keys.auth } };
}

/**
 * Subscribes this browser to Web Push with the server's VAPID key. Browsers without a reachable push service
 * (some builds, closed networks) never answer: after the timeout this throws PushUnavailableError.
 */
export async function subscribeToPush(
  worker: ServiceWorkerRegistration,
  vapidPublicKey: string,
  timeoutMs = PUSH_SUBSCRIBE_TIMEOUT_MS,
): Promise<WebPushKeys> {
  const applicationServerKey = base64UrlToBytes(vapidPublicKey);
  const existing = await worker.pushManager.getSubscription();
  if (existing && sameKey(existing, applicationServerKey)) return keysOf(existing);
  // A subscription made with another server key cannot receive this server's pushes.
  await existing?.unsubscribe();
  const subscription = await withTimeout(
    worker.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey }),
    timeoutMs,
    () =>
      new PushUnavailableError(
        `This browser's push service did not answer within ${timeoutMs / 1000} s, so notifications show only while this page is open.`,
      ),
  );
  return keysOf(subscription);
}

/** Ends this browser's push subscription; returns its endpoint so the server can forget it too. */
export async function unsubscribeFromPush(worker: ServiceWorkerRegistration): Promise<string | null> {
  const subscription = await worker.pushManager.getSubscription();
  if (!subscription) return null;
  await subscription.unsubscribe();
  return subscription.endpoint;
}

/** Shows a notification now: through the service worker when there is one, like a push, so their tags match. */
export async function showBrowserNotification(notification: NotificationSummary): Promise<void> {
  const title = notificationTitle(notification);
  const options = notificationOptions(notification);
  const worker = await serviceWorkerRegistration();
  if (worker) await worker.showNotification(title, options);
  else new Notification(title, options);
}
