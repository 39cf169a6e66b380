// The six channels of the stack, each with its state and what sets it up.
import { CHANNEL_LABELS, channelState, isSharedChannel, type SharedChannelKind } from '../channels';
import type { ChannelSettingsFragment } from '../graphql/generated';
import type { BrowserAlerts } from '../hooks/useBrowserAlerts';
import { BrowserSwitch } from './BrowserSwitch';

export interface ChannelCardsProps {
  channels: readonly ChannelSettingsFragment[];
  alerts: BrowserAlerts;
  /** Null when the viewer may not set up shared channels. */
  onSetUp: ((kind: SharedChannelKind) => void) | null;
}

function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`;
}

function channelDetail(channel: ChannelSettingsFragment): string {
  switch (channel.__typename) {
    case 'BrowserChannel':
      return 'For you, in each browser where you turn them on';
    case 'EmailChannel':
      return `To ${channel.address}`;
    case 'HipchatChannel':
      return channel.configured
        ? `Room ${channel.room ?? ''}, token ${channel.tokenHint ?? ''}`
        : 'Posts to a Hipchat room';
    case 'IosChannel':
      return channel.configured
        ? plural(channel.devices.length, 'device', 'devices')
        : 'No device registered yet: devices are added from the iOS app';
    case 'SlackChannel':
      return channel.configured
        ? [channel.channelName, channel.urlHint].filter(Boolean).join(' · ')
        : 'Posts to a Slack channel';
    case 'WebhookChannel':
      return channel.configured
        ? (channel.url ?? channel.urlHint ?? '')
        : 'POSTs each notification, signed, to your URL';
    // Not in the page's kind-level list (Stack.channels) yet; named here so the switch stays complete.
    case 'TeamsChannel':
      return 'Posts to a Microsoft Teams channel';
    case 'DiscordChannel':
      return 'Posts to a Discord channel';
  }
}

export function ChannelCards({ channels, alerts, onSetUp }: ChannelCardsProps) {
  return (
    <ul class="channel-cards">
      {channels.map((channel) => {
        const state = channelState(channel);
        const label = CHANNEL_LABELS[channel.kind];
        const kind = channel.kind;
        return (
          <li key={kind} class={`channel-card is-${state}`} data-kind={kind}>
            <h3>
              {label}
              {state !== 'ready' && (
                <span class="badge">{state === 'disabled' ? 'disabled' : 'not set up'}</span>
              )}
            </h3>
            <p class="channel-detail">
              {state === 'disabled' && channel.disabledReason
                ? channel.disabledReason
                : channelDetail(channel)}
            </p>
            {kind === 'BROWSER' && <BrowserSwitch alerts={alerts} />}
            {isSharedChannel(kind) &&
              (onSetUp ? (
                <button type="button" class="button-secondary" onClick={() => onSetUp(kind)}>
                  {channel.configured ? `Edit ${label}` : `Set up ${label}`}
                </button>
              ) : (
                <p class="hint">Set up by an owner or admin.</p>
              ))}
          </li>
        );
      })}
    </ul>
  );
}
