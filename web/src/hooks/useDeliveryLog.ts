// The stack's delivery log as the Deliveries view shows it: the first page (read again when something may have
// changed), older pages kept as they are loaded, and the rows still waiting read again when they are due.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import {
  DeliveriesByIdDocument,
  StackDeliveriesDocument,
  type DeliveryRowFragment,
  type StackDeliveriesQuery,
} from '../graphql/generated';
import type { DeliveryFilter } from './useDeliveryFilter';
import { useQuery } from './useQuery';
import { useSession } from './session';

const PAGE_SIZE = 20;
/** Reads of the first page are at least this far apart, however many notifications arrive. */
const MIN_REFRESH_GAP_MS = 1000;
/** A due delivery is read again this long after it was due: the worker needs a moment to send and record it. */
const DUE_GRACE_MS = 700;
/** Reads for waiting rows that found nothing changed space out by this factor, up to MAX_WAITING_REFRESH_MS. */
const QUIET_BACKOFF = 1.5;
const MAX_WAITING_REFRESH_MS = 30_000;
/** A window ending later than this is looked at again then (timers cannot wait for weeks). */
const MAX_TIMER_MS = 10 * 60_000;
/** Query.nodes takes at most this many ids. */
const MAX_IDS = 100;

type Page = StackDeliveriesQuery['stack']['deliveries'];

export interface DeliveryLog {
  /** Newest first: the first page, then the older pages loaded. */
  deliveries: DeliveryRowFragment[];
  /** True once the first page has been read. */
  loaded: boolean;
  loading: boolean;
  error: string | null;
  hasMore: boolean;
  loadOlder: () => Promise<void>;
  /** Reads the first page (and waiting rows below it) again now. */
  refresh: () => Promise<void>;
  /** A delivery as a mutation returned it. */
  replace: (delivery: DeliveryRowFragment) => void;
}

function isWaiting(delivery: DeliveryRowFragment): boolean {
  return delivery.status === 'PENDING' || delivery.status === 'HELD';
}

/** When a waiting delivery may have changed: its next attempt, or the end of the window it is held for. */
function dueAt(delivery: DeliveryRowFragment, now: number): number {
  const next = delivery.nextAttemptAt ? new Date(delivery.nextAttemptAt).getTime() : now;
  return Number.isNaN(next) ? now : next;
}

function replaceIn(nodes: DeliveryRowFragment[], delivery: DeliveryRowFragment): DeliveryRowFragment[] {
  return nodes.map((node) => (node.id === delivery.id ? delivery : node));
}

/**
 * `newestNotificationId` is the newest notification of the stack the page has (from its live subscription): when it
 * changes, new deliveries were written with it, and the first page is read again.
 */
