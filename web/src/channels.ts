// The channels as the page presents them: the cards' six kinds, and the grid's columns (one per channel).
import type { ChannelKind, GridChannelFragment } from './graphql/generated';

export const CHANNEL_KINDS: readonly ChannelKind[] = [
  'BROWSER',
  'EMAIL',
  'HIPCHAT',
  'IOS',
  'SLACK',
  'WEBHOOK',
];

export const CHANNEL_LABELS: Record<ChannelKind, string> = {
  BROWSER: 'Browser',
  EMAIL: 'Email',
  HIPCHAT: 'Hipchat',
  IOS: 'iOS',
  SLACK: 'Slack',
  WEBHOOK: 'Webhook',
  TEAMS: 'Microsoft Teams',
  DISCORD: 'Discord',
};

/** What a grid column's owner can do so that its channel sends. */
export type ColumnFix = 'turn-on-browser' | 'add-ios-device' | 'set-up-channel' | null;

/** Why a grid column's channel sends nothing now, in words, and what fixes it. */
export interface ColumnBlock {
  /** A few words, shown under the column's name, e.g. "No iOS device". */
  label: string;
  /** A sentence, for the column's cells' description and the tooltip. */
  detail: string;
  fix: ColumnFix;
}

export interface ColumnContext {
  /** Notifications are switched on in this browser (useBrowserAlerts). */
  browserOn: boolean;
  browserSupported: boolean;
}

/** Null while the channel can send; otherwise why it cannot. */
export function columnBlock(channel: GridChannelFragment, context: ColumnContext): ColumnBlock | null {
  if (channel.kind === 'BROWSER') {
    if (!context.browserSupported) {
      return {
        label: 'Not in this browser',
        detail: "This browser can't show notifications.",
        fix: null,
      };
    }
    if (context.browserOn) return null;
    return {
      label: 'Off in this browser',
      detail: 'Notifications are switched off in this browser, so it shows none of these events.',
      fix: 'turn-on-browser',
    };
  }
  if (channel.kind === 'IOS' && !channel.configured) {
    return {
      label: 'No iOS device',
      detail: 'No iOS device is registered: sign in to the iOS app to get these events on your phone.',
      fix: 'add-ios-device',
    };
  }
  if (!channel.configured) {
    return {
      label: 'Not set up',
      detail: `${channel.name} is not set up, so it sends nothing.`,
      fix: 'set-up-channel',
    };
  }
  if (!channel.enabled) {
    return {
      label: 'Turned off',
      detail: channel.disabledReason ?? `${channel.name} was turned off after failing for too long.`,
      fix: 'set-up-channel',
    };
  }
  return null;
}

/** A grid column's key: a personal channel's kind, or a shared channel's id. */
export function columnKey(channel: { kind: ChannelKind; channelId?: string | null }): string {
  return channel.channelId ?? channel.kind;
}
