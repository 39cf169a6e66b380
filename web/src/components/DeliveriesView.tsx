// The stack's delivery log, newest first and kept current: compact rows that open to what each attempt sent and got
// back, filters by channel and status (in the address, so a link can open it filtered), and redelivery, one or many.
import { useMemo, useState } from 'preact/hooks';
import { errorMessage } from '../api/errors';
import { CHANNEL_LABELS } from '../channels';
import {
  DeliveryChannelsDocument,
  RedeliverDeliveriesDocument,
  RedeliverDocument,
  type ChannelKind,
  type DeliveryRowFragment,
} from '../graphql/generated';
import { canManageStacks, useSession } from '../hooks/session';
import { useDeliveryFilter, type DeliveryFilter } from '../hooks/useDeliveryFilter';
import { useDeliveryLog } from '../hooks/useDeliveryLog';
import { useNow } from '../hooks/useNow';
import { useQuery } from '../hooks/useQuery';
import { ConfirmDialog } from './ConfirmDialog';
import { FormError } from './FormError';
import { DeliveryItem } from './deliveries/DeliveryItem';
import {
  canRedeliver,
  channelName,
  isPersonalKind,
  PERSONAL_KINDS,
  STATUS_CHOICES,
} from './deliveries/delivery-text';
import './deliveries/deliveries.css';

/** Selected deliveries are started over this many at a time. */
const REDELIVER_CONCURRENCY = 4;

export interface DeliveriesViewProps {
  stackId: string;
  /** The newest notification of the stack the page has from its live feed: a new one means new deliveries. */
  newestNotificationId?: string | null;
}

type SharedChannel = { channelId: string | null; kind: ChannelKind; name: string };

function channelValue(filter: DeliveryFilter): string {
  if (filter.channelId) return `id:${filter.channelId}`;
  if (filter.channel) return `kind:${filter.channel}`;
  return '';
}

function statusValue(filter: DeliveryFilter): string {
  return filter.status ?? filter.heldReason ?? '';
}

