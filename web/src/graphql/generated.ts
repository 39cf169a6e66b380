/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> =
  T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AddUserInput = {
  email: string;
  name: string;
  role?: Role;
};

/** A shared channel: its name and the settings of its kind, one of hipchat, slack, webhook, teams or discord. createChannel needs the settings; updateChannel takes a new name, new settings of the channel's kind, or both. */
export type ChannelInput = {
  discord?: DiscordInput | null | undefined;
  hipchat?: HipchatInput | null | undefined;
  /** Unique in the stack, 1 to 80 characters. Default: the kind's name, numbered when taken. */
  name?: string | null | undefined;
  slack?: SlackInput | null | undefined;
  teams?: TeamsInput | null | undefined;
  webhook?: WebhookInput | null | undefined;
};

/** Where notifications are sent. */
export type ChannelKind = 'BROWSER' | 'DISCORD' | 'EMAIL' | 'HIPCHAT' | 'IOS' | 'SLACK' | 'TEAMS' | 'WEBHOOK';

/** SHARED channels belong to the stack and are set up by OWNER or ADMIN; PERSONAL ones to each user. */
export type ChannelScope = 'PERSONAL' | 'SHARED';

export type CreateApiTokenInput = {
  /** What the token is for, e.g. "deployer". */
  name: string;
  scopes: Array<Scope>;
};

export type CreateStackInput = {
  environment?: string;
  name: string;
};

export type DeliveryStatus = 'DEAD' | 'FAILED' | 'HELD' | 'PENDING' | 'SUCCEEDED' | 'SUMMARISED';

export type DiscordInput = {
  /** The Discord channel-webhook URL (Server settings > Integrations). It is the secret: only a hint is shown. */
  url: string;
};

/** The part of the catalogue an event type belongs to: deployments, servers, jobs and processes, access. */
export type EventGroup = 'ACCESS' | 'DEPLOYMENTS' | 'JOBS_AND_PROCESSES' | 'SERVERS';

/** What an event says happened: FAILURE (opens or joins an incident), RECOVERY (a failure is over), SUCCESS (an operation succeeded) or INFORMATIONAL. */
export type EventOutcome = 'FAILURE' | 'INFORMATIONAL' | 'RECOVERY' | 'SUCCESS';

/** The kinds of event a stack reports. Each value has a dotted wire key, e.g. STACK_REDEPLOY_OK is stack.redeploy.ok. */
export type EventType =
  | 'APP_AUTH'
  | 'APP_DEAUTH'
  | 'CONTAINER_DOWN'
  | 'JOB_BACKON'
  | 'JOB_FAIL'
  | 'PROCESS_DOWN'
  | 'SERVER_BACKON'
  | 'SERVER_STOPPED'
  | 'STACK_DEPLOY_STARTED'
  | 'STACK_PROVISION_FAIL'
  | 'STACK_PROVISION_OK'
  | 'STACK_REDEPLOY_FAIL'
  | 'STACK_REDEPLOY_HOOK_FAIL'
  | 'STACK_REDEPLOY_OK';

export type FlappingInput = {
  /** 1 to 1440, and at least windowMinutes. */
  settleMinutes: number;
  /** 1 to 100. */
  threshold: number;
  /** 1 to 1440. */
  windowMinutes: number;
};

/** Why a delivery waited for the end of a window and went out in a summary. */
export type HeldReason = 'DIGESTED' | 'FLAPPING' | 'HELD_QUIET_HOURS';

export type HipchatInput = {
  /** The room id or name notifications appear in. */
  room: string;
  /** A Hipchat API v1 token (Account settings > API access). */
  token: string;
};

/** OPEN until its recovery event arrives or someone resolves it (resolveIncident); then RESOLVED. */
export type IncidentState = 'OPEN' | 'RESOLVED';

/** A message template of a channel: for one event type, or all when eventType is null. */
export type MessageTemplateKeyInput = {
  /** EMAIL for the stack's email, in place of channelId. */
  channel?: ChannelKind | null | undefined;
  /** A shared channel's id (Slack, Hipchat...); the Channel.id of the stack's channel of that kind is accepted too. */
  channelId?: string | number | null | undefined;
  /** The event type; null (or omitted) for every event type that has no template of its own. */
  eventType?: EventType | null | undefined;
  stackId: string | number;
};

/** Where a preview took its template from: the one given, the stack's stored one, or the built-in text. */
export type MessageTemplateSource = 'BUILT_IN' | 'GIVEN' | 'STORED';

/** One cell: a shared channel by channelId, or a personal kind by channel. */
export type PreferenceChange = {
  /** A personal kind (BROWSER, EMAIL, IOS). A shared kind still names the stack's oldest channel of it, but is deprecated: give channelId. */
  channel?: ChannelKind | null | undefined;
  /** A shared channel of the stack (Channel.channelId). */
  channelId?: string | number | null | undefined;
  enabled: boolean;
  eventType: EventType;
};

/** What to preview: a channel, an event type, and optionally a template and data. */
export type PreviewMessageInput = {
  /** EMAIL for the stack's email, in place of channelId. */
  channel?: ChannelKind | null | undefined;
  /** A shared channel's id (Slack, Hipchat...); the Channel.id of the stack's channel of that kind is accepted too. */
  channelId?: string | number | null | undefined;
  /** The event's data (a JSON object, at most 64 KiB), rendered strictly; when omitted, a sample of the event type, with a placeholder for each data field the template names that the sample lacks. */
  data?: unknown;
  eventType: EventType;
  stackId: string | number;
  /** EMAIL only, with template: the subject to try. */
  subject?: string | null | undefined;
  /** The template to try; the stored one (or the built-in one) when omitted. */
  template?: string | null | undefined;
};

export type QuietHoursInput = {
  /** The days a window starts on; every day when omitted. */
  days?: Array<Weekday> | null | undefined;
  /** Local end time, HH:MM (24-hour); before the start for a window that crosses midnight. */
  end: string;
  /** Local start time, HH:MM (24-hour). */
  start: string;
  /** An IANA time zone, e.g. Europe/Berlin or America/New_York. */
  timeZone: string;
};

/** Which finished deliveries of a stack to send again. */
export type RedeliverFilter = {
  /** Only channels of this kind. */
  channel?: ChannelKind | null | undefined;
  /** Only this shared channel (Channel.channelId). */
  channelId?: string | number | null | undefined;
  /** At most this many, oldest first (1 to 1000, the default); call again for the rest. */
  limit?: number | null | undefined;
  /** Only deliveries created at or after this time. */
  since?: string | null | undefined;
  stackId: string | number;
  /** FAILED or DEAD. */
  status: DeliveryStatus;
};

/** OWNER and ADMIN manage stacks, shared channels and people; MEMBER manages their own channels. */
export type Role = 'ADMIN' | 'MEMBER' | 'OWNER';

/** settings:read reads settings, settings:write changes them, events:publish publishes events. */
export type Scope = 'EVENTS_PUBLISH' | 'SETTINGS_READ' | 'SETTINGS_WRITE';

/** A Liquid template for a channel's messages; README lists its variables. */
export type SetMessageTemplateInput = {
  /** EMAIL for the stack's email, in place of channelId. */
  channel?: ChannelKind | null | undefined;
  /** A shared channel's id (Slack, Hipchat...); the Channel.id of the stack's channel of that kind is accepted too. */
  channelId?: string | number | null | undefined;
  /** The event type; null (or omitted) for every event type that has no template of its own. */
  eventType?: EventType | null | undefined;
  stackId: string | number;
  /** EMAIL only: the subject; the built-in one when null. */
  subject?: string | null | undefined;
  /** At most 10000 characters. */
  template: string;
};

/** How urgent an event is. Quiet hours hold everything below CRITICAL. */
export type Severity = 'CRITICAL' | 'INFO' | 'WARNING';

export type SlackInput = {
  /** The channel to post in, e.g. #deploys. */
  channel?: string | null | undefined;
  /** The incoming-webhook URL Slack gave when the integration was added. */
  url: string;
};

export type TeamsInput = {
  /** The Teams incoming-webhook or Workflows URL. It is the secret: only a hint is shown. */
  url: string;
};

export type WebPushKeysInput = {
  /** The subscription's auth secret, base64url. */
  auth: string;
  /** The subscription's P-256 public key, base64url. */
  p256dh: string;
};

/** What PushSubscription.toJSON() gives in the browser. */
export type WebPushSubscriptionInput = {
  endpoint: string;
  keys: WebPushKeysInput;
};

