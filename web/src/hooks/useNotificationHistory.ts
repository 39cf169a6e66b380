// The stack's notifications, newest first: the first page, older pages on demand, live arrivals, "mark all read".
import { useCallback, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import {
  MarkAllNotificationsReadDocument,
  MarkNotificationReadDocument,
  StackNotificationsDocument,
  type SidebarNotificationFragment,
  type StackNotificationsQuery,
} from '../graphql/generated';
import { useQuery } from './useQuery';
import { useSession } from './session';

const PAGE_SIZE = 20;

type History = StackNotificationsQuery['stack'];

export interface NotificationHistory {
  notifications: SidebarNotificationFragment[];
  unreadCount: number;
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadMore: () => Promise<void>;
  markAllRead: () => Promise<void>;
  /** Marks one notification read; resolves true once the server has it. */
  markRead: (id: string) => Promise<boolean>;
  /** A notification that just arrived over the subscription. */
  add: (notification: SidebarNotificationFragment) => void;
  reload: () => Promise<void>;
}

function prepend(history: History, notification: SidebarNotificationFragment): History {
  const { nodes } = history.notifications;
  if (nodes.some((node) => node.id === notification.id)) return history;
  return {
    ...history,
    unreadCount: history.unreadCount + (notification.read ? 0 : 1),
    notifications: { ...history.notifications, nodes: [notification, ...nodes] },
  };
}

/**
 * The first page read anew, with what arrived live while the read was on its way. The subscription delivers
 * notifications in the order they were created, so those shown above the newest one the read found were created after
 * it: they stay on top (and count as unread), instead of disappearing until the next reconnect.
 */
function keepArrivedSince(
  current: StackNotificationsQuery | null,
  fetched: StackNotificationsQuery,
): StackNotificationsQuery {
  if (!current || current.stack.id !== fetched.stack.id) return fetched;
  const shown = current.stack.notifications.nodes;
  const { nodes } = fetched.stack.notifications;
  const newest = nodes[0];
  const above = newest ? shown.findIndex((node) => node.id === newest.id) : shown.length;
  if (above <= 0) return fetched;
  const arrived = shown.slice(0, above);
  return {
    ...fetched,
    stack: {
      ...fetched.stack,
      unreadCount: fetched.stack.unreadCount + arrived.filter((node) => !node.read).length,
      notifications: { ...fetched.stack.notifications, nodes: [...arrived, ...nodes] },
    },
  };
}

export function useNotificationHistory(stackId: string): NotificationHistory {
  const { api } = useSession();
  const query = useQuery(
    StackNotificationsDocument,
    { id: stackId, first: PAGE_SIZE },
    { merge: keepArrivedSince },
  );
  const [actionError, setActionError] = useState<string | null>(null);
  const history = query.data?.stack ?? null;
  const { update } = query;

  const add = useCallback(
    (notification: SidebarNotificationFragment) =>
      update(({ stack }) => ({ stack: prepend(stack, notification) })),
    [update],
  );

  const loadMore = useCallback(async () => {
    const after = history?.notifications.pageInfo.endCursor;
    if (!after) return;
    try {
      const { stack } = await api.request(StackNotificationsDocument, {
        id: stackId,
        first: PAGE_SIZE,
        after,
      });
      update((current) => {
        const known = new Set(current.stack.notifications.nodes.map((node) => node.id));
        const older = stack.notifications.nodes.filter((node) => !known.has(node.id));
        return {
          stack: {
            ...current.stack,
            notifications: {
              nodes: [...current.stack.notifications.nodes, ...older],
              pageInfo: stack.notifications.pageInfo,
            },
          },
        };
      });
    } catch (error) {
      setActionError(errorMessage(error));
    }
  }, [api, history, stackId, update]);

  const markAllRead = useCallback(async () => {
    try {
      const { markNotificationsRead } = await api.request(MarkAllNotificationsReadDocument, { stackId });
      setActionError(null);
      update(
        ({ stack }) => ({
          stack: {
            ...stack,
            unreadCount: markNotificationsRead.stack.unreadCount,
            notifications: {
              ...stack.notifications,
              nodes: stack.notifications.nodes.map((node) => ({ ...node, read: true })),
            },
          },
        }),
        { afterWrite: true },
      );
    } catch (error) {
      setActionError(errorMessage(error));
    }
  }, [api, stackId, update]);

  const markRead = useCallback(
    async (id: string) => {
      try {
        const { markNotificationsRead } = await api.request(MarkNotificationReadDocument, { stackId, id });
        setActionError(null);
        const read = new Set(markNotificationsRead.notifications.map((node) => node.id));
        update(
          ({ stack }) => ({
            stack: {
              ...stack,
              unreadCount: markNotificationsRead.stack.unreadCount,
              notifications: {
                ...stack.notifications,
                nodes: stack.notifications.nodes.map((node) =>
                  read.has(node.id) ? { ...node, read: true } : node,
                ),
              },
            },
          }),
          { afterWrite: true },
        );
        return true;
      } catch (error) {
        setActionError(errorMessage(error));
        return false;
      }
    },
    [api, stackId, update],
  );

  return {
    notifications: history?.notifications.nodes ?? [],
    unreadCount: history?.unreadCount ?? 0,
    loading: query.loading,
    error: actionError ?? query.error?.message ?? null,
    hasMore: history?.notifications.pageInfo.hasNextPage ?? false,
    loadMore,
    markAllRead,
    markRead,
    add,
    reload: query.reload,
  };
}
