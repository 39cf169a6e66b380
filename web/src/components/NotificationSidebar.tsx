// The stack's notifications, newest first, unread ones marked; new ones appear as they are published.
import { useId } from 'preact/hooks';
import { formatDateTime } from '../format';
import type { SidebarNotificationFragment } from '../graphql/generated';
import type { NotificationHistory } from '../hooks/useNotificationHistory';
import { notificationDetails } from '../notification-text';

export interface NotificationSidebarProps {
  history: NotificationHistory;
  liveError: string | null;
}

export function NotificationSidebar({ history, liveError }: NotificationSidebarProps) {
  const headingId = useId();
  const { notifications, unreadCount } = history;
  return (
    <aside class="sidebar" aria-labelledby={headingId}>
      <div class="sidebar-header">
        <h2 id={headingId}>
          Notifications
          {unreadCount > 0 && <span class="count">{unreadCount} unread</span>}
        </h2>
        <button
          type="button"
          class="button-quiet"
          onClick={() => void history.markAllRead()}
          disabled={unreadCount === 0}
        >
          Mark all read
        </button>
      </div>
      {history.error && (
        <p class="form-error" role="alert">
          {history.error}
        </p>
      )}
      {liveError && <p class="hint">Live updates stopped: {liveError}</p>}
      {history.loading && notifications.length === 0 && <p class="hint">Loading…</p>}
      {!history.loading && notifications.length === 0 && (
        <p class="hint">Nothing yet: this stack's notifications appear here the moment they happen.</p>
      )}
      <ol class="notification-list" aria-live="polite" aria-relevant="additions">
        {notifications.map((notification) => (
          <NotificationItem key={notification.id} notification={notification} />
        ))}
      </ol>
      {history.hasMore && (
        <button type="button" class="button-quiet" onClick={() => void history.loadMore()}>
          Show older
        </button>
      )}
    </aside>
  );
}

function NotificationItem({ notification }: { notification: SidebarNotificationFragment }) {
  const details = notificationDetails(notification.data);
  return (
    <li
      class={notification.read ? 'notification' : 'notification is-unread'}
      data-notification-id={notification.id}
    >
      <p class="notification-title">
        {!notification.read && <span class="visually-hidden">Unread: </span>}
        {notification.title}
      </p>
      <p class="notification-meta">
        <code>{notification.eventKey}</code>{' '}
        <time class="nowrap" dateTime={notification.occurredAt}>
          {formatDateTime(notification.occurredAt)}
        </time>
      </p>
      {details && <p class="notification-details">{details}</p>}
    </li>
  );
}
