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

export type HipchatInput = {
  /** The room id or name notifications appear in. */
  room: string;
  /** A Hipchat API v1 token (Account settings > API access). */
  token: string;
};

/** OPEN until its recovery event arrives or someone resolves it (resolveIncident); then RESOLVED. */
export type IncidentState = 'OPEN' | 'RESOLVED';

/** One cell: a shared channel by channelId, or a personal kind by channel. */
export type PreferenceChange = {
  /** A personal kind (BROWSER, EMAIL, IOS). A shared kind still names the stack's oldest channel of it, but is deprecated: give channelId. */
  channel?: ChannelKind | null | undefined;
  /** A shared channel of the stack (Channel.channelId). */
  channelId?: string | number | null | undefined;
  enabled: boolean;
  eventType: EventType;
};

/** OWNER and ADMIN manage stacks, shared channels and people; MEMBER manages their own channels. */
export type Role = 'ADMIN' | 'MEMBER' | 'OWNER';

/** settings:read reads settings, settings:write changes them, events:publish publishes events. */
export type Scope = 'EVENTS_PUBLISH' | 'SETTINGS_READ' | 'SETTINGS_WRITE';

/** How urgent an event is. Quiet hours hold everything below CRITICAL. */
export type Severity = 'CRITICAL' | 'INFO' | 'WARNING';

