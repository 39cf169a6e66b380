// The delivery log's filter as the address's query carries it (?channelId=, ?channel=, ?status=, ?heldReason=), so
// a link can open the log filtered, e.g. a channel card's "see this channel's deliveries". Only the API's values are
// taken from a link.
import type { ChannelKind, DeliveryStatus, HeldReason } from '../../graphql/generated';

export interface DeliveryFilter {
  /** One shared channel (Channel.channelId). */
  channelId?: string;
  /** Every channel of a kind (used for the personal kinds). */
  channel?: ChannelKind;
  status?: DeliveryStatus;
  heldReason?: HeldReason;
}

const KINDS: readonly ChannelKind[] = [
  'BROWSER',
  'DISCORD',
  'EMAIL',
  'HIPCHAT',
  'IOS',
  'SLACK',
  'TEAMS',
  'WEBHOOK',
];
const STATUSES: readonly DeliveryStatus[] = ['DEAD', 'FAILED', 'HELD', 'PENDING', 'SUCCEEDED', 'SUMMARISED'];
const HELD_REASONS: readonly HeldReason[] = ['DIGESTED', 'FLAPPING', 'HELD_QUIET_HOURS'];
/** Channel ids are UUIDs; anything else in a link is ignored rather than sent. */
const CHANNEL_ID = /^[0-9A-Za-z:_-]{1,100}$/;

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

export function parseDeliveryFilter(search: string): DeliveryFilter {
  const params = new URLSearchParams(search);
  const filter: DeliveryFilter = {};
  const channelId = params.get('channelId');
  if (channelId && CHANNEL_ID.test(channelId)) filter.channelId = channelId;
  else {
    const channel = oneOf(KINDS, params.get('channel'));
    if (channel) filter.channel = channel;
  }
  const status = oneOf(STATUSES, params.get('status'));
  if (status) filter.status = status;
  else {
    const heldReason = oneOf(HELD_REASONS, params.get('heldReason'));
    if (heldReason) filter.heldReason = heldReason;
  }
  return filter;
}

export function deliveryFilterSearch(filter: DeliveryFilter): string {
  const params = new URLSearchParams();
  if (filter.channelId) params.set('channelId', filter.channelId);
  else if (filter.channel) params.set('channel', filter.channel);
  if (filter.status) params.set('status', filter.status);
  else if (filter.heldReason) params.set('heldReason', filter.heldReason);
  const search = params.toString();
  return search ? `?${search}` : '';
}
