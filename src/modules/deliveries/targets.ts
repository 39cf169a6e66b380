// Where each channel's deliveries go, from the rows the worker's claim read, for the transports, which know no
// database.
import type { EntityManager } from 'typeorm';
import { type SecretBox, SecretDecryptionError } from '../../lib/secret-box';
import type {
  ApnsTarget,
  DiscordTarget,
  EmailTarget,
  HipchatTarget,
  SlackTarget,
  TeamsTarget,
  Transport,
  WebhookTarget,
  WebPushTarget,
} from '../../transports';
import {
  stackLinks,
  type MessageLinks,
  type MessageTemplate as TemplateText,
} from '../../transports/message-templates';
import {
  type HipchatSettings,
  type SlackSettings,
  type StackChannel,
  type WebhookSettings,
} from '../channels/stack-channel.entity';
import { ChannelKind, isSharedChannel } from '../events/event-types';
import { ALL_EVENT_TYPES } from '../templates/message-template.entity';
import {
  loadMessageTemplates,
  messageFormatOf,
  pickTemplate,
  templateChannelKey,
} from '../templates/delivery-templates';
import type { Delivery } from './delivery.entity';

export interface TargetByChannel {
  WEBHOOK: WebhookTarget;
  SLACK: SlackTarget;
  HIPCHAT: HipchatTarget;
  TEAMS: TeamsTarget;
  DISCORD: DiscordTarget;
  EMAIL: EmailTarget;
  IOS: ApnsTarget;
  BROWSER: WebPushTarget;
}

export type DeliveryTransports = { [K in ChannelKind]: Transport<TargetByChannel[K]> };

export type ResolvedTarget = { [K in ChannelKind]: { channel: K; target: TargetByChannel[K] } }[ChannelKind];

/** The columns of a shared channel that sending through it needs. */
export type SharedChannelRow = Pick<
  StackChannel,
  'id' | 'kind' | 'settings' | 'secret' | 'enabled' | 'previousSecret' | 'previousSecretUntil'
>;

/** Channel secrets are stored encrypted (SecretBox): they are decrypted here, just before sending, and only here. */
export function webhookTarget(
  channel: Pick<SharedChannelRow, 'settings' | 'secret' | 'previousSecret' | 'previousSecretUntil'>,
  secrets: SecretBox,
  now: Date,
): WebhookTarget {
  const signingSecrets = [secrets.decrypt(channel.secret)];
  if (channel.previousSecret && channel.previousSecretUntil && channel.previousSecretUntil > now) {
    signingSecrets.push(secrets.decrypt(channel.previousSecret));
  }
  return { url: (channel.settings as WebhookSettings).url, secrets: signingSecrets };
}

/** Throws SecretDecryptionError when no configured key opens the channel's secret. */
export function sharedTarget(
  channel: Omit<SharedChannelRow, 'id' | 'enabled'>,
  secrets: SecretBox,
  now: Date,
): ResolvedTarget {
  switch (channel.kind) {
    case ChannelKind.WEBHOOK:
      return { channel: ChannelKind.WEBHOOK, target: webhookTarget(channel, secrets, now) };
    case ChannelKind.SLACK:
      return {
        channel: ChannelKind.SLACK,
        target: {
          url: secrets.decrypt(channel.secret),
          channel: (channel.settings as SlackSettings).channel,
        },
      };
    case ChannelKind.TEAMS:
      return { channel: ChannelKind.TEAMS, target: { url: secrets.decrypt(channel.secret) } };
    case ChannelKind.DISCORD:
      return { channel: ChannelKind.DISCORD, target: { url: secrets.decrypt(channel.secret) } };
    default:
      return {
        channel: ChannelKind.HIPCHAT,
        target: { token: secrets.decrypt(channel.secret), room: (channel.settings as HipchatSettings).room },
      };
  }
}

export function settingsUrl(publicUrl: string, stackId: string): string {
  return `${publicUrl}/stacks/${stackId}/notifications`;
}

/** What a delivery of a batch goes to: its target, null when that is gone or disabled, or why its secret is unreadable. */
export type TargetLookup = ResolvedTarget | null | SecretDecryptionError;

/** The columns of a delivery that finding its target needs. */
export type DeliveryTargetRef = Pick<Delivery, 'id' | 'channel' | 'targetId' | 'stackId'>;

/** A personal target as the claim reads it with its delivery (null when the user, device or subscription is gone). */
export type PersonalTargetRow =
  | { channel: ChannelKind.EMAIL; email: string }
  | { channel: ChannelKind.IOS; token: string }
  | { channel: ChannelKind.BROWSER; endpoint: string; p256dh: string; auth: string };

/** A claimed delivery with the target the claim read with it. */
export interface DeliveryWithTarget {
  delivery: DeliveryTargetRef;
  /** Shared channels: the channel (null when gone). */
  sharedChannel?: SharedChannelRow | null;
  /** Email, iOS and browser deliveries: the address, device or subscription (null when gone). */
  personalTarget?: PersonalTargetRow | null;
}

/**
 * The targets of a batch of claimed deliveries, from the rows the claim read with them: a missing or disabled target
 * maps to null, a shared channel whose secret opens with no configured key to its SecretDecryptionError. Each
 * channel's secrets are decrypted once per batch, however many of its deliveries the batch holds.
 */