export type SlackInput = {
  /** The channel to post in, e.g. #deploys. */
  channel?: string | null | undefined;
  /** The incoming-webhook URL Slack gave when the integration was added. */
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

export type ConfigureHipchatMutationVariables = Exact<{
  stackId: string | number;
  input: HipchatInput;
}>;

export type ConfigureHipchatMutation = {
  configureHipchat: {
    __typename: 'HipchatChannel';
    room: string | null;
    tokenHint: string | null;
    kind: ChannelKind;
    scope: ChannelScope;
    configured: boolean;
    enabled: boolean;
    disabledReason: string | null;
  };
};

export type ConfigureSlackMutationVariables = Exact<{
  stackId: string | number;
  input: SlackInput;
}>;

export type ConfigureSlackMutation = {
  configureSlack: {
    __typename: 'SlackChannel';
    channelName: string | null;
    urlHint: string | null;
    kind: ChannelKind;
    scope: ChannelScope;
    configured: boolean;
    enabled: boolean;
    disabledReason: string | null;
  };
};

export type ConfigureWebhookMutationVariables = Exact<{
  stackId: string | number;
  input: WebhookInput;
}>;

export type ConfigureWebhookMutation = {
  configureWebhook: {
    signingSecret: string | null;
    channel: {
      __typename: 'WebhookChannel';
      url: string | null;
      urlHint: string | null;
      secretHint: string | null;
      kind: ChannelKind;
      scope: ChannelScope;
      configured: boolean;
      enabled: boolean;
      disabledReason: string | null;
    };
  };
};

export type RotateWebhookSecretMutationVariables = Exact<{
  stackId: string | number;
}>;

export type RotateWebhookSecretMutation = {
  rotateWebhookSecret: {
    signingSecret: string;
    channel: {
      __typename: 'WebhookChannel';
      url: string | null;
      urlHint: string | null;
      secretHint: string | null;
      kind: ChannelKind;
      scope: ChannelScope;
      configured: boolean;
      enabled: boolean;
      disabledReason: string | null;
    };
  };
};

export type RemoveChannelMutationVariables = Exact<{
  stackId: string | number;
  kind: ChannelKind;
}>;

export type RemoveChannelMutation = {
  removeChannel:
    | {
        __typename: 'BrowserChannel';
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
        webPushSubscriptions: Array<{ id: string; endpoint: string }>;
      }
    | {
        __typename: 'DiscordChannel';
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
      }
    | {
        __typename: 'EmailChannel';
        address: string;
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
      }
    | {
        __typename: 'HipchatChannel';
        room: string | null;
        tokenHint: string | null;
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
      }
    | {
        __typename: 'IosChannel';
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
        devices: Array<{ id: string; deviceName: string | null }>;
      }
    | {
        __typename: 'SlackChannel';
        channelName: string | null;
        urlHint: string | null;
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
      }
    | {
        __typename: 'TeamsChannel';
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
      }
    | {
        __typename: 'WebhookChannel';
        url: string | null;
        urlHint: string | null;
        secretHint: string | null;
        kind: ChannelKind;
        scope: ChannelScope;
        configured: boolean;
        enabled: boolean;
        disabledReason: string | null;
      };
};

export type TestChannelMutationVariables = Exact<{
  stackId: string | number;
  kind: ChannelKind;
}>;

export type TestChannelMutation = {
  testChannel: {
    ok: boolean;
    statusCode: number | null;
    durationMs: number;
    responseExcerpt: string | null;
    error: string | null;
    target: string;
  };
};

export type DeliveryRowFragment = {
  id: string;
  channel: ChannelKind;
  target: string;
  status: DeliveryStatus;
  attemptCount: number;
  nextAttemptAt: string | null;
  createdAt: string;
  notification: { id: string; eventKey: string; occurredAt: string };
  attempts: Array<{
    at: string;
    durationMs: number;
    ok: boolean;
    statusCode: number | null;
    responseExcerpt: string | null;
    error: string | null;
  }>;
};

export type StackDeliveriesQueryVariables = Exact<{
  id: string | number;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;

export type StackDeliveriesQuery = {
  stack: {
    id: string;
    deliveries: {
      nodes: Array<{
        id: string;
        channel: ChannelKind;
        target: string;
        status: DeliveryStatus;
        attemptCount: number;
        nextAttemptAt: string | null;
        createdAt: string;
        notification: { id: string; eventKey: string; occurredAt: string };
        attempts: Array<{
          at: string;
          durationMs: number;
          ok: boolean;
          statusCode: number | null;
          responseExcerpt: string | null;
          error: string | null;
        }>;
      }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  };
};

export type RedeliverMutationVariables = Exact<{
  deliveryId: string | number;
}>;

export type RedeliverMutation = {
  redeliver: {
    id: string;
    channel: ChannelKind;
    target: string;
    status: DeliveryStatus;
    attemptCount: number;
    nextAttemptAt: string | null;
    createdAt: string;
    notification: { id: string; eventKey: string; occurredAt: string };
    attempts: Array<{
      at: string;
      durationMs: number;
      ok: boolean;
      statusCode: number | null;
      responseExcerpt: string | null;
      error: string | null;
    }>;
  };
};

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

type ChannelSettings_BrowserChannel_Fragment = {
  __typename: 'BrowserChannel';
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  webPushSubscriptions: Array<{ id: string; endpoint: string }>;
};

type ChannelSettings_DiscordChannel_Fragment = {
  __typename: 'DiscordChannel';
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type ChannelSettings_EmailChannel_Fragment = {
  __typename: 'EmailChannel';
  address: string;
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type ChannelSettings_HipchatChannel_Fragment = {
  __typename: 'HipchatChannel';
  room: string | null;
  tokenHint: string | null;
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type ChannelSettings_IosChannel_Fragment = {
  __typename: 'IosChannel';
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
  devices: Array<{ id: string; deviceName: string | null }>;
};

type ChannelSettings_SlackChannel_Fragment = {
  __typename: 'SlackChannel';
  channelName: string | null;
  urlHint: string | null;
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type ChannelSettings_TeamsChannel_Fragment = {
  __typename: 'TeamsChannel';
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

type ChannelSettings_WebhookChannel_Fragment = {
  __typename: 'WebhookChannel';
  url: string | null;
  urlHint: string | null;
  secretHint: string | null;
  kind: ChannelKind;
  scope: ChannelScope;
  configured: boolean;
  enabled: boolean;
  disabledReason: string | null;
};

export type ChannelSettingsFragment =
  | ChannelSettings_BrowserChannel_Fragment
  | ChannelSettings_DiscordChannel_Fragment
  | ChannelSettings_EmailChannel_Fragment
  | ChannelSettings_HipchatChannel_Fragment
  | ChannelSettings_IosChannel_Fragment
  | ChannelSettings_SlackChannel_Fragment
  | ChannelSettings_TeamsChannel_Fragment
  | ChannelSettings_WebhookChannel_Fragment;

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
  channelCells: Array<{
    id: string;
    eventType: EventType;
    channel: ChannelKind;
    channelId: string | null;
    enabled: boolean;
    scope: ChannelScope;
  }>;
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
    channels: Array<
      | {
          __typename: 'BrowserChannel';
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          webPushSubscriptions: Array<{ id: string; endpoint: string }>;
        }
      | {
          __typename: 'DiscordChannel';
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'EmailChannel';
          address: string;
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'HipchatChannel';
          room: string | null;
          tokenHint: string | null;
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'IosChannel';
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
          devices: Array<{ id: string; deviceName: string | null }>;
        }
      | {
          __typename: 'SlackChannel';
          channelName: string | null;
          urlHint: string | null;
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'TeamsChannel';
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
      | {
          __typename: 'WebhookChannel';
          url: string | null;
          urlHint: string | null;
          secretHint: string | null;
          kind: ChannelKind;
          scope: ChannelScope;
          configured: boolean;
          enabled: boolean;
          disabledReason: string | null;
        }
    >;
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
      channelCells: Array<{
        id: string;
        eventType: EventType;
        channel: ChannelKind;
        channelId: string | null;
        enabled: boolean;
        scope: ChannelScope;
      }>;
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
export const DeliveryRowFragmentDoc = new TypedDocumentString(
  `
    fragment DeliveryRow on Delivery {
  id
  channel
  target
  status
  attemptCount
  nextAttemptAt
  createdAt
  notification {
    id
    eventKey
    occurredAt
  }
  attempts {
    at
    durationMs
    ok
    statusCode
    responseExcerpt
    error
  }
}
    `,
  { fragmentName: 'DeliveryRow' },
) as unknown as TypedDocumentString<DeliveryRowFragment, unknown>;
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
export const ChannelSettingsFragmentDoc = new TypedDocumentString(
  `
    fragment ChannelSettings on Channel {
  __typename
  kind
  scope
  configured
  enabled
  disabledReason
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
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
  ... on BrowserChannel {
    webPushSubscriptions {
      id
      endpoint
    }
  }
}
    `,
  { fragmentName: 'ChannelSettings' },
) as unknown as TypedDocumentString<ChannelSettingsFragment, unknown>;
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
export const PreferenceRowFragmentDoc = new TypedDocumentString(
  `
    fragment PreferenceRow on EventPreferenceRow {
  id
  eventType
  key
  title
  group
  channelCells {
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
}`,
  { fragmentName: 'PreferenceRow' },
) as unknown as TypedDocumentString<PreferenceRowFragment, unknown>;
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
export const ConfigureHipchatDocument = new TypedDocumentString(`
    mutation ConfigureHipchat($stackId: ID!, $input: HipchatInput!) {
  configureHipchat(stackId: $stackId, input: $input) {
    ...ChannelSettings
  }
}
    fragment ChannelSettings on Channel {
  __typename
  kind
  scope
  configured
  enabled
  disabledReason
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
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
  ... on BrowserChannel {
    webPushSubscriptions {
      id
      endpoint
    }
  }
}`) as unknown as TypedDocumentString<ConfigureHipchatMutation, ConfigureHipchatMutationVariables>;
export const ConfigureSlackDocument = new TypedDocumentString(`
    mutation ConfigureSlack($stackId: ID!, $input: SlackInput!) {
  configureSlack(stackId: $stackId, input: $input) {
    ...ChannelSettings
  }
}
    fragment ChannelSettings on Channel {
  __typename
  kind
  scope
  configured
  enabled
  disabledReason
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
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
  ... on BrowserChannel {
    webPushSubscriptions {
      id
      endpoint
    }
  }
}`) as unknown as TypedDocumentString<ConfigureSlackMutation, ConfigureSlackMutationVariables>;
export const ConfigureWebhookDocument = new TypedDocumentString(`
    mutation ConfigureWebhook($stackId: ID!, $input: WebhookInput!) {
  configureWebhook(stackId: $stackId, input: $input) {
    signingSecret
    channel {
      ...ChannelSettings
    }
  }
}
    fragment ChannelSettings on Channel {
  __typename
  kind
  scope
  configured
  enabled
  disabledReason
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
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
  ... on BrowserChannel {
    webPushSubscriptions {
      id
      endpoint
    }
  }
}`) as unknown as TypedDocumentString<ConfigureWebhookMutation, ConfigureWebhookMutationVariables>;
export const RotateWebhookSecretDocument = new TypedDocumentString(`
    mutation RotateWebhookSecret($stackId: ID!) {
  rotateWebhookSecret(stackId: $stackId) {
    signingSecret
    channel {
      ...ChannelSettings
    }
  }
}
    fragment ChannelSettings on Channel {
  __typename
  kind
  scope
  configured
  enabled
  disabledReason
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
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
  ... on BrowserChannel {
    webPushSubscriptions {
      id
      endpoint
    }
  }
}`) as unknown as TypedDocumentString<RotateWebhookSecretMutation, RotateWebhookSecretMutationVariables>;
export const RemoveChannelDocument = new TypedDocumentString(`
    mutation RemoveChannel($stackId: ID!, $kind: ChannelKind!) {
  removeChannel(stackId: $stackId, kind: $kind) {
    ...ChannelSettings
  }
}
    fragment ChannelSettings on Channel {
  __typename
  kind
  scope
  configured
  enabled
  disabledReason
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
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
  ... on BrowserChannel {
    webPushSubscriptions {
      id
      endpoint
    }
  }
}`) as unknown as TypedDocumentString<RemoveChannelMutation, RemoveChannelMutationVariables>;
export const TestChannelDocument = new TypedDocumentString(`
    mutation TestChannel($stackId: ID!, $kind: ChannelKind!) {
  testChannel(stackId: $stackId, kind: $kind) {
    ok
    statusCode
    durationMs
    responseExcerpt
    error
    target
  }
}
    `) as unknown as TypedDocumentString<TestChannelMutation, TestChannelMutationVariables>;
export const StackDeliveriesDocument = new TypedDocumentString(`
    query StackDeliveries($id: ID!, $first: Int, $after: String) {
  stack(id: $id) {
    id
    deliveries(first: $first, after: $after) {
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
  target
  status
  attemptCount
  nextAttemptAt
  createdAt
  notification {
    id
    eventKey
    occurredAt
  }
  attempts {
    at
    durationMs
    ok
    statusCode
    responseExcerpt
    error
  }
}`) as unknown as TypedDocumentString<StackDeliveriesQuery, StackDeliveriesQueryVariables>;
export const RedeliverDocument = new TypedDocumentString(`
    mutation Redeliver($deliveryId: ID!) {
  redeliver(deliveryId: $deliveryId) {
    ...DeliveryRow
  }
}
    fragment DeliveryRow on Delivery {
  id
  channel
  target
  status
  attemptCount
  nextAttemptAt
  createdAt
  notification {
    id
    eventKey
    occurredAt
  }
  attempts {
    at
    durationMs
    ok
    statusCode
    responseExcerpt
    error
  }
}`) as unknown as TypedDocumentString<RedeliverMutation, RedeliverMutationVariables>;
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
    channels {
      ...ChannelSettings
    }
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
    fragment ChannelSettings on Channel {
  __typename
  kind
  scope
  configured
  enabled
  disabledReason
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
  ... on EmailChannel {
    address
  }
  ... on IosChannel {
    devices {
      id
      deviceName
    }
  }
  ... on BrowserChannel {
    webPushSubscriptions {
      id
      endpoint
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
