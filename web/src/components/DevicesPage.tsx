// The viewer's own devices: iOS devices their app registered, and browsers subscribed to Web Push. Removing one
// stops its pushes at once.
import { useEffect, useId, useState } from 'preact/hooks';
import { formatDateTime } from '../format';
import {
  MyDevicesDocument,
  RemoveMyIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useQuery } from '../hooks/useQuery';
import { ConfirmDialog } from './ConfirmDialog';
import { FormError } from './FormError';

/** The endpoint this browser pushes to, if it subscribed: the list marks it. */
function useThisBrowsersEndpoint(): string | null {
  const [endpoint, setEndpoint] = useState<string | null>(null);
  useEffect(() => {
    if (!('serviceWorker' in navigator)) return;
    let active = true;
    void navigator.serviceWorker
      .getRegistration('/')
      .then((registration) => registration?.pushManager.getSubscription())
      .then((subscription) => active && setEndpoint(subscription?.endpoint ?? null))
      .catch(() => {});
    return () => {
      active = false;
    };
  }, []);
  return endpoint;
}

/** A push service's endpoint by its host: the rest is an opaque, long id. */
function endpointHost(endpoint: string): string {
  try {
    return new URL(endpoint).host;
  } catch {
    return endpoint;
  }
}

interface Pending {
  label: string;
  remove: () => Promise<void>;
}

export function DevicesPage() {
  const { api } = useSession();
  const devices = useQuery(MyDevicesDocument, {});
  const [pending, setPending] = useState<Pending | null>(null);
  const [status, setStatus] = useState('');
  const thisBrowser = useThisBrowsersEndpoint();
  const headingId = useId();
  const iosHeading = useId();
  const browsersHeading = useId();
  // Personal channels are the same on every stack: the first one's are the viewer's.
  const channels = devices.data?.stacks.nodes[0]?.channels ?? null;
  const ios = channels?.flatMap((channel) => (channel.__typename === 'IosChannel' ? channel.devices : []));
  const browsers = channels?.flatMap((channel) =>
    channel.__typename === 'BrowserChannel' ? channel.webPushSubscriptions : [],
  );

  function confirmRemoval(label: string, remove: () => Promise<unknown>) {
    setPending({
      label,
      remove: async () => {
        await remove();
        setPending(null);
        setStatus(`${label} was removed.`);
        await devices.reload();
      },
    });
  }

  return (
    <section class="account-page" aria-labelledby={headingId}>
      <h1 id={headingId}>Your devices</h1>
      <p class="hint">
        Where your own notifications are pushed, on every stack: the iOS app on your devices, and browsers
        where you turned on notifications.
      </p>
      <FormError message={devices.error?.message ?? null} />
      <p class="saved-note" role="status">
        {status}
      </p>
      {devices.loading && !devices.data && <p class="hint">Loading devices…</p>}
      {devices.data && !channels && <p class="hint">Devices show here once the account has a stack.</p>}
      {ios && (
        <section aria-labelledby={iosHeading}>
          <h2 id={iosHeading}>iOS devices</h2>
          {ios.length === 0 && (
            <p class="hint">None: the iOS app registers a device when you sign in on it.</p>
          )}
          <ul class="rows">
            {ios.map((device) => {
              const label = device.deviceName ?? `iOS device ${device.tokenHint}`;
              return (
                <li key={device.id} class="row card">
                  <div class="row-main">
                    <p class="row-title">{label}</p>
                    <p class="muted">
                      Token <code>{device.tokenHint}</code> · registered {formatDateTime(device.createdAt)}
                    </p>
                  </div>
                  <div class="row-actions">
                    <button
                      type="button"
                      class="button-quiet"
                      onClick={() =>
                        confirmRemoval(label, () => api.request(RemoveMyIosDeviceDocument, { id: device.id }))
                      }
                    >
                      Remove<span class="visually-hidden"> {label}</span>
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {browsers && (
        <section aria-labelledby={browsersHeading}>
          <h2 id={browsersHeading}>Browsers</h2>
          {browsers.length === 0 && (
            <p class="hint">None: turn on "Notifications in this browser" on a stack's settings.</p>
          )}
          <ul class="rows">
            {browsers.map((subscription) => {
              const label = `Browser via ${endpointHost(subscription.endpoint)}`;
              return (
                <li key={subscription.id} class="row card">
                  <div class="row-main">
                    <p class="row-title">
                      {label}
                      {subscription.endpoint === thisBrowser && <span class="badge">this browser</span>}
                    </p>
                    <p class="muted">Subscribed {formatDateTime(subscription.createdAt)}</p>
                  </div>
                  <div class="row-actions">
                    <button
                      type="button"
                      class="button-quiet"
                      onClick={() =>
                        confirmRemoval(label, () =>
                          api.request(UnregisterWebPushSubscriptionDocument, {
                            endpoint: subscription.endpoint,
                          }),
                        )
                      }
                    >
                      Remove<span class="visually-hidden"> {label}</span>
                    </button>
                  </div>
                </li>
              );
            })}
          </ul>
        </section>
      )}
      {pending && (
        <ConfirmDialog
          title={`Remove ${pending.label}?`}
          confirmLabel="Remove"
          onConfirm={pending.remove}
          onClose={() => setPending(null)}
        >
          <p>It gets no more pushes, until the app or the browser there registers it again.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