export function useDeliveryLog(
  stackId: string,
  filter: DeliveryFilter,
  newestNotificationId: string | null,
): DeliveryLog {
  const { api, onConnected } = useSession();
  const variables = { id: stackId, first: PAGE_SIZE, ...filter };
  const key = JSON.stringify(variables);
  const query = useQuery(StackDeliveriesDocument, variables);
  const firstPage = query.data?.stack.deliveries;
  const [older, setOlder] = useState<Page | null>(null);
  const [olderError, setOlderError] = useState<string | null>(null);
  const shownFirst = useRef<DeliveryRowFragment[]>([]);

  useEffect(() => {
    setOlder(null);
    setOlderError(null);
    shownFirst.current = [];
  }, [key]);

  // Rows the first page no longer holds (newer deliveries pushed them down) move to the older ones, so none goes
  // missing between two reads.
  useEffect(() => {
    const previous = shownFirst.current;
    shownFirst.current = firstPage?.nodes ?? [];
    if (!firstPage) return;
    const kept = new Set(firstPage.nodes.map((node) => node.id));
    const pushedDown = previous.filter((node) => !kept.has(node.id));
    if (pushedDown.length > 0) {
      setOlder((current) => current && { ...current, nodes: [...pushedDown, ...current.nodes] });
    }
  }, [firstPage]);

  const firstIds = new Set(firstPage?.nodes.map((node) => node.id));
  const olderNodes = (older?.nodes ?? []).filter((node) => !firstIds.has(node.id));
  const deliveries = [...(firstPage?.nodes ?? []), ...olderNodes];
  const pageInfo = older?.pageInfo ?? firstPage?.pageInfo;

  const loadOlder = useCallback(async () => {
    if (!pageInfo?.endCursor) return;
    try {
      const { stack } = await api.request(StackDeliveriesDocument, {
        // The variables of the first page, by their serialised form (a new object on every render).
        ...(JSON.parse(key) as typeof variables),
        after: pageInfo.endCursor,
      });
      setOlder((current) => ({
        nodes: [...(current?.nodes ?? []), ...stack.deliveries.nodes],
        pageInfo: stack.deliveries.pageInfo,
      }));
      setOlderError(null);
    } catch (thrown) {
      setOlderError(errorMessage(thrown));
    }
  }, [api, pageInfo?.endCursor, key]);

  const olderWaiting = useRef<string[]>([]);
  olderWaiting.current = olderNodes.filter(isWaiting).map((node) => node.id);

  const { reload, update } = query;
  const refresh = useCallback(async () => {
    const ids = olderWaiting.current.slice(0, MAX_IDS);
    const readOlder = async () => {
      if (ids.length === 0) return;
      try {
        const { nodes } = await api.request(DeliveriesByIdDocument, { ids });
        const fresh = new Map<string, DeliveryRowFragment>();
        for (const node of nodes) if (node && 'status' in node) fresh.set(node.id, node);
        setOlder(
          (current) =>
            current && { ...current, nodes: current.nodes.map((node) => fresh.get(node.id) ?? node) },
        );
      } catch {
        // The next refresh reads them again; the first page's error (if any) is what the view shows.
      }
    };
    await Promise.all([reload(), readOlder()]);
  }, [api, reload]);

  // One read at a time at most every MIN_REFRESH_GAP_MS: a burst of notifications costs one read, not one each.
  const lastRefresh = useRef(Date.now());
  const pendingRefresh = useRef<ReturnType<typeof setTimeout> | null>(null);
  const requestRefresh = useCallback(() => {
    if (pendingRefresh.current !== null) return;
    const wait = Math.max(0, lastRefresh.current + MIN_REFRESH_GAP_MS - Date.now());
    pendingRefresh.current = setTimeout(() => {
      pendingRefresh.current = null;
      lastRefresh.current = Date.now();
      void refresh();
    }, wait);
  }, [refresh]);
  useEffect(
    () => () => {
      if (pendingRefresh.current !== null) clearTimeout(pendingRefresh.current);
      pendingRefresh.current = null;
    },
    [requestRefresh],
  );
  useEffect(() => {
    lastRefresh.current = Date.now();
  }, [key]);

  // A new notification of the stack: its deliveries were written with it.
  const seenNewest = useRef(newestNotificationId);
  useEffect(() => {
    if (newestNotificationId === seenNewest.current) return;
    seenNewest.current = newestNotificationId;
    requestRefresh();
  }, [newestNotificationId, requestRefresh]);

  // The live connection was made again: whatever changed meanwhile is read (useQuery also reads again when requests
  // get answers again after failing).
  useEffect(() => onConnected(requestRefresh), [onConnected, requestRefresh]);

  // Waiting rows are read again when they are due, with reads spaced out further each time nothing changed.
  const waiting = deliveries.filter(isWaiting);
  const waitingSignature = waiting
    .map(
      (delivery) => `${delivery.id}:${delivery.status}:${delivery.attempts.length}:${delivery.nextAttemptAt}`,
    )
    .join(',');
  const quietReads = useRef(0);
  const lastSignature = useRef('');
  const [visible, setVisible] = useState(() => document.visibilityState !== 'hidden');
  useEffect(() => {
    const onChange = () => {
      const nowVisible = document.visibilityState !== 'hidden';
      setVisible(nowVisible);
      if (nowVisible) requestRefresh();
    };
    document.addEventListener('visibilitychange', onChange);
    return () => document.removeEventListener('visibilitychange', onChange);
  }, [requestRefresh]);
  const dataVersion = query.data;
  useEffect(() => {
    if (waitingSignature === '' || !visible) {
      quietReads.current = 0;
      lastSignature.current = waitingSignature;
      return;
    }
    quietReads.current = waitingSignature === lastSignature.current ? quietReads.current + 1 : 0;
    lastSignature.current = waitingSignature;
    const now = Date.now();
    const soonest = Math.min(...waiting.map((delivery) => dueAt(delivery, now)));
    const floor = Math.min(MIN_REFRESH_GAP_MS * QUIET_BACKOFF ** quietReads.current, MAX_WAITING_REFRESH_MS);
    const delay = Math.min(Math.max(soonest + DUE_GRACE_MS - now, floor), MAX_TIMER_MS);
    const timer = setTimeout(requestRefresh, delay);
    return () => clearTimeout(timer);
    // Runs again after each read (dataVersion), so an unchanged waiting row backs off instead of stopping.
  }, [waitingSignature, dataVersion, visible, requestRefresh]);

  const replace = useCallback(
    (delivery: DeliveryRowFragment) => {
      update(({ stack }) => ({
        stack: {
          ...stack,
          deliveries: { ...stack.deliveries, nodes: replaceIn(stack.deliveries.nodes, delivery) },
        },
      }));
      setOlder((current) => current && { ...current, nodes: replaceIn(current.nodes, delivery) });
    },
    [update],
  );

  return {
    deliveries,
    loaded: query.data !== null,
    loading: query.loading,
    error: query.error?.message ?? olderError,
    hasMore: pageInfo?.hasNextPage ?? false,
    loadOlder,
    refresh,
    replace,
  };
}
