// The event catalogue: the seed's fourteen event types, their wire keys and descriptions, in one place.
import { registerEnumType } from 'type-graphql';

/** GraphQL names are the enum keys; the values are the wire keys that webhooks and the database carry. */
export enum EventType {
  STACK_PROVISION_OK = 'stack.provision.ok',
  STACK_PROVISION_FAIL = 'stack.provision.fail',
  STACK_REDEPLOY_OK = 'stack.redeploy.ok',
  STACK_REDEPLOY_FAIL = 'stack.redeploy.fail',
  SERVER_STOPPED = 'server.stopped',
  SERVER_BACKON = 'server.backon',
  JOB_FAIL = 'job.fail',
  JOB_BACKON = 'job.backon',
  PROCESS_DOWN = 'process.down',
  APP_AUTH = 'app.auth',
  APP_DEAUTH = 'app.deauth',
  STACK_REDEPLOY_HOOK_FAIL = 'stack.redeploy.hook.fail',
  STACK_DEPLOY_STARTED = 'stack.deploy.started',
  CONTAINER_DOWN = 'container.down',
}

export enum ChannelKind {
  BROWSER = 'BROWSER',
  EMAIL = 'EMAIL',
  HIPCHAT = 'HIPCHAT',
  IOS = 'IOS',
  SLACK = 'SLACK',
  WEBHOOK = 'WEBHOOK',
  TEAMS = 'TEAMS',
  DISCORD = 'DISCORD',
}

/** Shared channels belong to a stack, several of each kind; personal channels belong to each user, one of each. */
export const SHARED_CHANNELS: readonly ChannelKind[] = [
  ChannelKind.HIPCHAT,
  ChannelKind.SLACK,
  ChannelKind.WEBHOOK,
  ChannelKind.TEAMS,
  ChannelKind.DISCORD,
];
export const PERSONAL_CHANNELS: readonly ChannelKind[] = [
  ChannelKind.BROWSER,
  ChannelKind.EMAIL,
  ChannelKind.IOS,
];
export const ALL_CHANNELS: readonly ChannelKind[] = Object.values(ChannelKind);

/**
 * The six kinds of the deprecated per-kind views (Stack.channels, EventPreferenceRow.cells), where a shared kind
 * stands for the stack's oldest channel of that kind. Teams and Discord came with channel instances and are
 * addressed by channel id only.
 */
export const KIND_VIEW_CHANNELS: readonly ChannelKind[] = [
  ChannelKind.BROWSER,
  ChannelKind.EMAIL,
  ChannelKind.HIPCHAT,
  ChannelKind.IOS,
  ChannelKind.SLACK,
  ChannelKind.WEBHOOK,
];

/** The name a shared channel gets when none is given. */
export const DEFAULT_CHANNEL_NAMES: Readonly<Record<ChannelKind, string>> = {
  BROWSER: 'Browser',
  EMAIL: 'Email',
  HIPCHAT: 'Hipchat',
  IOS: 'iOS',
  SLACK: 'Slack',
  WEBHOOK: 'Webhook',
  TEAMS: 'Microsoft Teams',
  DISCORD: 'Discord',
};

export type SharedChannelKind =
  ChannelKind.HIPCHAT | ChannelKind.SLACK | ChannelKind.WEBHOOK | ChannelKind.TEAMS | ChannelKind.DISCORD;

export function isSharedChannel(kind: ChannelKind): kind is SharedChannelKind {
  return SHARED_CHANNELS.includes(kind);
}

export type PersonalChannelKind = ChannelKind.BROWSER | ChannelKind.EMAIL | ChannelKind.IOS;

export function isPersonalChannel(kind: ChannelKind): kind is PersonalChannelKind {
  return PERSONAL_CHANNELS.includes(kind);
}

/** How urgent an event is: quiet hours let CRITICAL through, and a stack may change an event type's severity. */
export enum Severity {
  CRITICAL = 'CRITICAL',
  WARNING = 'WARNING',
  INFO = 'INFO',
}

/** What an event says happened: chat colours and push urgency follow it, and incidents pair failures with recoveries. */
export enum EventOutcome {
  FAILURE = 'FAILURE',
  RECOVERY = 'RECOVERY',
  SUCCESS = 'SUCCESS',
  INFORMATIONAL = 'INFORMATIONAL',
}

/** The parts of the catalogue events are grouped in, in the order people read them. */
export enum EventGroup {
  DEPLOYMENTS = 'DEPLOYMENTS',
  SERVERS = 'SERVERS',
  JOBS_AND_PROCESSES = 'JOBS_AND_PROCESSES',
  ACCESS = 'ACCESS',
}

export const EVENT_GROUPS: readonly EventGroup[] = Object.values(EventGroup);

export interface EventTypeInfo {
  type: EventType;
  key: string;
  /**
   * The event's one human name, e.g. "Stack redeployed successfully": the settings grid, the inbox, email
   * subjects, chat messages and pushes all say this. The seed's descriptions, typos corrected, are these names.
   */
  title: string;
  /** The same words as title: the API's older name for them. */
  description: string;
  group: EventGroup;
  outcome: EventOutcome;
  /** The severity a stack has unless it overrides it. */
  severity: Severity;
}

const catalogue: Record<
  EventType,
  { group: EventGroup; outcome: EventOutcome; severity: Severity; title: string }