function plural(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** Runs `task` on each item, a few at a time; resolves with how many succeeded and the first failure's message. */
async function eachLimited<T>(items: readonly T[], task: (item: T) => Promise<void>) {
  let next = 0;
  let done = 0;
  let firstError: string | null = null;
  async function worker() {
    while (next < items.length) {
      const item = items[next++];
      try {
        await task(item);
        done += 1;
      } catch (thrown) {
        firstError ??= errorMessage(thrown);
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(REDELIVER_CONCURRENCY, items.length) }, worker));
  return { done, failed: items.length - done, firstError };
}

export function DeliveriesView({ stackId, newestNotificationId = null }: DeliveriesViewProps) {
  const { api, viewer } = useSession();
  const admin = canManageStacks(viewer);
  const now = useNow();
  const [filter, setFilter] = useDeliveryFilter(stackId);
  const log = useDeliveryLog(stackId, filter, newestNotificationId);
  const channels = useQuery(DeliveryChannelsDocument, { id: stackId });
  const shared: readonly SharedChannel[] = channels.data?.stack.sharedChannels ?? [];
  const names = useMemo(
    () =>
      channels.data
        ? new Map(
            channels.data.stack.sharedChannels.flatMap((channel) =>
              channel.channelId ? [[channel.channelId, channel.name] as const] : [],
            ),
          )
        : null,
    [channels.data],
  );

  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState('');
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirming] = useState(false);

  const filterChannelName = filter.channelId
    ? (names?.get(filter.channelId) ?? (names ? 'a removed channel' : 'this channel'))
    : filter.channel
      ? CHANNEL_LABELS[filter.channel]
      : null;

  /** Members start over only their own deliveries: those of personal channels. */
  const mayRedeliver = (delivery: DeliveryRowFragment) =>
    canRedeliver(delivery.status) && (admin || isPersonalKind(delivery.channel));
  const mayRedeliverAll = admin || (!filter.channelId && (!filter.channel || isPersonalKind(filter.channel)));

  function changeFilter(next: DeliveryFilter) {
    setSelected(new Set());
    setResult('');
    setFilter(next);
  }

  function onChannelChange(value: string) {
    const { status, heldReason } = filter;
    if (value.startsWith('id:')) changeFilter({ channelId: value.slice(3), status, heldReason });
    else if (value.startsWith('kind:'))
      changeFilter({ channel: value.slice(5) as ChannelKind, status, heldReason });
    else changeFilter({ status, heldReason });
  }

  function onStatusChange(value: string) {
    const choice = STATUS_CHOICES.find((candidate) => candidate.value === value);
    const { channelId, channel } = filter;
    changeFilter({ channelId, channel, status: choice?.status, heldReason: choice?.heldReason });
  }

  function toggle(id: string) {
    setExpanded((current) => {
      const next = new Set(current);
      if (!next.delete(id)) next.add(id);
      return next;
    });
  }

  function select(id: string, on: boolean) {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  async function redeliver(delivery: DeliveryRowFragment) {
    try {
      log.replace((await api.request(RedeliverDocument, { deliveryId: delivery.id })).redeliver);
      setError(null);
    } catch (thrown) {
      setError(errorMessage(thrown));
    }
  }

  const selectable = log.deliveries.filter(mayRedeliver);
  const chosen = selectable.filter((delivery) => selected.has(delivery.id));

  async function redeliverSelected() {
    setBusy(true);
    setResult('');
    const outcome = await eachLimited(chosen, async (delivery) => {
      log.replace((await api.request(RedeliverDocument, { deliveryId: delivery.id })).redeliver);
    });
    setBusy(false);
    setSelected(new Set());
    const started = `Started ${plural(outcome.done, 'delivery', 'deliveries')} over.`;
    setResult(
      outcome.failed === 0
        ? started
        : `${started} ${plural(outcome.failed, 'was', 'were')} not: ${outcome.firstError ?? 'unknown error'}`,
    );
  }

  async function redeliverAllDead() {
    const { redeliverDeliveries } = await api.request(RedeliverDeliveriesDocument, {
      filter: {
        stackId,
        status: 'DEAD',
        channelId: filter.channelId ?? null,
        channel: filter.channelId ? null : (filter.channel ?? null),
      },
    });
    setConfirming(false);
    const where = filterChannelName ? ` on ${filterChannelName}` : '';
    const { count, truncated } = redeliverDeliveries;
    setResult(
      count === 0
        ? `Nothing to redeliver: no delivery${where} gave up.`
        : `Started ${plural(count, 'delivery', 'deliveries')} that gave up${where} over${
            truncated ? '; more remain: redeliver again for the rest' : ''
          }.`,
    );
    await log.refresh();
  }

  const channelKindsShown = new Set(shared.map((channel) => channel.kind));

  return (
    <section class="deliveries" aria-labelledby="deliveries-title">
      <div class="section-header">
        <h2 id="deliveries-title">Deliveries</h2>
        <button type="button" class="button-quiet" onClick={() => void log.refresh()}>
          Refresh
        </button>
      </div>

      <div class="delivery-toolbar">
        <div class="delivery-filters" role="group" aria-label="Filter deliveries">
          <div class="field">
            <label for="delivery-channel-filter">Channel</label>
            <select
              id="delivery-channel-filter"
              value={channelValue(filter)}
              onChange={(event) => onChannelChange(event.currentTarget.value)}
            >
              <option value="">All channels</option>
              {shared.length > 0 && (
                <optgroup label="Shared channels">
                  {shared.map(
                    (channel) =>
                      channel.channelId && (
                        <option key={channel.channelId} value={`id:${channel.channelId}`}>
                          {channel.name}
                        </option>
                      ),
                  )}
                </optgroup>
              )}
              <optgroup label="Personal channels">
                {PERSONAL_KINDS.map((kind) => (
                  <option key={kind} value={`kind:${kind}`}>
                    {CHANNEL_LABELS[kind]}
                  </option>
                ))}
              </optgroup>
              {filter.channelId && names && !names.has(filter.channelId) && (
                <option value={`id:${filter.channelId}`}>A removed channel</option>
              )}
              {filter.channel && !isPersonalKind(filter.channel) && (
                <option value={`kind:${filter.channel}`}>
                  Every {CHANNEL_LABELS[filter.channel]} channel
                  {channelKindsShown.has(filter.channel) ? '' : ' (none now)'}
                </option>
              )}
            </select>
          </div>
          <div class="field">
            <label for="delivery-status-filter">Status</label>
            <select
              id="delivery-status-filter"
              value={statusValue(filter)}
              onChange={(event) => onStatusChange(event.currentTarget.value)}
            >
              <option value="">All statuses</option>
              {STATUS_CHOICES.map((choice) => (
                <option key={choice.value} value={choice.value}>
                  {choice.label}
                </option>
              ))}
            </select>
          </div>
        </div>
        {mayRedeliverAll && (
          <button type="button" class="button-quiet" onClick={() => setConfirming(true)}>
            {filterChannelName
              ? `Redeliver all that gave up on ${filterChannelName}`
              : 'Redeliver all that gave up'}
          </button>
        )}
      </div>

      {chosen.length > 0 && (
        <div class="bulk-bar">
          <span>{plural(chosen.length, 'delivery', 'deliveries')} selected</span>
          <button
            type="button"
            class="button-secondary"
            disabled={busy}
            onClick={() => void redeliverSelected()}
          >
            Redeliver selected
          </button>
          {chosen.length < selectable.length && (
            <button
              type="button"
              class="button-quiet"
              onClick={() => setSelected(new Set(selectable.map((delivery) => delivery.id)))}
            >
              Select all {selectable.length} shown
            </button>
          )}
          <button type="button" class="button-quiet" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
        </div>
      )}
      <p class="bulk-result" role="status">
        {result}
      </p>

      <FormError message={error ?? log.error ?? null} />
      {!log.loaded && log.loading && <p class="hint">Loading…</p>}
      {log.loaded && log.deliveries.length === 0 && (
        <p class="hint">
          {filter.channelId || filter.channel || filter.status || filter.heldReason
            ? 'No deliveries match these filters.'
            : 'No deliveries yet: each notification sent on a channel is listed here with its attempts.'}
        </p>
      )}
      <ol class="delivery-list" aria-label="Deliveries, newest first">
        {log.deliveries.map((delivery) => (
          <DeliveryItem
            key={delivery.id}
            delivery={delivery}
            channelLabel={channelName(delivery, names)}
            now={now}
            expanded={expanded.has(delivery.id)}
            onToggle={() => toggle(delivery.id)}
            redeliverable={mayRedeliver(delivery)}
            selected={selected.has(delivery.id)}
            onSelect={(on) => select(delivery.id, on)}
            onRedeliver={() => void redeliver(delivery)}
          />
        ))}
      </ol>
      {log.hasMore && (
        <button type="button" class="button-quiet show-older" onClick={() => void log.loadOlder()}>
          Show older deliveries
        </button>
      )}

      {confirming && (
        <ConfirmDialog
          title="Redeliver all that gave up?"
          confirmLabel="Redeliver them"
          onConfirm={redeliverAllDead}
          onClose={() => setConfirming(false)}
        >
          <p>
            Every delivery{filterChannelName ? ` on ${filterChannelName}` : ' of this stack'} that gave up
            {admin ? '' : ' (of your own channels)'} is sent again from the start of the retry schedule,
            oldest first, up to 1,000 at a time.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
