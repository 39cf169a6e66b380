// One stack: its settings, deliveries or noise control, beside its notifications (a column, or a bell's drawer on
// small screens).
import { useEffect } from 'preact/hooks';
import type { BrowserAlerts } from '../hooks/useBrowserAlerts';
import { StackSettingsDocument } from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useLiveNotifications } from '../hooks/useLiveNotifications';
import { useMediaQuery } from '../hooks/useMediaQuery';
import { useNotificationHistory } from '../hooks/useNotificationHistory';
import { useQuery } from '../hooks/useQuery';
import type { StackView } from '../routes';
import { DeliveriesView } from './DeliveriesView';
import { FormError } from './FormError';
import { Link } from './Link';
import { InboxBell, InboxColumn } from './Inbox';
import { NoiseView } from './NoiseView';
import { SettingsView } from './SettingsView';

export interface StackPageProps {
  stackId: string;
  view: StackView;
  alerts: BrowserAlerts;
}

export function StackPage({ stackId, view, alerts }: StackPageProps) {
  const { onConnected } = useSession();
  const settings = useQuery(StackSettingsDocument, { id: stackId });
  const history = useNotificationHistory(stackId);
  const stack = settings.data?.stack;
  // Where styles.css stops giving the inbox a column beside the page: below that it would be a list under it.
  const small = useMediaQuery('(max-width: 60rem)');

  const liveError = useLiveNotifications(stackId, {
    newestId: () => history.notifications[0]?.id ?? null,
    onNotification: (notification) => {
      history.add(notification);
      if (notification.browserAlert) alerts.show(notification);
    },
    reload: history.reload,
  });
  // Each (re)subscription replays what followed the newest notification shown; the history is read again on each
  // connection for what else may have changed meanwhile (read state). Notifications that come both ways are shown once.
  useEffect(() => onConnected(() => void history.reload()), [onConnected, history.reload]);

  if (settings.error?.code === 'NOT_FOUND') {
    return (
      <section class="empty card">
        <h1>Stack not found</h1>
        <p>It may have been deleted, or belong to another account.</p>
        <Link to={{ name: 'home' }}>Back to your stacks</Link>
      </section>
    );
  }

  return (
    <div class="stack-page">
      <div class="stack-main">
        <div class="stack-title">
          <h1>{stack ? stack.name : 'Loading…'}</h1>
          {stack && <span class="environment">{stack.environment}</span>}
          {small && <InboxBell history={history} liveError={liveError} />}
        </div>
        <nav class="tabs" aria-label="Stack pages">
          <Link to={{ name: 'stack', stackId, view: 'notifications' }} current={view === 'notifications'}>
            Notification settings
          </Link>
          <Link to={{ name: 'stack', stackId, view: 'deliveries' }} current={view === 'deliveries'}>
            Deliveries
          </Link>
          <Link to={{ name: 'stack', stackId, view: 'noise' }} current={view === 'noise'}>
            Noise control
          </Link>
        </nav>
        <FormError message={settings.error?.message ?? null} />
        {view === 'notifications' ? (
          <SettingsView stackId={stackId} settings={settings} alerts={alerts} />
        ) : view === 'noise' ? (
          <NoiseView stackId={stackId} />
        ) : (
          <DeliveriesView stackId={stackId} newestNotificationId={history.notifications[0]?.id ?? null} />
        )}
      </div>
      {!small && <InboxColumn history={history} liveError={liveError} />}
    </div>
  );
}
