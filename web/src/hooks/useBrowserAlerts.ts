// The "notifications in this browser" switch: permission on the user's click, page-open alerts, and Web Push.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import {
  notificationsSupported,
  pushSupported,
  PushUnavailableError,
  serviceWorkerRegistration,
  showBrowserNotification,
  subscribeToPush,
  unsubscribeFromPush,
} from '../browser-notifications';
import {
  RegisterWebPushSubscriptionDocument,
  UnregisterWebPushSubscriptionDocument,
  VapidPublicKeyDocument,
} from '../graphql/generated';
import type { NotificationSummary } from '../notification-text';
import { browserAlertsWanted, storeBrowserAlertsWanted } from '../storage';
import { useSession } from './session';

/** Web Push, which shows notifications while the page is closed. */
export type PushState = 'off' | 'subscribing' | 'on' | 'unavailable' | 'failed';

export interface BrowserAlerts {
  supported: boolean;
  /** Notifications are allowed and switched on in this browser. */
  on: boolean;
  busy: boolean;
  push: PushState;
  /** Why the switch is not fully on, in words. */
  message: string | null;
  toggle: () => Promise<void>;
  /** Switches off and ends this browser's push subscription (on sign-out: the next user chooses anew). */
  turnOff: () => Promise<void>;
  show: (notification: NotificationSummary) => void;
}

const permissionGranted = () => notificationsSupported() && Notification.permission === 'granted';

export function useBrowserAlerts(): BrowserAlerts {
  const { api } = useSession();
  const [on, setOn] = useState(() => browserAlertsWanted() && permissionGranted());
  const [busy, setBusy] = useState(false);
  const [push, setPush] = useState<PushState>('off');
  const [message, setMessage] = useState<string | null>(() =>
    browserAlertsWanted() && !permissionGranted()
      ? "Notifications were turned on here, but the browser's site settings now block them."
      : null,
  );
  // Each turn on or off starts a new generation: a push subscription that completes after the user turned the
  // switch off again is dropped.
  const generation = useRef(0);

  const startPush = useCallback(async () => {
    const current = ++generation.current;
    if (!pushSupported()) {
      setPush('unavailable');
      setMessage('This browser has no Web Push: notifications show only while this page is open.');
      return;
    }
    setPush('subscribing');
    setMessage(null);
    try {
      const worker = await serviceWorkerRegistration();
      if (!worker)
        throw new PushUnavailableError(
          'The service worker could not be installed, so notifications show only while this page is open.',
        );
      const { vapidPublicKey } = await api.request(VapidPublicKeyDocument, {});
      const subscription = await subscribeToPush(worker, vapidPublicKey);
      if (current !== generation.current) return;
      await api.request(RegisterWebPushSubscriptionDocument, { input: subscription });
      setPush('on');
    } catch (error) {
      if (current !== generation.current) return;
      setPush(error instanceof PushUnavailableError ? 'unavailable' : 'failed');
      setMessage(errorMessage(error));
    }
  }, [api]);

  useEffect(() => {
    void serviceWorkerRegistration();
    if (on) void startPush();
    // Once per page load, with the state the page loaded with: later changes go through toggle().
  }, []);

  const turnOn = useCallback(async () => {
    if (!notificationsSupported()) {
      setMessage("This browser can't show notifications.");
      return;
    }
    setBusy(true);
    const permission = await Notification.requestPermission();
    setBusy(false);
    if (permission !== 'granted') {
      setMessage(
        permission === 'denied'
          ? "Notifications are blocked for this site: allow them in the browser's site settings, then try again."
          : 'Notifications were not allowed.',
      );
      return;
    }
    storeBrowserAlertsWanted(true);
    setOn(true);
    void startPush();
  }, [startPush]);

  const turnOff = useCallback(async () => {
    generation.current++;
    storeBrowserAlertsWanted(false);
    setOn(false);
    setPush('off');
    setMessage(null);
    try {
      const worker = await serviceWorkerRegistration();
      const endpoint = worker ? await unsubscribeFromPush(worker) : null;
      if (endpoint) await api.request(UnregisterWebPushSubscriptionDocument, { endpoint });
    } catch (error) {
      setMessage(`Push could not be turned off: ${errorMessage(error)}`);
    }
  }, [api]);

  const toggle = useCallback(() => (on ? turnOff() : turnOn()), [on, turnOff, turnOn]);

  const show = useCallback(
    (notification: NotificationSummary) => {
      if (!on || !permissionGranted()) return;
      showBrowserNotification(notification).catch((error: unknown) =>
        setMessage(`A notification could not be shown: ${errorMessage(error)}`),
      );
    },
    [on],
  );

  return { supported: notificationsSupported(), on, busy, push, message, toggle, turnOff, show };
}
