// The shared channel kinds the page sets up, what each asks for, and the channel fragments narrowed per kind.
import type { ChannelInput, SharedChannelCardFragment } from '../graphql/generated';

export type SharedChannel = SharedChannelCardFragment;

export type ChannelOf<TypeName extends SharedChannel['__typename']> = Extract<
  SharedChannel,
  { __typename: TypeName }
>;

/** The kinds of which a stack has channels of its own (several of each). */
export type SharedKind = 'SLACK' | 'HIPCHAT' | 'WEBHOOK' | 'TEAMS' | 'DISCORD';

export const SHARED_KINDS: readonly SharedKind[] = ['SLACK', 'HIPCHAT', 'WEBHOOK', 'TEAMS', 'DISCORD'];

export function isSharedKind(kind: string): kind is SharedKind {
  return (SHARED_KINDS as readonly string[]).includes(kind);
}

/** A field of a kind's settings, named as in its input (ChannelInput.slack.url...). */
export interface SettingField {
  key: string;
  label: string;
  type: 'text' | 'url' | 'password';
  /** The setting is a secret the API shows only as a hint: it starts empty when editing. */
  secret?: boolean;
  optional?: boolean;
  placeholder?: string;
  hint?: string;
}

export interface KindSpec {
  label: string;
  /** The input object of ChannelInput that carries the kind's settings. */
  input: keyof Omit<ChannelInput, 'name'>;
  /** What to do on the other side, shown above the fields. */
  howTo: string;
  fields: readonly SettingField[];
  /** The card's one line about where it posts. */
  describe: (channel: SharedChannel) => string;
}

function urlHintOf(channel: SharedChannel): string {
  return 'urlHint' in channel ? (channel.urlHint ?? '') : '';
}

export const KIND_SPECS: Record<SharedKind, KindSpec> = {
  SLACK: {
    label: 'Slack',
    input: 'slack',
    howTo:
      'Add an incoming webhook in Slack, choose the channel to post in, and paste the URL Slack gives you.',
    fields: [
      {
        key: 'url',
        label: 'Incoming-webhook URL',
        type: 'url',
        secret: true,
        placeholder: 'https://hooks.slack.com/services/…',
      },
      { key: 'channel', label: 'Channel (optional)', type: 'text', optional: true, placeholder: '#deploys' },
    ],
    describe: (channel) =>
      [channel.__typename === 'SlackChannel' ? channel.channelName : null, urlHintOf(channel)]
        .filter(Boolean)
        .join(' · '),
  },
  HIPCHAT: {
    label: 'Hipchat',
    input: 'hipchat',
    howTo:
      'In Hipchat, open Account settings, then API access, then the link for API version 1, and create a token.',
    fields: [
      { key: 'token', label: 'API token', type: 'password', secret: true },
      { key: 'room', label: 'Room', type: 'text', hint: 'The room id or name notifications appear in.' },
    ],
    describe: (channel) =>
      channel.__typename === 'HipchatChannel'
        ? `Room ${channel.room ?? ''}, token ${channel.tokenHint ?? ''}`
        : '',
  },
  WEBHOOK: {
    label: 'Webhook',
    input: 'webhook',
    howTo: 'Every notification of this stack is sent to this URL as an HTTP POST, signed with the secret.',
    fields: [
      { key: 'url', label: 'Endpoint URL', type: 'url', placeholder: 'https://example.com/hooks/stacks' },
    ],
    describe: (channel) =>
      channel.__typename === 'WebhookChannel' ? (channel.url ?? channel.urlHint ?? '') : '',
  },
  TEAMS: {
    label: 'Microsoft Teams',
    input: 'teams',
    howTo:
      'In Teams, add a Workflows "post to a channel when a webhook request is received" flow and paste its URL.',
    fields: [{ key: 'url', label: 'Workflows URL', type: 'url', secret: true, placeholder: 'https://…' }],
    describe: urlHintOf,
  },
  DISCORD: {
    label: 'Discord',
    input: 'discord',
    howTo:
      'In Discord, open Server settings, then Integrations, create a webhook for the channel and copy its URL.',
    fields: [
      {
        key: 'url',
        label: 'Channel webhook URL',
        type: 'url',
        secret: true,
        placeholder: 'https://discord.com/api/webhooks/…',
      },
    ],
    describe: urlHintOf,
  },
};

/** The value a setting shows when the dialog opens: what the API shows of it, or nothing for a secret. */
export function initialSetting(channel: SharedChannel | null, field: SettingField): string {
  if (!channel || field.secret) return '';
  const value = (channel as Record<string, unknown>)[field.key === 'channel' ? 'channelName' : field.key];
  return typeof value === 'string' ? value : '';
}
