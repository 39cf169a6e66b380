// The channel fragment narrowed per kind, for the dialogs and cards that read kind-specific fields.
import type { ChannelSettingsFragment } from '../graphql/generated';

export type ChannelOf<TypeName extends ChannelSettingsFragment['__typename']> = Extract<
  ChannelSettingsFragment,
  { __typename: TypeName }
>;

export type HipchatSettings = ChannelOf<'HipchatChannel'>;
export type SlackSettings = ChannelOf<'SlackChannel'>;
export type WebhookSettings = ChannelOf<'WebhookChannel'>;
