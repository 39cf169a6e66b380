// The stack's delivery log, newest first: every attempt with what the receiver answered, and "Redeliver".
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import { CHANNEL_LABELS } from '../channels';
import { formatDateTime, formatDateTimePrecise, formatDuration } from '../format';
import {
  RedeliverDocument,
  StackDeliveriesDocument,
  type DeliveryRowFragment,
  type StackDeliveriesQuery,
} from '../graphql/generated';
import { useSession } from '../hooks/session';
import { useQuery } from '../hooks/useQuery';
import { FormError } from './FormError';

const PAGE_SIZE = 20;
/** How often the log is read again while a delivery is still pending. */
const PENDING_REFRESH_MS = 2000;

type Page = StackDeliveriesQuery['stack']['deliveries'];

/**
 * The rows below the first page, loaded with "Show older". The first page is read again on Refresh and while a
 * delivery is pending; rows it no longer holds (newer deliveries pushed them down) move here, so none goes missing.
 */
function useOlderDeliveries(stackId: string, firstPage: Page | undefined) {
  const { api } = useSession();
  const [older, setOlder] = useState<Page | null>(null);
  const [error, setError] = useState<string | null>(null);
  const shown = useRef<DeliveryRowFragment[]>([]);

  useEffect(() => setOlder(null), [stackId]);
  useEffect(() => {
    const previous = shown.current;
    shown.current = firstPage?.nodes ?? [];
    if (!firstPage) return;
    const kept = new Set(firstPage.nodes.map((node) => node.id));
    const pushedDown = previous.filter((node) => !kept.has(node.id));
    if (pushedDown.length > 0) {
      setOlder((current) => current && { ...current, nodes: [...pushedDown, ...current.nodes] });
    }
  }, [firstPage]);

  const pageInfo = older?.pageInfo ?? firstPage?.pageInfo;
  const loadOlder = useCallback(async () => {
    if (!pageInfo?.endCursor) return;
    try {
      const { stack } = await api.request(StackDeliveriesDocument, {
        id: stackId,
        first: PAGE_SIZE,
        after: pageInfo.endCursor,
      });
      setOlder((current) => ({
        nodes: [...(current?.nodes ?? []), ...stack.deliveries.nodes],
        pageInfo: stack.deliveries.pageInfo,
      }));
      setError(null);
    } catch (thrown) {
      setError(errorMessage(thrown));
    }
  }, [api, pageInfo?.endCursor, stackId]);

  const replace = useCallback((delivery: DeliveryRowFragment) => {
    setOlder(
      (current) =>
        current && {
          ...current,
          nodes: current.nodes.map((node) => (node.id === delivery.id ? delivery : node)),
        },
    );
  }, []);

  return { older: older?.nodes ?? [], hasMore: pageInfo?.hasNextPage ?? false, loadOlder, replace, error };
}

export function DeliveriesView({ stackId }: { stackId: string }) {
  const { api } = useSession();
  const query = useQuery(StackDeliveriesDocument, { id: stackId, first: PAGE_SIZE });
  const [error, setError] = useState<string | null>(null);
  const firstPage = query.data?.stack.deliveries;
  const older = useOlderDeliveries(stackId, firstPage);
  const firstIds = new Set(firstPage?.nodes.map((node) => node.id));
  const deliveries = [...(firstPage?.nodes ?? []), ...older.older.filter((node) => !firstIds.has(node.id))];
  const pending = firstPage?.nodes.some((delivery) => delivery.status === 'PENDING') ?? false;
  const { reload, update } = query;

  useEffect(() => {
    if (!pending) return;
    const timer = setInterval(() => void reload(), PENDING_REFRESH_MS);
    return () => clearInterval(timer);
  }, [pending, reload]);

  function replace(delivery: DeliveryRowFragment) {
    update(({ stack }) => ({
      stack: {
        ...stack,
        deliveries: {
          ...stack.deliveries,
          nodes: stack.deliveries.nodes.map((node) => (node.id === delivery.id ? delivery : node)),
        },
      },
    }));
    older.replace(delivery);
  }

  async function redeliver(delivery: DeliveryRowFragment) {
    try {
      replace((await api.request(RedeliverDocument, { deliveryId: delivery.id })).redeliver);
      setError(null);
    } catch (thrown) {
      setError(errorMessage(thrown));
    }
  }

  return (
    <section class="deliveries" aria-label="Deliveries">
      <div class="section-header">
        <h2>Deliveries</h2>
        <button type="button" class="button-quiet" onClick={() => void reload()}>
          Refresh
        </button>
      </div>
      <FormError message={error ?? older.error ?? query.error?.message ?? null} />
      {!query.data && query.loading && <p class="hint">Loading…</p>}
      {query.data && deliveries.length === 0 && (
        <p class="hint">
          No deliveries yet: each notification sent on a channel is listed here with its attempts.
        </p>
      )}
      <ol class="delivery-list">
        {deliveries.map((delivery) => (
          <DeliveryItem key={delivery.id} delivery={delivery} onRedeliver={() => void redeliver(delivery)} />
        ))}
      </ol>
      {older.hasMore && (
        <button type="button" class="button-quiet" onClick={() => void older.loadOlder()}>
          Show older deliveries
        </button>
      )}
    </section>
  );
}

function DeliveryItem({ delivery, onRedeliver }: { delivery: DeliveryRowFragment; onRedeliver: () => void }) {
  const label = CHANNEL_LABELS[delivery.channel];
  return (
    <li class="delivery card" data-delivery-id={delivery.id}>
      <div class="delivery-header">
        <span class={`status status-${delivery.status.toLowerCase()}`}>{delivery.status}</span>
        <strong>{label}</strong>
        <span class="target">{delivery.target}</span>
        <code>{delivery.notification.eventKey}</code>
        <time class="muted" dateTime={delivery.createdAt}>
          {formatDateTime(delivery.createdAt)}
        </time>
        {delivery.status !== 'PENDING' && (
          <button
            type="button"
            class="button-secondary"
            onClick={onRedeliver}
            aria-label={`Redeliver ${delivery.notification.eventKey} by ${label} to ${delivery.target}`}
          >
            Redeliver
          </button>
        )}
      </div>
      {delivery.status === 'PENDING' && delivery.nextAttemptAt && (
        <p class="hint">Next attempt {formatDateTime(delivery.nextAttemptAt)}</p>
      )}
      {delivery.attempts.length > 0 && <Attempts attempts={delivery.attempts} />}
    </li>
  );
}

function Attempts({ attempts }: { attempts: DeliveryRowFragment['attempts'] }) {
  return (
    <div class="table-scroller">
      <table class="attempts">
        <caption class="visually-hidden">Attempts, oldest first</caption>
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Result</th>
            <th scope="col">Status code</th>
            <th scope="col">Time</th>
            <th scope="col">Response</th>
          </tr>
        </thead>
        <tbody>
          {attempts.map((attempt) => (
            <tr key={attempt.at}>
              <td data-label="When">
                <time dateTime={attempt.at}>{formatDateTimePrecise(attempt.at)}</time>
              </td>
              <td data-label="Result" class={attempt.ok ? 'is-ok' : 'is-failed'}>
                {attempt.ok ? 'OK' : 'Failed'}
              </td>
              <td data-label="Status code">{attempt.statusCode ?? '—'}</td>
              <td data-label="Time">{formatDuration(attempt.durationMs)}</td>
              <td data-label="Response">
                <div>
                  {attempt.error && <p class="test-error">{attempt.error}</p>}
                  {attempt.responseExcerpt && <pre class="excerpt">{attempt.responseExcerpt}</pre>}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
