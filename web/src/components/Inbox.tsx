// The stack's notifications, newest first: outcome and severity in words and signs, an incident's notifications
// together with how long it lasted, read one by one or all at once, all or only unread ones. On wide screens a column
// beside the page; on small ones a drawer behind a bell that shows how many are unread.
import { useId, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { formatDateTime, formatRelative, humanizeKey, isDateTime } from '../format';
import type { NotificationHistory } from '../hooks/useNotificationHistory';
import { useNow } from '../hooks/useNow';
import {
  groupByIncident,
  incidentState,
  incidentSubject,
  OUTCOME_LABELS,
  OUTCOME_SIGNS,
  SEVERITY_LABELS,
  type InboxEntry,
  type InboxNotification,
} from '../inbox';
import { Dialog } from './Dialog';

/** The target of the "Skip to notifications" link: the column, or on small screens the bell. */
export const INBOX_ID = 'inbox';

export interface InboxProps {
  history: NotificationHistory;
  liveError: string | null;
}

/** The column beside the page, on wide screens. */
export function InboxColumn({ history, liveError }: InboxProps) {
  const headingId = useId();
  return (
    <aside id={INBOX_ID} tabIndex={-1} class="sidebar inbox" aria-labelledby={headingId}>
      <InboxContent history={history} liveError={liveError} headingId={headingId} />
    </aside>
  );
}

/** The bell and its drawer, on small screens. */
export function InboxBell({ history, liveError }: InboxProps) {
  const [open, setOpen] = useState(false);
  const { unreadCount } = history;
  return (
    <>
      <button
        id={INBOX_ID}
        type="button"
        class="bell"
        aria-haspopup="dialog"
        aria-label={unreadCount > 0 ? `Notifications, ${unreadCount} unread` : 'Notifications'}
        onClick={() => setOpen(true)}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="22" height="22">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unreadCount > 0 && (
          <span class="bell-count" aria-hidden="true">
            {unreadCount > 99 ? '99+' : unreadCount}
          </span>
        )}
      </button>
      {open && (
        <Dialog title="Notifications" variant="drawer" onClose={() => setOpen(false)}>
          <InboxContent history={history} liveError={liveError} headingId={null} />
        </Dialog>
      )}
    </>
  );
}

type Filter = 'all' | 'unread';

function InboxContent({ history, liveError, headingId }: InboxProps & { headingId: string | null }) {
  const { notifications, unreadCount } = history;
  const [filter, setFilter] = useState<Filter>('all');
  // Read while only unread ones are shown: they stay in place until the filter changes, rather than jump away.
  const [readHere, setReadHere] = useState<ReadonlySet<string>>(new Set());
  const now = useNow();
  const shown =
    filter === 'all' ? notifications : notifications.filter((item) => !item.read || readHere.has(item.id));
  const entries = groupByIncident(shown);
  const count = unreadCount > 0 && <span class="count">{unreadCount} unread</span>;

  function choose(next: Filter) {
    setFilter(next);
    setReadHere(new Set());
  }

  async function markRead(id: string) {
    // Kept before the answer comes, so the notification is not filtered out (and its focus lost) in between.
    setReadHere((current) => new Set(current).add(id));
    if (await history.markRead(id)) return;
    setReadHere((current) => {
      const next = new Set(current);
      next.delete(id);
      return next;
    });
  }

  return (
    <>
      <div class="sidebar-header">
        {headingId ? (
          <h2 id={headingId}>
            Notifications
            {count}
          </h2>
        ) : (
          <p class="inbox-count">{count || 'All read'}</p>
        )}
        <button
          type="button"
          class="button-quiet"
          onClick={() => void history.markAllRead()}
          disabled={unreadCount === 0}
        >
          Mark all read
        </button>
      </div>
      <div class="inbox-filter" role="group" aria-label="Show">
        <button type="button" aria-pressed={filter === 'all'} onClick={() => choose('all')}>
          All
        </button>
        <button type="button" aria-pressed={filter === 'unread'} onClick={() => choose('unread')}>
          Unread
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
      {notifications.length > 0 && shown.length === 0 && <p class="hint">No unread notifications.</p>}
      <ol class="notification-list" aria-live="polite" aria-relevant="additions">
        {entries.map((entry) => (
          <Entry key={entryKey(entry)} entry={entry} now={now} onMarkRead={markRead} />
        ))}
      </ol>
      {history.hasMore && (
        <button type="button" class="button-quiet" onClick={() => void history.loadMore()}>
          Show older
        </button>
      )}
    </>
  );
}

function entryKey(entry: InboxEntry): string {
  return entry.kind === 'single' ? entry.notification.id : `incident-${entry.incident.id}`;
}