export function resolveTargets(
  items: readonly DeliveryWithTarget[],
  publicUrl: string,
  secrets: SecretBox,
  now: Date,
): Map<string, TargetLookup> {
  const channelTargets = new Map<string, TargetLookup>();
  const result = new Map<string, TargetLookup>();
  for (const { delivery, sharedChannel, personalTarget } of items) {
    result.set(delivery.id, resolveOne(delivery, sharedChannel ?? null, personalTarget ?? null));
  }
  return result;

  function ofChannel(channel: SharedChannelRow): TargetLookup {
    let lookup = channelTargets.get(channel.id);
    if (lookup !== undefined) return lookup;
    lookup = null;
    if (channel.enabled) {
      try {
        lookup = sharedTarget(channel, secrets, now);
      } catch (error) {
        if (!(error instanceof SecretDecryptionError)) throw error;
        lookup = error;
      }
    }
    channelTargets.set(channel.id, lookup);
    return lookup;
  }

  function resolveOne(
    delivery: DeliveryTargetRef,
    channel: SharedChannelRow | null,
    personal: PersonalTargetRow | null,
  ): TargetLookup {
    if (isSharedChannel(delivery.channel)) return channel ? ofChannel(channel) : null;
    if (!personal || personal.channel !== delivery.channel) return null;
    switch (personal.channel) {
      case ChannelKind.EMAIL:
        return {
          channel: ChannelKind.EMAIL,
          target: { to: [personal.email], settingsUrl: settingsUrl(publicUrl, delivery.stackId) },
        };
      case ChannelKind.IOS:
        return { channel: ChannelKind.IOS, target: { deviceToken: personal.token } };
      case ChannelKind.BROWSER:
        return {
          channel: ChannelKind.BROWSER,
          target: { endpoint: personal.endpoint, p256dh: personal.p256dh, auth: personal.auth },
        };
    }
  }
}

/** A claimed delivery as attachMessageTemplates needs it: its target ref, event type, and whether a summary. */
export interface TemplatedDelivery {
  delivery: DeliveryTargetRef;
  /** The wire key of the notification's event type. */
  eventType: string;
  /** A summary of held notifications of several event types: only a template for all event types applies. */
  summary: boolean;
}

/**
 * The templates a batch of deliveries may use: those of its chat and email deliveries' stacks, read in one
 * statement (none when the batch has no such delivery).
 */
export function templatesFor(
  manager: EntityManager,
  deliveries: readonly DeliveryTargetRef[],
): Promise<Map<string, TemplateText>> {
  const stackIds = deliveries
    .filter((delivery) => messageFormatOf(delivery.channel) !== null)
    .map((delivery) => delivery.stackId);
  return stackIds.length > 0 ? loadMessageTemplates(manager, stackIds) : Promise.resolve(new Map());
}

/**
 * A chat or email target with the stack's template for the event type (or the one for all event types; only that one
 * for a summary) and the stack's links; any other target as it is. `channelId`: the shared channel sending it, null
 * for email, whose templates are the stack's.
 */
export function withMessageTemplate(
  resolved: ResolvedTarget,
  of: { stackId: string; channelId: string | null; eventType: string; summary: boolean },
  templates: ReadonlyMap<string, TemplateText>,
  links: MessageLinks,
): ResolvedTarget {
  if (messageFormatOf(resolved.channel) === null) return resolved;
  const channelKey = templateChannelKey(
    resolved.channel === ChannelKind.EMAIL ? null : of.channelId,
    of.stackId,
  );
  const template = pickTemplate(templates, channelKey, of.summary ? ALL_EVENT_TYPES : of.eventType);
  return { ...resolved, target: { ...resolved.target, template, links } } as ResolvedTarget;
}

/**
 * Gives each chat and email target of a batch its stack's template for the delivery's event type (or the one for
 * all event types, from templatesFor) and the stack's links. Returns new lookups.
 */
export function attachMessageTemplates(
  deliveries: readonly TemplatedDelivery[],
  lookups: ReadonlyMap<string, TargetLookup>,
  templates: ReadonlyMap<string, TemplateText>,
  publicUrl: string,
): Map<string, TargetLookup> {
  const result = new Map(lookups);
  const links = new Map<string, MessageLinks>();
  for (const { delivery, eventType, summary } of deliveries) {
    const lookup = lookups.get(delivery.id);
    if (!lookup || lookup instanceof SecretDecryptionError || messageFormatOf(lookup.channel) === null)
      continue;
    let stackLinksOf = links.get(delivery.stackId);
    if (!stackLinksOf) links.set(delivery.stackId, (stackLinksOf = stackLinks(publicUrl, delivery.stackId)));
    result.set(
      delivery.id,
      withMessageTemplate(
        lookup,
        { stackId: delivery.stackId, channelId: delivery.targetId, eventType, summary },
        templates,
        stackLinksOf,
      ),
    );
  }
  return result;
}

/** Sends through the transport of the target's channel, keeping the channel and target types paired. */
export function sendTo(
  transports: DeliveryTransports,
  resolved: ResolvedTarget,
  payload: Parameters<Transport<unknown>['send']>[1],
) {
  const transport = transports[resolved.channel] as Transport<typeof resolved.target>;
  return transport.send(resolved.target, payload);
}