export type WebhookInput = {
  /** The endpoint that receives an HTTP POST per notification. */
  url: string;
};

/** A day of the week. */
export type Weekday = 'FRIDAY' | 'MONDAY' | 'SATURDAY' | 'SUNDAY' | 'THURSDAY' | 'TUESDAY' | 'WEDNESDAY';

export type ChannelHealthFieldsFragment = {
  lastDeliveryAt: string | null;
  lastDeliveryOk: boolean | null;
  lastStatusCode: number | null;
  lastError: string | null;
  failingSince: string | null;
  deadCount: number;
};

type SharedChannelCard_BrowserChannel_Fragment = {
  __typename: 'BrowserChannel';
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

type SharedChannelCard_DiscordChannel_Fragment = {
  __typename: 'DiscordChannel';
  urlHint: string | null;
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

type SharedChannelCard_EmailChannel_Fragment = {
  __typename: 'EmailChannel';
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

type SharedChannelCard_HipchatChannel_Fragment = {
  __typename: 'HipchatChannel';
  room: string | null;
  tokenHint: string | null;
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

type SharedChannelCard_IosChannel_Fragment = {
  __typename: 'IosChannel';
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

type SharedChannelCard_SlackChannel_Fragment = {
  __typename: 'SlackChannel';
  channelName: string | null;
  urlHint: string | null;
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

type SharedChannelCard_TeamsChannel_Fragment = {
  __typename: 'TeamsChannel';
  urlHint: string | null;
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

type SharedChannelCard_WebhookChannel_Fragment = {
  __typename: 'WebhookChannel';
  url: string | null;
  urlHint: string | null;
  secretHint: string | null;
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  health: {
    lastDeliveryAt: string | null;
    lastDeliveryOk: boolean | null;
    lastStatusCode: number | null;
    lastError: string | null;
    failingSince: string | null;
    deadCount: number;
  } | null;
};

export type SharedChannelCardFragment =
  | SharedChannelCard_BrowserChannel_Fragment
  | SharedChannelCard_DiscordChannel_Fragment
  | SharedChannelCard_EmailChannel_Fragment
  | SharedChannelCard_HipchatChannel_Fragment
  | SharedChannelCard_IosChannel_Fragment
  | SharedChannelCard_SlackChannel_Fragment
  | SharedChannelCard_TeamsChannel_Fragment
  | SharedChannelCard_WebhookChannel_Fragment;

type PersonalChannelCard_BrowserChannel_Fragment = {
  __typename: 'BrowserChannel';
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type PersonalChannelCard_DiscordChannel_Fragment = {
  __typename: 'DiscordChannel';
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type PersonalChannelCard_EmailChannel_Fragment = {
  __typename: 'EmailChannel';
  address: string;
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type PersonalChannelCard_HipchatChannel_Fragment = {
  __typename: 'HipchatChannel';
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type PersonalChannelCard_IosChannel_Fragment = {
  __typename: 'IosChannel';
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  devices: Array<{ id: string; deviceName: string | null }>;
};

type PersonalChannelCard_SlackChannel_Fragment = {
  __typename: 'SlackChannel';
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type PersonalChannelCard_TeamsChannel_Fragment = {
  __typename: 'TeamsChannel';
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type PersonalChannelCard_WebhookChannel_Fragment = {
  __typename: 'WebhookChannel';
  id: string;
  kind: ChannelKind;
  name: string;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

export type PersonalChannelCardFragment =
  | PersonalChannelCard_BrowserChannel_Fragment
  | PersonalChannelCard_DiscordChannel_Fragment
  | PersonalChannelCard_EmailChannel_Fragment
  | PersonalChannelCard_HipchatChannel_Fragment
  | PersonalChannelCard_IosChannel_Fragment
  | PersonalChannelCard_SlackChannel_Fragment
  | PersonalChannelCard_TeamsChannel_Fragment
  | PersonalChannelCard_WebhookChannel_Fragment;

export type StackChannelCardsQueryVariables = Exact<{
  id: string | number;
}>;

export type StackChannelCardsQuery = {
  stack: {
    id: string;
    sharedChannels: Array<
      | {
          __typename: 'BrowserChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'DiscordChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'EmailChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'HipchatChannel';
          room: string | null;
          tokenHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'IosChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'SlackChannel';
          channelName: string | null;
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'TeamsChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'WebhookChannel';
          url: string | null;
          urlHint: string | null;
          secretHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
    >;
    personalChannels: Array<
      | {
          __typename: 'BrowserChannel';
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'DiscordChannel';
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'EmailChannel';
          address: string;
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'HipchatChannel';
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'IosChannel';
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          devices: Array<{ id: string; deviceName: string | null }>;
        }
      | {
          __typename: 'SlackChannel';
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'TeamsChannel';
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'WebhookChannel';
          id: string;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
    >;
  };
};

export type CreateSharedChannelMutationVariables = Exact<{
  stackId: string | number;
  input: ChannelInput;
}>;

export type CreateSharedChannelMutation = {
  createChannel: {
    signingSecret: string | null;
    warning: string | null;
    channel:
      | {
          __typename: 'BrowserChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'DiscordChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'EmailChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'HipchatChannel';
          room: string | null;
          tokenHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'IosChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'SlackChannel';
          channelName: string | null;
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'TeamsChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'WebhookChannel';
          url: string | null;
          urlHint: string | null;
          secretHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        };
  };
};

export type UpdateSharedChannelMutationVariables = Exact<{
  id: string | number;
  input: ChannelInput;
}>;

export type UpdateSharedChannelMutation = {
  updateChannel: {
    signingSecret: string | null;
    warning: string | null;
    channel:
      | {
          __typename: 'BrowserChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'DiscordChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'EmailChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'HipchatChannel';
          room: string | null;
          tokenHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'IosChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'SlackChannel';
          channelName: string | null;
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'TeamsChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'WebhookChannel';
          url: string | null;
          urlHint: string | null;
          secretHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        };
  };
};

export type DeleteSharedChannelMutationVariables = Exact<{
  id: string | number;
}>;

export type DeleteSharedChannelMutation = {
  deleteChannel: { deletedChannelId: string; stoppedDeliveries: number };
};

export type RotateSigningSecretMutationVariables = Exact<{
  id: string | number;
}>;

export type RotateSigningSecretMutation = {
  rotateChannelSigningSecret: {
    signingSecret: string | null;
    channel:
      | {
          __typename: 'BrowserChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'DiscordChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'EmailChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'HipchatChannel';
          room: string | null;
          tokenHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'IosChannel';
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'SlackChannel';
          channelName: string | null;
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'TeamsChannel';
          urlHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        }
      | {
          __typename: 'WebhookChannel';
          url: string | null;
          urlHint: string | null;
          secretHint: string | null;
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          health: {
            lastDeliveryAt: string | null;
            lastDeliveryOk: boolean | null;
            lastStatusCode: number | null;
            lastError: string | null;
            failingSince: string | null;
            deadCount: number;
          } | null;
        };
  };
};

export type SendChannelTestMutationVariables = Exact<{
  stackId: string | number;
  channelId?: string | number | null | undefined;
  kind?: ChannelKind | null | undefined;
}>;

export type SendChannelTestMutation = {
  testChannel: {
    ok: boolean;
    statusCode: number | null;
    durationMs: number;
    responseExcerpt: string | null;
    error: string | null;
    target: string;
  };
};

export type TemplateEventTypesQueryVariables = Exact<{ [key: string]: never }>;

export type TemplateEventTypesQuery = {
  eventTypes: Array<{ type: EventType; key: string; description: string }>;
};

export type MessageTemplateFieldsFragment = {
  id: string;
  channel: ChannelKind;
  channelId: string | null;
  eventType: EventType | null;
  template: string;
  subject: string | null;
  updatedAt: string;
};

export type ChannelMessageTemplatesQueryVariables = Exact<{
  stackId: string | number;
  channelId?: string | number | null | undefined;
  channel?: ChannelKind | null | undefined;
}>;

export type ChannelMessageTemplatesQuery = {
  stack: {
    id: string;
    messageTemplates: Array<{
      id: string;
      channel: ChannelKind;
      channelId: string | null;
      eventType: EventType | null;
      template: string;
      subject: string | null;
      updatedAt: string;
    }>;
  };
};

export type PreviewChannelMessageQueryVariables = Exact<{
  input: PreviewMessageInput;
}>;

export type PreviewChannelMessageQuery = {
  previewMessage: {
    text: string;
    subject: string | null;
    template: string;
    subjectTemplate: string | null;
    source: MessageTemplateSource;
  };
};

export type SaveMessageTemplateMutationVariables = Exact<{
  input: SetMessageTemplateInput;
}>;

export type SaveMessageTemplateMutation = {
  setMessageTemplate: {
    id: string;
    channel: ChannelKind;
    channelId: string | null;
    eventType: EventType | null;
    template: string;
    subject: string | null;
    updatedAt: string;
  };
};

export type ResetMessageTemplateMutationVariables = Exact<{
  input: MessageTemplateKeyInput;
}>;

export type ResetMessageTemplateMutation = {
  removeMessageTemplate: {
    id: string;
    channel: ChannelKind;
    channelId: string | null;
    eventType: EventType | null;
    template: string;
    subject: string | null;
    updatedAt: string;
  };
};

export type DeliveryRowFragment = {
  id: string;
  channel: ChannelKind;
  channelId: string | null;
  target: string;
  status: DeliveryStatus;
  heldReason: HeldReason | null;
  summaryCount: number | null;
  summaryId: string | null;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  notification: { id: string; eventKey: string; title: string; data: unknown; occurredAt: string };
  attempts: Array<{
    id: string;
    at: string;
    durationMs: number;
    ok: boolean;
    statusCode: number | null;
    error: string | null;
  }>;
};

export type DeliveryAttemptExchangeFragment = {
  id: string;
  request: {
    method: string;
    url: string;
    body: string | null;
    bodyTruncated: boolean;
    bodySize: number;
    headers: Array<{ name: string; value: string }>;
  } | null;
  response: {
    status: number | null;
    body: string | null;
    bodyTruncated: boolean;
    headers: Array<{ name: string; value: string }>;
  } | null;
};

export type StackDeliveriesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
  channel?: ChannelKind | null | undefined;
  channelId?: string | number | null | undefined;
  status?: DeliveryStatus | null | undefined;
  heldReason?: HeldReason | null | undefined;
}>;

export type StackDeliveriesQuery = {
  stack: {
    id: string;
    deliveries: {
      nodes: Array<{
        id: string;
        channel: ChannelKind;
        channelId: string | null;
        target: string;
        status: DeliveryStatus;
        heldReason: HeldReason | null;
        summaryCount: number | null;
        summaryId: string | null;
        attemptCount: number;
        nextAttemptAt: string | null;
        createdAt: string;
        notification: { id: string; eventKey: string; title: string; data: unknown; occurredAt: string };
        attempts: Array<{
          id: string;
          at: string;
          durationMs: number;
          ok: boolean;
          statusCode: number | null;
          error: string | null;
        }>;
      }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

export type DeliveryChannelsQueryVariables = Exact<{
  id: string | number;
}>;

export type DeliveryChannelsQuery = {
  stack: {
    id: string;
    sharedChannels: Array<
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
      | { id: string; channelId: string | null; kind: ChannelKind; name: string }
    >;
  };
};

export type DeliveriesByIdQueryVariables = Exact<{
  ids: Array<string | number> | string | number;
}>;

export type DeliveriesByIdQuery = {
  nodes: Array<
    | { id: string }
    | { id: string }
    | { id: string }
    | {
        id: string;
        channel: ChannelKind;
        channelId: string | null;
        target: string;
        status: DeliveryStatus;
        heldReason: HeldReason | null;
        summaryCount: number | null;
        summaryId: string | null;
        attemptCount: number;
        nextAttemptAt: string | null;
        createdAt: string;
        notification: { id: string; eventKey: string; title: string; data: unknown; occurredAt: string };
        attempts: Array<{
          id: string;
          at: string;
          durationMs: number;
          ok: boolean;
          statusCode: number | null;
          error: string | null;
        }>;
      }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | null
  >;
};

export type DeliveryExchangesQueryVariables = Exact<{
  id: string | number;
}>;

export type DeliveryExchangesQuery = {
  node:
    | { id: string }
    | { id: string }
    | { id: string }
    | {
        id: string;
        attempts: Array<{
          id: string;
          request: {
            method: string;
            url: string;
            body: string | null;
            bodyTruncated: boolean;
            bodySize: number;
            headers: Array<{ name: string; value: string }>;
          } | null;
          response: {
            status: number | null;
            body: string | null;
            bodyTruncated: boolean;
            headers: Array<{ name: string; value: string }>;
          } | null;
        }>;
      }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | { id: string }
    | null;
};

export type RedeliverMutationVariables = Exact<{
  deliveryId: string | number;
}>;

export type RedeliverMutation = {
  redeliver: {
    id: string;
    channel: ChannelKind;
    channelId: string | null;
    target: string;
    status: DeliveryStatus;
    heldReason: HeldReason | null;
    summaryCount: number | null;
    summaryId: string | null;
    attemptCount: number;
    nextAttemptAt: string | null;
    createdAt: string;
    notification: { id: string; eventKey: string; title: string; data: unknown; occurredAt: string };
    attempts: Array<{
      id: string;
      at: string;
      durationMs: number;
      ok: boolean;
      statusCode: number | null;
      error: string | null;
    }>;
  };
};

export type RedeliverDeliveriesMutationVariables = Exact<{
  filter: RedeliverFilter;
}>;

export type RedeliverDeliveriesMutation = { redeliverDeliveries: { count: number; truncated: boolean } };

export type MyDevicesQueryVariables = Exact<{ [key: string]: never }>;

export type MyDevicesQuery = {
  stacks: {
    nodes: Array<{
      id: string;
      channels: Array<
        | {
            __typename: 'BrowserChannel';
            kind: ChannelKind;
            webPushSubscriptions: Array<{ id: string; endpoint: string; createdAt: string }>;
          }
        | { __typename: 'DiscordChannel'; kind: ChannelKind }
        | { __typename: 'EmailChannel'; kind: ChannelKind }
        | { __typename: 'HipchatChannel'; kind: ChannelKind }
        | {
            __typename: 'IosChannel';
            kind: ChannelKind;
            devices: Array<{ id: string; deviceName: string | null; tokenHint: string; createdAt: string }>;
          }
        | { __typename: 'SlackChannel'; kind: ChannelKind }
        | { __typename: 'TeamsChannel'; kind: ChannelKind }
        | { __typename: 'WebhookChannel'; kind: ChannelKind }
      >;
    }>;
  };
};

export type RemoveMyIosDeviceMutationVariables = Exact<{
  id: string | number;
}>;

export type RemoveMyIosDeviceMutation = { removeIosDevice: string };

export type QuietHoursFieldsFragment = {
  timeZone: string;
  start: string;
  end: string;
  days: Array<Weekday> | null;
};

export type MyQuietHoursQueryVariables = Exact<{ [key: string]: never }>;

export type MyQuietHoursQuery = {
  me: {
    id: string;
    quietHours: { timeZone: string; start: string; end: string; days: Array<Weekday> | null } | null;
  };
};

export type SetQuietHoursMutationVariables = Exact<{
  input: QuietHoursInput;
}>;

export type SetQuietHoursMutation = {
  setQuietHours: {
    id: string;
    quietHours: { timeZone: string; start: string; end: string; days: Array<Weekday> | null } | null;
  };
};

export type ClearQuietHoursMutationVariables = Exact<{ [key: string]: never }>;

export type ClearQuietHoursMutation = {
  clearQuietHours: {
    id: string;
    quietHours: { timeZone: string; start: string; end: string; days: Array<Weekday> | null } | null;
  };
};

export type EventSeverityFieldsFragment = {
  eventType: EventType;
  severity: Severity;
  defaultSeverity: Severity;
  overridden: boolean;
};

export type DigestFieldsFragment = { channel: ChannelKind; windowMinutes: number; allowance: number };

export type FlappingFieldsFragment = {
  threshold: number;
  windowMinutes: number;
  settleMinutes: number;
  overridden: boolean;
};

export type StackNoiseQueryVariables = Exact<{
  id: string | number;
}>;

export type StackNoiseQuery = {
  eventTypes: Array<{ type: EventType; key: string; title: string; group: EventGroup }>;
  stack: {
    id: string;
    eventSeverities: Array<{
      eventType: EventType;
      severity: Severity;
      defaultSeverity: Severity;
      overridden: boolean;
    }>;
    digests: Array<{ channel: ChannelKind; windowMinutes: number; allowance: number }>;
    flapping: { threshold: number; windowMinutes: number; settleMinutes: number; overridden: boolean };
    sharedChannels: Array<
      | { id: string; kind: ChannelKind; name: string }
      | { id: string; kind: ChannelKind; name: string }
      | { id: string; kind: ChannelKind; name: string }
      | { id: string; kind: ChannelKind; name: string }
      | { id: string; kind: ChannelKind; name: string }
      | { id: string; kind: ChannelKind; name: string }
      | { id: string; kind: ChannelKind; name: string }
      | { id: string; kind: ChannelKind; name: string }
    >;
  };
};

export type SetStackEventSeverityMutationVariables = Exact<{
  stackId: string | number;
  eventType: EventType;
  severity: Severity;
}>;

export type SetStackEventSeverityMutation = {
  setEventSeverity: {
    eventType: EventType;
    severity: Severity;
    defaultSeverity: Severity;
    overridden: boolean;
  };
};

export type ClearStackEventSeverityMutationVariables = Exact<{
  stackId: string | number;
  eventType: EventType;
}>;

export type ClearStackEventSeverityMutation = {
  clearEventSeverity: {
    eventType: EventType;
    severity: Severity;
    defaultSeverity: Severity;
    overridden: boolean;
  };
};

export type SetDigestMutationVariables = Exact<{
  stackId: string | number;
  channel: ChannelKind;
  windowMinutes: number;
  allowance: number;
}>;

export type SetDigestMutation = {
  setDigest: { channel: ChannelKind; windowMinutes: number; allowance: number };
};

export type ClearDigestMutationVariables = Exact<{
  stackId: string | number;
  channel: ChannelKind;
}>;

export type ClearDigestMutation = {
  clearDigest: {
    id: string;
    digests: Array<{ channel: ChannelKind; windowMinutes: number; allowance: number }>;
  };
};

export type SetFlappingMutationVariables = Exact<{
  stackId: string | number;
  input: FlappingInput;
}>;

export type SetFlappingMutation = {
  setFlapping: { threshold: number; windowMinutes: number; settleMinutes: number; overridden: boolean };
};

export type ClearFlappingMutationVariables = Exact<{
  stackId: string | number;
}>;

export type ClearFlappingMutation = {
  clearFlapping: {
    id: string;
    flapping: { threshold: number; windowMinutes: number; settleMinutes: number; overridden: boolean };
  };
};

export type SidebarNotificationFragment = {
  id: string;
  eventType: EventType;
  eventKey: string;
  title: string;
  data: unknown;
  occurredAt: string;
  read: boolean;
  browserAlert: boolean;
  outcome: EventOutcome;
  severity: Severity;
  stack: { id: string; name: string; environment: string };
  incident: {
    id: string;
    state: IncidentState;
    family: string;
    subject: string;
    openedAt: string;
    resolvedAt: string | null;
    duration: number | null;
  } | null;
};

export type StackNotificationsQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type StackNotificationsQuery = {
  stack: {
    id: string;
    unreadCount: number;
    notifications: {
      nodes: Array<{
        id: string;
        eventType: EventType;
        eventKey: string;
        title: string;
        data: unknown;
        occurredAt: string;
        read: boolean;
        browserAlert: boolean;
        outcome: EventOutcome;
        severity: Severity;
        stack: { id: string; name: string; environment: string };
        incident: {
          id: string;
          state: IncidentState;
          family: string;
          subject: string;
          openedAt: string;
          resolvedAt: string | null;
          duration: number | null;
        } | null;
      }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

export type MarkAllNotificationsReadMutationVariables = Exact<{
  stackId: string | number;
}>;

export type MarkAllNotificationsReadMutation = {
  markNotificationsRead: { stack: { id: string; unreadCount: number } };
};

export type MarkNotificationReadMutationVariables = Exact<{
  stackId: string | number;
  id: string | number;
}>;

export type MarkNotificationReadMutation = {
  markNotificationsRead: {
    notifications: Array<{ id: string; read: boolean }>;
    stack: { id: string; unreadCount: number };
  };
};

export type NotificationReceivedSubscriptionVariables = Exact<{
  stackId?: string | number | null | undefined;
  after?: string | number | null | undefined;
}>;

export type NotificationReceivedSubscription = {
  notificationReceived: {
    id: string;
    eventType: EventType;
    eventKey: string;
    title: string;
    data: unknown;
    occurredAt: string;
    read: boolean;
    browserAlert: boolean;
    outcome: EventOutcome;
    severity: Severity;
    stack: { id: string; name: string; environment: string };
    incident: {
      id: string;
      state: IncidentState;
      family: string;
      subject: string;
      openedAt: string;
      resolvedAt: string | null;
      duration: number | null;
    } | null;
  };
};

export type PersonFragment = { id: string; name: string; email: string; role: Role; createdAt: string };

export type PeopleQueryVariables = Exact<{ [key: string]: never }>;

export type PeopleQuery = {
  me: {
    id: string;
    account: {
      id: string;
      name: string;
      users: Array<{ id: string; name: string; email: string; role: Role; createdAt: string }>;
    };
  };
};

export type AddPersonMutationVariables = Exact<{
  input: AddUserInput;
}>;

export type AddPersonMutation = {
  addUser: { id: string; name: string; email: string; role: Role; createdAt: string };
};

export type SetPersonRoleMutationVariables = Exact<{
  userId: string | number;
  role: Role;
}>;

export type SetPersonRoleMutation = {
  setUserRole: { id: string; name: string; email: string; role: Role; createdAt: string };
};

export type RemovePersonMutationVariables = Exact<{
  userId: string | number;
}>;

export type RemovePersonMutation = { removeUser: { id: string } };

export type ViewerQueryVariables = Exact<{ [key: string]: never }>;

export type ViewerQuery = {
  me: { id: string; email: string; name: string; role: Role; account: { id: string; name: string } };
};

type GridChannel_BrowserChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type GridChannel_DiscordChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type GridChannel_EmailChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type GridChannel_HipchatChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type GridChannel_IosChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type GridChannel_SlackChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type GridChannel_TeamsChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type GridChannel_WebhookChannel_Fragment = {
  id: string;
  channelId: string | null;
  kind: ChannelKind;
  name: string;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

export type GridChannelFragment =
  | GridChannel_BrowserChannel_Fragment
  | GridChannel_DiscordChannel_Fragment
  | GridChannel_EmailChannel_Fragment
  | GridChannel_HipchatChannel_Fragment
  | GridChannel_IosChannel_Fragment
  | GridChannel_SlackChannel_Fragment
  | GridChannel_TeamsChannel_Fragment
  | GridChannel_WebhookChannel_Fragment;

export type PreferenceRowFragment = {
  id: string;
  eventType: EventType;
  key: string;
  title: string;
  group: EventGroup;
  channelCells: Array<{ channel: ChannelKind; channelId: string | null; enabled: boolean }>;
};

export type GridCellFragment = {
  id: string;
  eventType: EventType;
  channel: ChannelKind;
  channelId: string | null;
  enabled: boolean;
  scope: ChannelScope;
};

export type StackSettingsQueryVariables = Exact<{
  id: string | number;
}>;

export type StackSettingsQuery = {
  stack: {
    id: string;
    name: string;
    environment: string;
    personalChannels: Array<
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
    >;
    sharedChannels: Array<
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          id: string;
          channelId: string | null;
          kind: ChannelKind;
          name: string;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
    >;
    preferences: Array<{
      id: string;
      eventType: EventType;
      key: string;
      title: string;
      group: EventGroup;
      channelCells: Array<{ channel: ChannelKind; channelId: string | null; enabled: boolean }>;
    }>;
  };
};

export type SetEventPreferenceMutationVariables = Exact<{
  stackId: string | number;
  eventType: EventType;
  channel?: ChannelKind | null | undefined;
  channelId?: string | number | null | undefined;
  enabled: boolean;
}>;

export type SetEventPreferenceMutation = {
  setEventPreference: {
    id: string;
    eventType: EventType;
    channel: ChannelKind;
    channelId: string | null;
    enabled: boolean;
    scope: ChannelScope;
  };
};

export type SetEventPreferencesMutationVariables = Exact<{
  stackId: string | number;
  changes: Array<PreferenceChange> | PreferenceChange;
}>;

export type SetEventPreferencesMutation = {
  setEventPreferences: Array<{
    id: string;
    eventType: EventType;
    channel: ChannelKind;
    channelId: string | null;
    enabled: boolean;
    scope: ChannelScope;
  }>;
};

export type StacksQueryVariables = Exact<{ [key: string]: never }>;

export type StacksQuery = {
  stacks: { nodes: Array<{ id: string; name: string; environment: string; unreadCount: number }> };
};

export type CreateStackMutationVariables = Exact<{
  input: CreateStackInput;
}>;

export type CreateStackMutation = {
  createStack: { id: string; name: string; environment: string; unreadCount: number };
};

export type TokenRowFragment = {
  id: string;
  name: string;
  scopes: Array<Scope>;
  tokenPrefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
};

export type MyTokensQueryVariables = Exact<{ [key: string]: never }>;

export type MyTokensQuery = {
  me: {
    id: string;
    apiTokens: Array<{
      id: string;
      name: string;
      scopes: Array<Scope>;
      tokenPrefix: string;
      createdAt: string;
      lastUsedAt: string | null;
      revokedAt: string | null;
    }>;
  };
};

export type CreateTokenMutationVariables = Exact<{
  input: CreateApiTokenInput;
}>;

export type CreateTokenMutation = {
  createApiToken: {
    secret: string;
    token: {
      id: string;
      name: string;
      scopes: Array<Scope>;
      tokenPrefix: string;
      createdAt: string;
      lastUsedAt: string | null;
      revokedAt: string | null;
    };
  };
};

export type RevokeTokenMutationVariables = Exact<{
  id: string | number;
}>;

export type RevokeTokenMutation = {
  revokeApiToken: {
    id: string;
    name: string;
    scopes: Array<Scope>;
    tokenPrefix: string;
    createdAt: string;
    lastUsedAt: string | null;
    revokedAt: string | null;
  };
};

export type VapidPublicKeyQueryVariables = Exact<{ [key: string]: never }>;

export type VapidPublicKeyQuery = { vapidPublicKey: string };

export type RegisterWebPushSubscriptionMutationVariables = Exact<{
  input: WebPushSubscriptionInput;
}>;

export type RegisterWebPushSubscriptionMutation = {
  registerWebPushSubscription: { id: string; endpoint: string };
};

export type UnregisterWebPushSubscriptionMutationVariables = Exact<{
  endpoint: string;
}>;

export type UnregisterWebPushSubscriptionMutation = { unregisterWebPushSubscription: boolean };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ChannelHealthFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment ChannelHealthFields on ChannelHealth {
  lastDeliveryAt
  lastDeliveryOk
  lastStatusCode
  lastError
  failingSince
  deadCount
}
    `,
  { fragmentName: 'ChannelHealthFields' },
) as unknown as TypedDocumentString<ChannelHealthFieldsFragment, unknown>;
export const SharedChannelCardFragmentDoc = new TypedDocumentString(
  `
    fragment SharedChannelCard on Channel {
  __typename
  id
  channelId
  kind
  name
  configured
  enabled
  disabledReason
  health {
    ...ChannelHealthFields
  }
  ... on HipchatChannel {
    room
    tokenHint
  }
  ... on SlackChannel {
    channelName
    urlHint
  }
  ... on WebhookChannel {
    url
    urlHint
    secretHint
  }
  ... on TeamsChannel {
    urlHint
  }
  ... on DiscordChannel {
    urlHint
  }
}
    fragment ChannelHealthFields on ChannelHealth {
  lastDeliveryAt
  lastDeliveryOk
  lastStatusCode
  lastError
  failingSince
  deadCount
}`,
  { fragmentName: 'SharedChannelCard' },
) as unknown as TypedDocumentString<SharedChannelCardFragment, unknown>;
export const PersonalChannelCardFragmentDoc = new TypedDocumentString(
  `
    fragment PersonalChannelCard on Channel {
  __typename
  id
  kind
  name
  configured
  enabled
  disabledReason
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
}
    `,
  { fragmentName: 'PersonalChannelCard' },
) as unknown as TypedDocumentString<PersonalChannelCardFragment, unknown>;
export const MessageTemplateFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment MessageTemplateFields on MessageTemplate {
  id
  channel
  channelId
  eventType
  template
  subject
  updatedAt
}
    `,
  { fragmentName: 'MessageTemplateFields' },
) as unknown as TypedDocumentString<MessageTemplateFieldsFragment, unknown>;
export const DeliveryRowFragmentDoc = new TypedDocumentString(
  `
    fragment DeliveryRow on Delivery {
  id
  channel
  channelId
  target
  status
  heldReason
  summaryCount
  summaryId
  attemptCount
  nextAttemptAt
  createdAt
  notification {
    id
    eventKey
    title
    data
    occurredAt
  }
  attempts {
    id
    at
    durationMs
    ok
    statusCode
    error
  }
}
    `,
  { fragmentName: 'DeliveryRow' },
) as unknown as TypedDocumentString<DeliveryRowFragment, unknown>;
export const DeliveryAttemptExchangeFragmentDoc = new TypedDocumentString(
  `
    fragment DeliveryAttemptExchange on DeliveryAttempt {
  id
  request {
    method
    url
    headers {
      name
      value
    }
    body
    bodyTruncated
    bodySize
  }
  response {
    status
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
}
    `,
  { fragmentName: 'DeliveryAttemptExchange' },
) as unknown as TypedDocumentString<DeliveryAttemptExchangeFragment, unknown>;
export const QuietHoursFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment QuietHoursFields on QuietHours {
  timeZone
  start
  end
  days
}
    `,
  { fragmentName: 'QuietHoursFields' },
) as unknown as TypedDocumentString<QuietHoursFieldsFragment, unknown>;
export const EventSeverityFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment EventSeverityFields on EventSeveritySetting {
  eventType
  severity
  defaultSeverity
  overridden
}
    `,
  { fragmentName: 'EventSeverityFields' },
) as unknown as TypedDocumentString<EventSeverityFieldsFragment, unknown>;
export const DigestFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment DigestFields on ChannelDigest {
  channel
  windowMinutes
  allowance
}
    `,
  { fragmentName: 'DigestFields' },
) as unknown as TypedDocumentString<DigestFieldsFragment, unknown>;
export const FlappingFieldsFragmentDoc = new TypedDocumentString(
  `
    fragment FlappingFields on FlappingSettings {
  threshold
  windowMinutes
  settleMinutes
  overridden
}
    `,
  { fragmentName: 'FlappingFields' },
) as unknown as TypedDocumentString<FlappingFieldsFragment, unknown>;
export const SidebarNotificationFragmentDoc = new TypedDocumentString(
  `
    fragment SidebarNotification on Notification {
  id
  stack {
    id
    name
    environment
  }
  eventType
  eventKey
  title
  data
  occurredAt
  read
  browserAlert
  outcome
  severity
  incident {
    id
    state
    family
    subject
    openedAt
    resolvedAt
    duration
  }
}
    `,
  { fragmentName: 'SidebarNotification' },
) as unknown as TypedDocumentString<SidebarNotificationFragment, unknown>;
export const PersonFragmentDoc = new TypedDocumentString(
  `
    fragment Person on User {
  id
  name
  email
  role
  createdAt
}
    `,
  { fragmentName: 'Person' },
) as unknown as TypedDocumentString<PersonFragment, unknown>;
export const GridChannelFragmentDoc = new TypedDocumentString(
  `
    fragment GridChannel on Channel {
  id
  channelId
  kind
  name
  scope
  configured
  enabled
  disabledReason
}
    `,
  { fragmentName: 'GridChannel' },
) as unknown as TypedDocumentString<GridChannelFragment, unknown>;
export const PreferenceRowFragmentDoc = new TypedDocumentString(
  `
    fragment PreferenceRow on EventPreferenceRow {
  id
  eventType
  key
  title
  group
  channelCells {
    channel
    channelId
    enabled
  }
}
    `,
  { fragmentName: 'PreferenceRow' },
) as unknown as TypedDocumentString<PreferenceRowFragment, unknown>;
export const GridCellFragmentDoc = new TypedDocumentString(
  `
    fragment GridCell on PreferenceCell {
  id
  eventType
  channel
  channelId
  enabled
  scope
}
    `,
  { fragmentName: 'GridCell' },
) as unknown as TypedDocumentString<GridCellFragment, unknown>;
export const TokenRowFragmentDoc = new TypedDocumentString(
  `
    fragment TokenRow on ApiToken {
  id
  name
  scopes
  tokenPrefix
  createdAt
  lastUsedAt
  revokedAt
}
    `,
  { fragmentName: 'TokenRow' },
) as unknown as TypedDocumentString<TokenRowFragment, unknown>;
export const StackChannelCardsDocument = new TypedDocumentString(`
    query StackChannelCards($id: ID!) {
  stack(id: $id) {
    id
    sharedChannels {
      ...SharedChannelCard
    }
    personalChannels {
      ...PersonalChannelCard
    }
  }
}
    fragment ChannelHealthFields on ChannelHealth {
  lastDeliveryAt
  lastDeliveryOk
  lastStatusCode
  lastError
  failingSince
  deadCount
}
fragment SharedChannelCard on Channel {
  __typename
  id
  channelId
  kind
  name
  configured
  enabled
  disabledReason
  health {
    ...ChannelHealthFields
  }
  ... on HipchatChannel {
    room
    tokenHint
  }
  ... on SlackChannel {
    channelName
    urlHint
  }
  ... on WebhookChannel {
    url
    urlHint
    secretHint
  }
  ... on TeamsChannel {
    urlHint
  }
  ... on DiscordChannel {
    urlHint
  }
}
fragment PersonalChannelCard on Channel {
  __typename
  id
  kind
  name
  configured
  enabled
  disabledReason
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
}`) as unknown as TypedDocumentString<StackChannelCardsQuery, StackChannelCardsQueryVariables>;
export const CreateSharedChannelDocument = new TypedDocumentString(`
    mutation CreateSharedChannel($stackId: ID!, $input: ChannelInput!) {
  createChannel(stackId: $stackId, input: $input) {
    signingSecret
    warning
    channel {
      ...SharedChannelCard
    }
  }
}
    fragment ChannelHealthFields on ChannelHealth {
  lastDeliveryAt
  lastDeliveryOk
  lastStatusCode
  lastError
  failingSince
  deadCount
}
fragment SharedChannelCard on Channel {
  __typename
  id
  channelId
  kind
  name
  configured
  enabled
  disabledReason
  health {
    ...ChannelHealthFields
  }
  ... on HipchatChannel {
    room
    tokenHint
  }
  ... on SlackChannel {
    channelName
    urlHint
  }
  ... on WebhookChannel {
    url
    urlHint
    secretHint
  }
  ... on TeamsChannel {
    urlHint
  }
  ... on DiscordChannel {
    urlHint
  }
}`) as unknown as TypedDocumentString<CreateSharedChannelMutation, CreateSharedChannelMutationVariables>;
export const UpdateSharedChannelDocument = new TypedDocumentString(`
    mutation UpdateSharedChannel($id: ID!, $input: ChannelInput!) {
  updateChannel(id: $id, input: $input) {
    signingSecret
    warning
    channel {
      ...SharedChannelCard
    }
  }
}
    fragment ChannelHealthFields on ChannelHealth {
  lastDeliveryAt
  lastDeliveryOk
  lastStatusCode
  lastError
  failingSince
  deadCount
}
fragment SharedChannelCard on Channel {
  __typename
  id
  channelId
  kind
  name
  configured
  enabled
  disabledReason
  health {
    ...ChannelHealthFields
  }
  ... on HipchatChannel {
    room
    tokenHint
  }
  ... on SlackChannel {
    channelName
    urlHint
  }
  ... on WebhookChannel {
    url
    urlHint
    secretHint
  }
  ... on TeamsChannel {
    urlHint
  }
  ... on DiscordChannel {
    urlHint
  }
}`) as unknown as TypedDocumentString<UpdateSharedChannelMutation, UpdateSharedChannelMutationVariables>;
export const DeleteSharedChannelDocument = new TypedDocumentString(`
    mutation DeleteSharedChannel($id: ID!) {
  deleteChannel(id: $id) {
    deletedChannelId
    stoppedDeliveries
  }
}
    `) as unknown as TypedDocumentString<DeleteSharedChannelMutation, DeleteSharedChannelMutationVariables>;
export const RotateSigningSecretDocument = new TypedDocumentString(`
    mutation RotateSigningSecret($id: ID!) {
  rotateChannelSigningSecret(id: $id) {
    signingSecret
    channel {
      ...SharedChannelCard
    }
  }
}
    fragment ChannelHealthFields on ChannelHealth {
  lastDeliveryAt
  lastDeliveryOk
  lastStatusCode
  lastError
  failingSince
  deadCount
}
fragment SharedChannelCard on Channel {
  __typename
  id
  channelId
  kind
  name
  configured
  enabled
  disabledReason
  health {
    ...ChannelHealthFields
  }
  ... on HipchatChannel {
    room
    tokenHint
  }
  ... on SlackChannel {
    channelName
    urlHint
  }
  ... on WebhookChannel {
    url
    urlHint
    secretHint
  }
  ... on TeamsChannel {
    urlHint
  }
  ... on DiscordChannel {
    urlHint
  }
}`) as unknown as TypedDocumentString<RotateSigningSecretMutation, RotateSigningSecretMutationVariables>;
export const SendChannelTestDocument = new TypedDocumentString(`
    mutation SendChannelTest($stackId: ID!, $channelId: ID, $kind: ChannelKind) {
  testChannel(stackId: $stackId, channelId: $channelId, kind: $kind) {
    ok
    statusCode
    durationMs
    responseExcerpt
    error
    target
  }
}
    `) as unknown as TypedDocumentString<SendChannelTestMutation, SendChannelTestMutationVariables>;
export const TemplateEventTypesDocument = new TypedDocumentString(`
    query TemplateEventTypes {
  eventTypes {
    type
    key
    description
  }
}
    `) as unknown as TypedDocumentString<TemplateEventTypesQuery, TemplateEventTypesQueryVariables>;
export const ChannelMessageTemplatesDocument = new TypedDocumentString(`
    query ChannelMessageTemplates($stackId: ID!, $channelId: ID, $channel: ChannelKind) {
  stack(id: $stackId) {
    id
    messageTemplates(channelId: $channelId, channel: $channel) {
      ...MessageTemplateFields
    }
  }
}
    fragment MessageTemplateFields on MessageTemplate {
  id
  channel
  channelId
  eventType
  template
  subject
  updatedAt
}`) as unknown as TypedDocumentString<ChannelMessageTemplatesQuery, ChannelMessageTemplatesQueryVariables>;
export const PreviewChannelMessageDocument = new TypedDocumentString(`
    query PreviewChannelMessage($input: PreviewMessageInput!) {
  previewMessage(input: $input) {
    text
    subject
    template
    subjectTemplate
    source
  }
}
    `) as unknown as TypedDocumentString<PreviewChannelMessageQuery, PreviewChannelMessageQueryVariables>;
export const SaveMessageTemplateDocument = new TypedDocumentString(`
    mutation SaveMessageTemplate($input: SetMessageTemplateInput!) {
  setMessageTemplate(input: $input) {
    ...MessageTemplateFields
  }
}
    fragment MessageTemplateFields on MessageTemplate {
  id
  channel
  channelId
  eventType
  template
  subject
  updatedAt
}`) as unknown as TypedDocumentString<SaveMessageTemplateMutation, SaveMessageTemplateMutationVariables>;
export const ResetMessageTemplateDocument = new TypedDocumentString(`
    mutation ResetMessageTemplate($input: MessageTemplateKeyInput!) {
  removeMessageTemplate(input: $input) {
    ...MessageTemplateFields
  }
}
    fragment MessageTemplateFields on MessageTemplate {
  id
  channel
  channelId
  eventType
  template
  subject
  updatedAt
}`) as unknown as TypedDocumentString<ResetMessageTemplateMutation, ResetMessageTemplateMutationVariables>;
export const StackDeliveriesDocument = new TypedDocumentString(`
    query StackDeliveries($id: ID!, $first: Int, $after: String, $channel: ChannelKind, $channelId: ID, $status: DeliveryStatus, $heldReason: HeldReason) {
  stack(id: $id) {
    id
    deliveries(
      first: $first
      after: $after
      channel: $channel
      channelId: $channelId
      status: $status
      heldReason: $heldReason
    ) {
      nodes {
        ...DeliveryRow
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment DeliveryRow on Delivery {
  id
  channel
  channelId
  target
  status
  heldReason
  summaryCount
  summaryId
  attemptCount
  nextAttemptAt
  createdAt
  notification {
    id
    eventKey
    title
    data
    occurredAt
  }
  attempts {
    id
    at
    durationMs
    ok
    statusCode
    error
  }
}`) as unknown as TypedDocumentString<StackDeliveriesQuery, StackDeliveriesQueryVariables>;
export const DeliveryChannelsDocument = new TypedDocumentString(`
    query DeliveryChannels($id: ID!) {
  stack(id: $id) {
    id
    sharedChannels {
      id
      channelId
      kind
      name
    }
  }
}
    `) as unknown as TypedDocumentString<DeliveryChannelsQuery, DeliveryChannelsQueryVariables>;
export const DeliveriesByIdDocument = new TypedDocumentString(`
    query DeliveriesById($ids: [ID!]!) {
  nodes(ids: $ids) {
    id
    ... on Delivery {
      ...DeliveryRow
    }
  }
}
    fragment DeliveryRow on Delivery {
  id
  channel
  channelId
  target
  status
  heldReason
  summaryCount
  summaryId
  attemptCount
  nextAttemptAt
  createdAt
  notification {
    id
    eventKey
    title
    data
    occurredAt
  }
  attempts {
    id
    at
    durationMs
    ok
    statusCode
    error
  }
}`) as unknown as TypedDocumentString<DeliveriesByIdQuery, DeliveriesByIdQueryVariables>;
export const DeliveryExchangesDocument = new TypedDocumentString(`
    query DeliveryExchanges($id: ID!) {
  node(id: $id) {
    id
    ... on Delivery {
      attempts {
        ...DeliveryAttemptExchange
      }
    }
  }
}
    fragment DeliveryAttemptExchange on DeliveryAttempt {
  id
  request {
    method
    url
    headers {
      name
      value
    }
    body
    bodyTruncated
    bodySize
  }
  response {
    status
    headers {
      name
      value
    }
    body
    bodyTruncated
  }
}`) as unknown as TypedDocumentString<DeliveryExchangesQuery, DeliveryExchangesQueryVariables>;
export const RedeliverDocument = new TypedDocumentString(`
    mutation Redeliver($deliveryId: ID!) {
  redeliver(deliveryId: $deliveryId) {
    ...DeliveryRow
  }
}
    fragment DeliveryRow on Delivery {
  id
  channel
  channelId
  target
  status
  heldReason
  summaryCount
  summaryId
  attemptCount
  nextAttemptAt
  createdAt
  notification {
    id
    eventKey
    title
    data
    occurredAt
  }
  attempts {
    id
    at
    durationMs
    ok
    statusCode
    error
  }
}`) as unknown as TypedDocumentString<RedeliverMutation, RedeliverMutationVariables>;
export const RedeliverDeliveriesDocument = new TypedDocumentString(`
    mutation RedeliverDeliveries($filter: RedeliverFilter!) {
  redeliverDeliveries(filter: $filter) {
    count
    truncated
  }
}
    `) as unknown as TypedDocumentString<RedeliverDeliveriesMutation, RedeliverDeliveriesMutationVariables>;
export const MyDevicesDocument = new TypedDocumentString(`
    query MyDevices {
  stacks(first: 1) {
    nodes {
      id
      channels {
        __typename
        kind
        ... on IosChannel {
          devices {
            id
            deviceName
            tokenHint
            createdAt
          }
        }
        ... on BrowserChannel {
          webPushSubscriptions {
            id
            endpoint
            createdAt
          }
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<MyDevicesQuery, MyDevicesQueryVariables>;
export const RemoveMyIosDeviceDocument = new TypedDocumentString(`
    mutation RemoveMyIosDevice($id: ID!) {
  removeIosDevice(id: $id)
}
    `) as unknown as TypedDocumentString<RemoveMyIosDeviceMutation, RemoveMyIosDeviceMutationVariables>;
export const MyQuietHoursDocument = new TypedDocumentString(`
    query MyQuietHours {
  me {
    id
    quietHours {
      ...QuietHoursFields
    }
  }
}
    fragment QuietHoursFields on QuietHours {
  timeZone
  start
  end
  days
}`) as unknown as TypedDocumentString<MyQuietHoursQuery, MyQuietHoursQueryVariables>;
export const SetQuietHoursDocument = new TypedDocumentString(`
    mutation SetQuietHours($input: QuietHoursInput!) {
  setQuietHours(input: $input) {
    id
    quietHours {
      ...QuietHoursFields
    }
  }
}
    fragment QuietHoursFields on QuietHours {
  timeZone
  start
  end
  days
}`) as unknown as TypedDocumentString<SetQuietHoursMutation, SetQuietHoursMutationVariables>;
export const ClearQuietHoursDocument = new TypedDocumentString(`
    mutation ClearQuietHours {
  clearQuietHours {
    id
    quietHours {
      ...QuietHoursFields
    }
  }
}
    fragment QuietHoursFields on QuietHours {
  timeZone
  start
  end
  days
}`) as unknown as TypedDocumentString<ClearQuietHoursMutation, ClearQuietHoursMutationVariables>;
export const StackNoiseDocument = new TypedDocumentString(`
    query StackNoise($id: ID!) {
  eventTypes {
    type
    key
    title
    group
  }
  stack(id: $id) {
    id
    eventSeverities {
      ...EventSeverityFields
    }
    digests {
      ...DigestFields
    }
    flapping {
      ...FlappingFields
    }
    sharedChannels {
      id
      kind
      name
    }
  }
}
    fragment EventSeverityFields on EventSeveritySetting {
  eventType
  severity
  defaultSeverity
  overridden
}
fragment DigestFields on ChannelDigest {
  channel
  windowMinutes
  allowance
}
fragment FlappingFields on FlappingSettings {
  threshold
  windowMinutes
  settleMinutes
  overridden
}`) as unknown as TypedDocumentString<StackNoiseQuery, StackNoiseQueryVariables>;
export const SetStackEventSeverityDocument = new TypedDocumentString(`
    mutation SetStackEventSeverity($stackId: ID!, $eventType: EventType!, $severity: Severity!) {
  setEventSeverity(stackId: $stackId, eventType: $eventType, severity: $severity) {
    ...EventSeverityFields
  }
}
    fragment EventSeverityFields on EventSeveritySetting {
  eventType
  severity
  defaultSeverity
  overridden
}`) as unknown as TypedDocumentString<SetStackEventSeverityMutation, SetStackEventSeverityMutationVariables>;
export const ClearStackEventSeverityDocument = new TypedDocumentString(`
    mutation ClearStackEventSeverity($stackId: ID!, $eventType: EventType!) {
  clearEventSeverity(stackId: $stackId, eventType: $eventType) {
    ...EventSeverityFields
  }
}
    fragment EventSeverityFields on EventSeveritySetting {
  eventType
  severity
  defaultSeverity
  overridden
}`) as unknown as TypedDocumentString<
  ClearStackEventSeverityMutation,
  ClearStackEventSeverityMutationVariables
>;
export const SetDigestDocument = new TypedDocumentString(`
    mutation SetDigest($stackId: ID!, $channel: ChannelKind!, $windowMinutes: Int!, $allowance: Int!) {
  setDigest(
    stackId: $stackId
    channel: $channel
    windowMinutes: $windowMinutes
    allowance: $allowance
  ) {
    ...DigestFields
  }
}
    fragment DigestFields on ChannelDigest {
  channel
  windowMinutes
  allowance
}`) as unknown as TypedDocumentString<SetDigestMutation, SetDigestMutationVariables>;
export const ClearDigestDocument = new TypedDocumentString(`
    mutation ClearDigest($stackId: ID!, $channel: ChannelKind!) {
  clearDigest(stackId: $stackId, channel: $channel) {
    id
    digests {
      ...DigestFields
    }
  }
}
    fragment DigestFields on ChannelDigest {
  channel
  windowMinutes
  allowance
}`) as unknown as TypedDocumentString<ClearDigestMutation, ClearDigestMutationVariables>;
export const SetFlappingDocument = new TypedDocumentString(`
    mutation SetFlapping($stackId: ID!, $input: FlappingInput!) {
  setFlapping(stackId: $stackId, input: $input) {
    ...FlappingFields
  }
}
    fragment FlappingFields on FlappingSettings {
  threshold
  windowMinutes
  settleMinutes
  overridden
}`) as unknown as TypedDocumentString<SetFlappingMutation, SetFlappingMutationVariables>;
export const ClearFlappingDocument = new TypedDocumentString(`
    mutation ClearFlapping($stackId: ID!) {
  clearFlapping(stackId: $stackId) {
    id
    flapping {
      ...FlappingFields
    }
  }
}
    fragment FlappingFields on FlappingSettings {
  threshold
  windowMinutes
  settleMinutes
  overridden
}`) as unknown as TypedDocumentString<ClearFlappingMutation, ClearFlappingMutationVariables>;
export const StackNotificationsDocument = new TypedDocumentString(`
    query StackNotifications($id: ID!, $first: Int, $after: String) {
  stack(id: $id) {
    id
    unreadCount
    notifications(first: $first, after: $after) {
      nodes {
        ...SidebarNotification
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    fragment SidebarNotification on Notification {
  id
  stack {
    id
    name
    environment
  }
  eventType
  eventKey
  title
  data
  occurredAt
  read
  browserAlert
  outcome
  severity
  incident {
    id
    state
    family
    subject
    openedAt
    resolvedAt
    duration
  }
}`) as unknown as TypedDocumentString<StackNotificationsQuery, StackNotificationsQueryVariables>;
export const MarkAllNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkAllNotificationsRead($stackId: ID!) {
  markNotificationsRead(stackId: $stackId) {
    stack {
      id
      unreadCount
    }
  }
}
    `) as unknown as TypedDocumentString<
  MarkAllNotificationsReadMutation,
  MarkAllNotificationsReadMutationVariables
>;
export const MarkNotificationReadDocument = new TypedDocumentString(`
    mutation MarkNotificationRead($stackId: ID!, $id: ID!) {
  markNotificationsRead(stackId: $stackId, ids: [$id]) {
    notifications {
      id
      read
    }
    stack {
      id
      unreadCount
    }
  }
}
    `) as unknown as TypedDocumentString<MarkNotificationReadMutation, MarkNotificationReadMutationVariables>;
export const NotificationReceivedDocument = new TypedDocumentString(`
    subscription NotificationReceived($stackId: ID, $after: ID) {
  notificationReceived(stackId: $stackId, after: $after) {
    ...SidebarNotification
  }
}
    fragment SidebarNotification on Notification {
  id
  stack {
    id
    name
    environment
  }
  eventType
  eventKey
  title
  data
  occurredAt
  read
  browserAlert
  outcome
  severity
  incident {
    id
    state
    family
    subject
    openedAt
    resolvedAt
    duration
  }
}`) as unknown as TypedDocumentString<
  NotificationReceivedSubscription,
  NotificationReceivedSubscriptionVariables
>;
export const PeopleDocument = new TypedDocumentString(`
    query People {
  me {
    id
    account {
      id
      name
      users {
        ...Person
      }
    }
  }
}
    fragment Person on User {
  id
  name
  email
  role
  createdAt
}`) as unknown as TypedDocumentString<PeopleQuery, PeopleQueryVariables>;
export const AddPersonDocument = new TypedDocumentString(`
    mutation AddPerson($input: AddUserInput!) {
  addUser(input: $input) {
    ...Person
  }
}
    fragment Person on User {
  id
  name
  email
  role
  createdAt
}`) as unknown as TypedDocumentString<AddPersonMutation, AddPersonMutationVariables>;
export const SetPersonRoleDocument = new TypedDocumentString(`
    mutation SetPersonRole($userId: ID!, $role: Role!) {
  setUserRole(userId: $userId, role: $role) {
    ...Person
  }
}
    fragment Person on User {
  id
  name
  email
  role
  createdAt
}`) as unknown as TypedDocumentString<SetPersonRoleMutation, SetPersonRoleMutationVariables>;
export const RemovePersonDocument = new TypedDocumentString(`
    mutation RemovePerson($userId: ID!) {
  removeUser(userId: $userId) {
    id
  }
}
    `) as unknown as TypedDocumentString<RemovePersonMutation, RemovePersonMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  me {
    id
    email
    name
    role
    account {
      id
      name
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const StackSettingsDocument = new TypedDocumentString(`
    query StackSettings($id: ID!) {
  stack(id: $id) {
    id
    name
    environment
    personalChannels {
      ...GridChannel
    }
    sharedChannels {
      ...GridChannel
    }
    preferences {
      ...PreferenceRow
    }
  }
}
    fragment GridChannel on Channel {
  id
  channelId
  kind
  name
  scope
  configured
  enabled
  disabledReason
}
fragment PreferenceRow on EventPreferenceRow {
  id
  eventType
  key
  title
  group
  channelCells {
    channel
    channelId
    enabled
  }
}`) as unknown as TypedDocumentString<StackSettingsQuery, StackSettingsQueryVariables>;
export const SetEventPreferenceDocument = new TypedDocumentString(`
    mutation SetEventPreference($stackId: ID!, $eventType: EventType!, $channel: ChannelKind, $channelId: ID, $enabled: Boolean!) {
  setEventPreference(
    stackId: $stackId
    eventType: $eventType
    channel: $channel
    channelId: $channelId
    enabled: $enabled
  ) {
    ...GridCell
  }
}
    fragment GridCell on PreferenceCell {
  id
  eventType
  channel
  channelId
  enabled
  scope
}`) as unknown as TypedDocumentString<SetEventPreferenceMutation, SetEventPreferenceMutationVariables>;
export const SetEventPreferencesDocument = new TypedDocumentString(`
    mutation SetEventPreferences($stackId: ID!, $changes: [PreferenceChange!]!) {
  setEventPreferences(stackId: $stackId, changes: $changes) {
    ...GridCell
  }
}
    fragment GridCell on PreferenceCell {
  id
  eventType
  channel
  channelId
  enabled
  scope
}`) as unknown as TypedDocumentString<SetEventPreferencesMutation, SetEventPreferencesMutationVariables>;
export const StacksDocument = new TypedDocumentString(`
    query Stacks {
  stacks(first: 100) {
    nodes {
      id
      name
      environment
      unreadCount
    }
  }
}
    `) as unknown as TypedDocumentString<StacksQuery, StacksQueryVariables>;
export const CreateStackDocument = new TypedDocumentString(`
    mutation CreateStack($input: CreateStackInput!) {
  createStack(input: $input) {
    id
    name
    environment
    unreadCount
  }
}
    `) as unknown as TypedDocumentString<CreateStackMutation, CreateStackMutationVariables>;
export const MyTokensDocument = new TypedDocumentString(`
    query MyTokens {
  me {
    id
    apiTokens {
      ...TokenRow
    }
  }
}
    fragment TokenRow on ApiToken {
  id
  name
  scopes
  tokenPrefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<MyTokensQuery, MyTokensQueryVariables>;
export const CreateTokenDocument = new TypedDocumentString(`
    mutation CreateToken($input: CreateApiTokenInput!) {
  createApiToken(input: $input) {
    secret
    token {
      ...TokenRow
    }
  }
}
    fragment TokenRow on ApiToken {
  id
  name
  scopes
  tokenPrefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<CreateTokenMutation, CreateTokenMutationVariables>;
export const RevokeTokenDocument = new TypedDocumentString(`
    mutation RevokeToken($id: ID!) {
  revokeApiToken(id: $id) {
    ...TokenRow
  }
}
    fragment TokenRow on ApiToken {
  id
  name
  scopes
  tokenPrefix
  createdAt
  lastUsedAt
  revokedAt
}`) as unknown as TypedDocumentString<RevokeTokenMutation, RevokeTokenMutationVariables>;
export const VapidPublicKeyDocument = new TypedDocumentString(`
    query VapidPublicKey {
  vapidPublicKey
}
    `) as unknown as TypedDocumentString<VapidPublicKeyQuery, VapidPublicKeyQueryVariables>;
export const RegisterWebPushSubscriptionDocument = new TypedDocumentString(`
    mutation RegisterWebPushSubscription($input: WebPushSubscriptionInput!) {
  registerWebPushSubscription(input: $input) {
    id
    endpoint
  }
}
    `) as unknown as TypedDocumentString<
  RegisterWebPushSubscriptionMutation,
  RegisterWebPushSubscriptionMutationVariables
>;
export const UnregisterWebPushSubscriptionDocument = new TypedDocumentString(`
    mutation UnregisterWebPushSubscription($endpoint: String!) {
  unregisterWebPushSubscription(endpoint: $endpoint)
}
    `) as unknown as TypedDocumentString<
  UnregisterWebPushSubscriptionMutation,
  UnregisterWebPushSubscriptionMutationVariables
>;