interface EntryProps {
  entry: InboxEntry;
  now: number;
  onMarkRead: (id: string) => Promise<void>;
}

function Entry({ entry, now, onMarkRead }: EntryProps) {
  const headingId = useId();
  if (entry.kind === 'single') {
    const { incident } = entry.notification;
    return (
      <NotificationItem
        notification={entry.notification}
        now={now}
        onMarkRead={onMarkRead}
        incidentNote={incident ? `${incidentSubject(incident)}: ${incidentState(incident, now)}` : null}
      />
    );
  }
  const { incident } = entry;
  return (
    <li class={`incident-group is-${incident.state.toLowerCase()}`} aria-labelledby={headingId}>
      <p class="incident-header" id={headingId}>
        <span class="incident-subject">{incidentSubject(incident)}</span>
        <span class="incident-state">{incidentState(incident, now)}</span>
      </p>
      <ol class="notification-list">
        {entry.notifications.map((notification) => (
          <NotificationItem
            key={notification.id}
            notification={notification}
            now={now}
            onMarkRead={onMarkRead}
            incidentNote={null}
          />
        ))}
      </ol>
    </li>
  );
}

interface NotificationItemProps {
  notification: InboxNotification;
  now: number;
  onMarkRead: (id: string) => Promise<void>;
  /** For a notification shown on its own: its incident's state. */
  incidentNote: string | null;
}

function NotificationItem({ notification, now, onMarkRead, incidentNote }: NotificationItemProps) {
  const item = useRef<HTMLLIElement>(null);
  const [focusAfterRead, setFocusAfterRead] = useState(false);
  const { outcome, severity, read } = notification;

  // The button goes once the notification is read: focus moves to the notification instead of being lost.
  useLayoutEffect(() => {
    if (focusAfterRead && read) {
      item.current?.focus();
      setFocusAfterRead(false);
    }
  }, [focusAfterRead, read]);

  const classes = ['notification', `outcome-${outcome.toLowerCase()}`, read ? '' : 'is-unread'];
  return (
    <li
      ref={item}
      tabIndex={-1}
      class={classes.filter(Boolean).join(' ')}
      data-notification-id={notification.id}
    >
      <p class="notification-tags">
        <span class={`tag outcome-tag outcome-${outcome.toLowerCase()}`}>
          <span aria-hidden="true" class="tag-sign">
            {OUTCOME_SIGNS[outcome]}
          </span>
          {OUTCOME_LABELS[outcome]}
        </span>
        {severity !== 'INFO' && (
          <span class={`tag severity-tag severity-${severity.toLowerCase()}`}>
            {SEVERITY_LABELS[severity]}
          </span>
        )}
      </p>
      <p class="notification-title">
        {!read && <span class="visually-hidden">Unread: </span>}
        {notification.title}
      </p>
      <p class="notification-meta">
        <time dateTime={notification.occurredAt} title={formatDateTime(notification.occurredAt)}>
          {formatRelative(notification.occurredAt, now)}
        </time>
        {incidentNote && <span class="incident-note"> · {incidentNote}</span>}
      </p>
      <div class="notification-actions">
        {!read && (
          <button
            type="button"
            class="button-quiet"
            aria-label={`Mark read: ${notification.title}`}
            onClick={() => {
              setFocusAfterRead(true);
              void onMarkRead(notification.id);
            }}
          >
            Mark read
          </button>
        )}
        <details class="notification-details">
          <summary>Details</summary>
          <NotificationData notification={notification} />
        </details>
      </div>
    </li>
  );
}

function NotificationData({ notification }: { notification: InboxNotification }) {
  const data =
    typeof notification.data === 'object' && notification.data !== null && !Array.isArray(notification.data)
      ? Object.entries(notification.data as Record<string, unknown>)
      : [];
  return (
    <dl class="notification-data">
      {data.map(([key, value]) => (
        <div key={key}>
          <dt>{humanizeKey(key)}</dt>
          <dd>
            <DataValue value={value} />
          </dd>
        </div>
      ))}
      <div>
        <dt>Event</dt>
        <dd>
          <code>{notification.eventKey}</code>
        </dd>
      </div>
      <div>
        <dt>Occurred</dt>
        <dd>
          <time dateTime={notification.occurredAt}>{formatDateTime(notification.occurredAt)}</time>
        </dd>
      </div>
    </dl>
  );
}

function DataValue({ value }: { value: unknown }) {
  if (typeof value === 'string') {
    return isDateTime(value) ? <time dateTime={value}>{formatDateTime(value)}</time> : <>{value}</>;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return <>{String(value)}</>;
  if (value === null || value === undefined) return <>—</>;
  return <pre>{JSON.stringify(value, null, 2)}</pre>;
}
