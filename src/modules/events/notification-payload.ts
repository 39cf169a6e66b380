// The one Notification object that subscribers, the history and webhooks all see.
import {
  eventTypeInfo,
  eventTypeName,
  type EventOutcome,
  type EventType,
  type Severity,
} from './event-types';

/** The incident a notification opened, joined or resolved, as it was when the notification was recorded. */
export interface IncidentSnapshot {
  id: string;
  /** e.g. server, job. */
  family: string;
  /** e.g. the server's name; '' when the stack itself is the subject. */
  subject: string;
  state: 'OPEN' | 'RESOLVED';
  /** ISO 8601. */
  openedAt: string;
  /** ISO 8601, when this notification resolved it; null when it opened or joined it. */
  resolvedAt: string | null;
  /** Seconds from opened to resolved; null while open. */
  duration: number | null;
  /** ISO 8601, since when its subject flapped when the notification was published; absent when it did not. */
  flappingSince?: string;
}

/** What every channel is given to deliver: the API object of a notification, viewer-independent. */
export interface NotificationPayload {
  id: string;
  stack: { id: string; name: string; environment: string };
  /** The GraphQL enum name, e.g. STACK_REDEPLOY_OK. */
  eventType: string;
  /** The dotted wire key, e.g. stack.redeploy.ok. */
  eventKey: EventType;
  /** The event's short human title from the catalogue, e.g. "Stack redeployed successfully". */
  title: string;
  /** The stack's severity of the event type when it was published. */
  severity: Severity;
  outcome: EventOutcome;
  incident: IncidentSnapshot | null;
  data: Record<string, unknown>;
  /** ISO 8601, when the event happened. */
  occurredAt: string;
  /** Epoch seconds of createdAt. */
  timestamp: number;
  /** ISO 8601, when the notification was recorded. */
  createdAt: string;
}

/** What a payload is built from, besides its data. */
interface PayloadSource {
  id: string;
  eventType: EventType;
  occurredAt: Date;
  createdAt: Date;
  stack: { id: string; name: string; environment: string };
  /** The catalogue's default when absent. */
  severity?: Severity;
  incident?: IncidentSnapshot | null;
}

/** The payload's fields in their wire order; `data` is read through `data()`. */
function payloadOf(notification: PayloadSource, data: () => Record<string, unknown>): NotificationPayload {
  const info = eventTypeInfo(notification.eventType);
  return {
    id: notification.id,
    stack: {
      id: notification.stack.id,
      name: notification.stack.name,
      environment: notification.stack.environment,
    },
    eventType: eventTypeName(notification.eventType),
    eventKey: notification.eventType,
    title: info.title,
    severity: notification.severity ?? info.severity,
    outcome: info.outcome,
    incident: notification.incident ?? null,
    get data() {
      return data();
    },
    occurredAt: notification.occurredAt.toISOString(),
    timestamp: Math.floor(notification.createdAt.getTime() / 1000),
    createdAt: notification.createdAt.toISOString(),
  };
}

export function buildNotificationPayload(
  notification: PayloadSource & { data: Record<string, unknown> },
): NotificationPayload {
  const { data } = notification;
  return payloadOf(notification, () => data);
}

/** The JSON text of each payload whose data was read from the database, as stored. */
const storedData = new WeakMap<NotificationPayload, string>();

/**
 * A payload whose data is the JSON text stored with the notification (the delivery worker's claim): it is parsed on
 * first use only, and webhooks send it as stored, so a webhook delivery neither parses nor re-serializes it.
 */
export function buildStoredPayload(notification: PayloadSource, dataJson: string): NotificationPayload {
  let data: Record<string, unknown> | undefined;
  const payload = payloadOf(notification, () => (data ??= JSON.parse(dataJson) as Record<string, unknown>));
  storedData.set(payload, dataJson);
  return payload;
}

/**
 * The seed's webhook body: the API object plus timestamp and event_type, and the incident's id and state.
 * `timestamp` is when this attempt was sent (epoch seconds, as the webhook-timestamp header), so a retry carries the
 * time of the retry.
 */
export function webhookBody(payload: NotificationPayload, sentAtSeconds: number): Record<string, unknown> {
  return {
    ...payload,
    timestamp: sentAtSeconds,
    event_type: payload.eventKey,
    incident_id: payload.incident?.id ?? null,
    incident_state: payload.incident?.state ?? null,
  };
}

/** `JSON.stringify(webhookBody(payload, sentAtSeconds))`, with stored data inserted as its stored text. */
export function webhookJson(payload: NotificationPayload, sentAtSeconds: number): string {
  const data = storedData.get(payload) ?? JSON.stringify(payload.data);
  const text = JSON.stringify;
  return (
    `{"id":${text(payload.id)},"stack":${text(payload.stack)},"eventType":${text(payload.eventType)},` +
    `"eventKey":${text(payload.eventKey)},"title":${text(payload.title)},` +
    `"severity":${text(payload.severity)},"outcome":${text(payload.outcome)},` +
    `"incident":${text(payload.incident)},"data":${data},` +
    `"occurredAt":${text(payload.occurredAt)},"timestamp":${text(sentAtSeconds)},` +
    `"createdAt":${text(payload.createdAt)},"event_type":${text(payload.eventKey)},` +
    `"incident_id":${text(payload.incident?.id ?? null)},"incident_state":${text(payload.incident?.state ?? null)}}`
  );
}
