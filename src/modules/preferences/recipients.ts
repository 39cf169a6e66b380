// Who gets a notification: decided once, at publish time, from the matrix as it is then. Pure, so it is tested
// exhaustively without a database.
import { ChannelKind, type EventType, isSharedChannel, PERSONAL_CHANNELS } from '../events/event-types';
import { resolveCell } from './preferences.service';

export interface RecipientInputs<SharedChannel extends { id: string; kind: ChannelKind; enabled: boolean }> {
  eventType: EventType;
  /** The stack's stored cells for this event type, by shared channel id. */
  stackCells: ReadonlyMap<string, boolean>;
  /** Each user's stored personal cells for this event type: userId -> channel -> enabled. */
  userCells: ReadonlyMap<string, ReadonlyMap<ChannelKind, boolean>>;
  userIds: readonly string[];
  /** The stack's shared channels, each with its own column of the matrix. */
  sharedChannels: readonly SharedChannel[];
}

export interface Recipients<SharedChannel> {
  /** Enabled shared channels whose cell is on: one delivery each. */
  sharedChannels: SharedChannel[];
  /** For each personal channel, the users whose cell is on. */
  users: Record<'BROWSER' | 'EMAIL' | 'IOS', string[]>;
}

export function decideRecipients<SharedChannel extends { id: string; kind: ChannelKind; enabled: boolean }>(
  inputs: RecipientInputs<SharedChannel>,
): Recipients<SharedChannel> {
  const sharedChannels = inputs.sharedChannels.filter(
    (channel) =>
      isSharedChannel(channel.kind) &&
      channel.enabled &&
      resolveCell(inputs.stackCells.get(channel.id), inputs.eventType, channel.kind),
  );
  const users: Recipients<SharedChannel>['users'] = { BROWSER: [], EMAIL: [], IOS: [] };
  for (const userId of inputs.userIds) {
    const cells = inputs.userCells.get(userId);
    for (const channel of PERSONAL_CHANNELS) {
      if (resolveCell(cells?.get(channel), inputs.eventType, channel)) {
        users[channel as keyof typeof users].push(userId);
      }
    }
  }
  return { sharedChannels, users };
}
