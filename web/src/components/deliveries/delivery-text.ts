// How the delivery log words a delivery: its status as a person reads it, why it waits, and the filters' choices.
import { CHANNEL_LABELS } from '../../channels';
import type { ChannelKind, DeliveryStatus, HeldReason } from '../../graphql/generated';

/** The fields of a delivery its status words depend on. */
export interface DeliveryState {
  status: DeliveryStatus;
  heldReason: HeldReason | null;
  attemptCount: number;
  summaryCount: number | null;
}

/** The colour family of a status, for its pill: the words always say it too. */
export type StatusTone = 'ok' | 'retrying' | 'bad' | 'waiting' | 'held' | 'done';

export const HELD_REASON_LABELS: Record<HeldReason, string> = {
  HELD_QUIET_HOURS: 'Held for quiet hours',
  DIGESTED: 'Held for the digest',
  FLAPPING: 'Held while flapping',
};

/** "Delivered", "Failed — will retry", "Gave up", "Waiting", "Held for quiet hours"... */
export function deliveryStatusText(delivery: DeliveryState): string {
  switch (delivery.status) {
    case 'SUCCEEDED':
      return 'Delivered';
    case 'PENDING':
      return delivery.attemptCount > 0 ? 'Failed — will retry' : 'Waiting';
    case 'FAILED':
      return 'Failed — not retried';
    case 'DEAD':
      return 'Gave up';
    case 'HELD':
      return delivery.heldReason ? HELD_REASON_LABELS[delivery.heldReason] : 'Held';
    case 'SUMMARISED':
      return 'Sent in a summary';
  }
}

export function deliveryStatusTone(delivery: DeliveryState): StatusTone {
  switch (delivery.status) {
    case 'SUCCEEDED':
      return 'ok';
    case 'PENDING':
      return delivery.attemptCount > 0 ? 'retrying' : 'waiting';
    case 'FAILED':
    case 'DEAD':
      return 'bad';
    case 'HELD':
      return 'held';
    case 'SUMMARISED':
      return 'done';
  }
}

/**
 * What a summary delivery is ("Quiet-hours summary of 12 notifications"), or null for a delivery of one notification.
 * A summary counts what it carries when it is gathered, at its window's end: until then it is 0, and so it is for a
 * flapping subject's "settled" message.
 */
export function summaryText(delivery: DeliveryState): string | null {
  const count = delivery.summaryCount;
  if (count === null) return null;
  const gathered = count > 0 ? ` of ${count} notification${count === 1 ? '' : 's'}` : '';
  switch (delivery.heldReason) {
    case 'HELD_QUIET_HOURS':
      return `Quiet-hours summary${gathered}`;
    case 'DIGESTED':
      return `Digest${gathered}`;
    case 'FLAPPING':
      if (count === 0 && delivery.status !== 'PENDING') return 'Settled message';
      return `Flapping summary${gathered}`;
    default:
      return `Summary${gathered}`;
  }
}

/** Whether "Redeliver" can start it over: anything that is not waiting to be sent. */
export function canRedeliver(status: DeliveryStatus): boolean {
  return status !== 'PENDING' && status !== 'HELD';
}

/** "1 attempt", "3 attempts", "not tried yet". */
export function attemptCountText(count: number): string {
  if (count === 0) return 'not tried yet';
  return `${count} attempt${count === 1 ? '' : 's'}`;
}

/** A status filter: a status of the API, or a reason deliveries waited (held ones and their summaries). */
export interface StatusChoice {
  value: string;
  label: string;
  status?: DeliveryStatus;
  heldReason?: HeldReason;
}

export const STATUS_CHOICES: readonly StatusChoice[] = [
  { value: 'SUCCEEDED', label: 'Delivered', status: 'SUCCEEDED' },
  { value: 'PENDING', label: 'Waiting or will retry', status: 'PENDING' },
  { value: 'DEAD', label: 'Gave up', status: 'DEAD' },
  { value: 'FAILED', label: 'Failed — not retried', status: 'FAILED' },
  { value: 'HELD', label: 'Held', status: 'HELD' },
  { value: 'SUMMARISED', label: 'Sent in a summary', status: 'SUMMARISED' },
  { value: 'HELD_QUIET_HOURS', label: 'Quiet hours (held and summaries)', heldReason: 'HELD_QUIET_HOURS' },
  { value: 'DIGESTED', label: 'Digests (held and summaries)', heldReason: 'DIGESTED' },
  { value: 'FLAPPING', label: 'Flapping (held and summaries)', heldReason: 'FLAPPING' },
];

export const PERSONAL_KINDS: readonly ChannelKind[] = ['EMAIL', 'IOS', 'BROWSER'];

export function isPersonalKind(kind: ChannelKind): boolean {
  return PERSONAL_KINDS.includes(kind);
}

/**
 * A shared channel's name, or its kind's for personal channels; a shared channel no longer among `names` was removed.
 * `names` is null until the stack's channels are read.
 */
export function channelName(
  delivery: { channel: ChannelKind; channelId: string | null },
  names: ReadonlyMap<string, string> | null,
): string {
  const kind = CHANNEL_LABELS[delivery.channel];
  if (!delivery.channelId || !names) return kind;
  return names.get(delivery.channelId) ?? `${kind} (removed channel)`;
}