> = {
  [EventType.STACK_PROVISION_OK]: {
    group: EventGroup.DEPLOYMENTS,
    outcome: EventOutcome.SUCCESS,
    severity: Severity.INFO,
    title: 'Stack provisioned successfully',
  },
  [EventType.STACK_PROVISION_FAIL]: {
    group: EventGroup.DEPLOYMENTS,
    outcome: EventOutcome.FAILURE,
    severity: Severity.CRITICAL,
    title: 'Stack provision failed',
  },
  [EventType.STACK_REDEPLOY_OK]: {
    group: EventGroup.DEPLOYMENTS,
    outcome: EventOutcome.SUCCESS,
    severity: Severity.INFO,
    title: 'Stack redeployed successfully',
  },
  [EventType.STACK_REDEPLOY_FAIL]: {
    group: EventGroup.DEPLOYMENTS,
    outcome: EventOutcome.FAILURE,
    severity: Severity.CRITICAL,
    title: 'Stack redeploy failed',
  },
  [EventType.SERVER_STOPPED]: {
    group: EventGroup.SERVERS,
    outcome: EventOutcome.FAILURE,
    severity: Severity.CRITICAL,
    title: 'Server heartbeat stopped',
  },
  [EventType.SERVER_BACKON]: {
    group: EventGroup.SERVERS,
    outcome: EventOutcome.RECOVERY,
    severity: Severity.INFO,
    title: 'Server heartbeat restored',
  },
  [EventType.JOB_FAIL]: {
    group: EventGroup.JOBS_AND_PROCESSES,
    outcome: EventOutcome.FAILURE,
    severity: Severity.WARNING,
    title: 'Job run failed',
  },
  [EventType.JOB_BACKON]: {
    group: EventGroup.JOBS_AND_PROCESSES,
    outcome: EventOutcome.RECOVERY,
    severity: Severity.INFO,
    title: 'Job run succeeded again',
  },
  [EventType.PROCESS_DOWN]: {
    group: EventGroup.JOBS_AND_PROCESSES,
    outcome: EventOutcome.FAILURE,
    severity: Severity.CRITICAL,
    title: 'Process is down',
  },
  [EventType.APP_AUTH]: {
    group: EventGroup.ACCESS,
    outcome: EventOutcome.INFORMATIONAL,
    severity: Severity.INFO,
    title: 'App authorized to access the account',
  },
  [EventType.APP_DEAUTH]: {
    group: EventGroup.ACCESS,
    outcome: EventOutcome.INFORMATIONAL,
    severity: Severity.INFO,
    title: 'App deauthorized from accessing the account',
  },
  [EventType.STACK_REDEPLOY_HOOK_FAIL]: {
    group: EventGroup.DEPLOYMENTS,
    outcome: EventOutcome.FAILURE,
    severity: Severity.CRITICAL,
    title: 'Stack redeployment hook failed',
  },
  [EventType.STACK_DEPLOY_STARTED]: {
    group: EventGroup.DEPLOYMENTS,
    outcome: EventOutcome.INFORMATIONAL,
    severity: Severity.INFO,
    title: 'Stack deployment started',
  },
  [EventType.CONTAINER_DOWN]: {
    group: EventGroup.JOBS_AND_PROCESSES,
    outcome: EventOutcome.FAILURE,
    severity: Severity.CRITICAL,
    title: 'Container is down',
  },
};

export const EVENT_TYPES: readonly EventTypeInfo[] = (
  Object.keys(EventType) as (keyof typeof EventType)[]
).map((name) => {
  const entry = catalogue[EventType[name]];
  return { type: EventType[name], key: EventType[name], description: entry.title, ...entry };
});

const byKey = new Map(EVENT_TYPES.map((info) => [info.key, info]));

export function eventTypeInfo(type: EventType): EventTypeInfo {
  return byKey.get(type)!;
}

export function isEventType(value: string): value is EventType {
  return byKey.has(value);
}

const names = new Map(EVENT_TYPES.map((info) => [info.key, info.key.toUpperCase().replace(/\./g, '_')]));

/** The GraphQL enum name of a wire key, e.g. stack.redeploy.ok -> STACK_REDEPLOY_OK. */
export function eventTypeName(type: EventType): string {
  return names.get(type) ?? type.toUpperCase().replace(/\./g, '_');
}

const byName = new Map<string, EventType>(EVENT_TYPES.map((info) => [eventTypeName(info.type), info.type]));

/** The event type of a GraphQL enum name (eventTypeName's inverse), or null for anything else. */
export function eventTypeOfName(name: string): EventType | null {
  return byName.get(name) ?? null;
}

/**
 * The seed's defaults: every channel starts on for every event type, except deployment start, which starts off
 * ("you will get an email for a number of events, with the exception of deployment start notifications").
 */
export function defaultEnabled(type: EventType, _channel: ChannelKind): boolean {
  return type !== EventType.STACK_DEPLOY_STARTED;
}

registerEnumType(EventType, {
  name: 'EventType',
  description:
    'The kinds of event a stack reports. Each value has a dotted wire key, e.g. STACK_REDEPLOY_OK is stack.redeploy.ok.',
});
registerEnumType(EventGroup, {
  name: 'EventGroup',
  description:
    'The part of the catalogue an event type belongs to: deployments, servers, jobs and processes, access.',
});
registerEnumType(Severity, {
  name: 'Severity',
  description: 'How urgent an event is. Quiet hours hold everything below CRITICAL.',
});
registerEnumType(EventOutcome, {
  name: 'EventOutcome',
  description:
    'What an event says happened: FAILURE (opens or joins an incident), RECOVERY (a failure is over), SUCCESS ' +
    '(an operation succeeded) or INFORMATIONAL.',
});
registerEnumType(ChannelKind, { name: 'ChannelKind', description: 'Where notifications are sent.' });
