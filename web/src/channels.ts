// The six channels as the page presents them.
import type { ChannelKind, ChannelSettingsFragment } from './graphql/generated';

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

/** The channels set up per stack, with a dialog; the others are each person's own. */
export type SharedChannelKind = Extract<ChannelKind, 'HIPCHAT' | 'SLACK' | 'WEBHOOK'>;

export function isSharedChannel(kind: ChannelKind): kind is SharedChannelKind {
  return kind === 'HIPCHAT' || kind === 'SLACK' || kind === 'WEBHOOK';
}

export type ChannelState = 'ready' | 'not-set-up' | 'disabled';

/** Set up and delivering, never set up, or set up but disabled (e.g. after failing for too long). */
export function channelState(channel: ChannelSettingsFragment): ChannelState {
  if (!channel.configured) return 'not-set-up';
  return channel.enabled ? 'ready' : 'disabled';
}
