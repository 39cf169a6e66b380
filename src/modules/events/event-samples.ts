// A plausible notification of each event type, for previews of message templates: data a producer might send and,
// for failures and recoveries, the incident they would open or resolve.
import { randomUUID } from 'node:crypto';
import { incidentRole } from '../incidents/incident-families';
import { EventType } from './event-types';
import {
  buildNotificationPayload,
  type IncidentSnapshot,
  type NotificationPayload,
} from './notification-payload';

const COMMIT = { commit: 'a1b2c3d', deployedBy: 'ada@example.com' };

export const SAMPLE_EVENT_DATA: Record<EventType, Record<string, unknown>> = {
  [EventType.STACK_PROVISION_OK]: { region: 'eu-west-1', servers: 3 },
  [EventType.STACK_PROVISION_FAIL]: { region: 'eu-west-1', error: 'Instance quota exceeded' },
  [EventType.STACK_REDEPLOY_OK]: { ...COMMIT, durationSeconds: 42 },
  [EventType.STACK_REDEPLOY_FAIL]: { ...COMMIT, error: 'Health check failed on web-2' },
  [EventType.SERVER_STOPPED]: { server: 'db-1', lastHeartbeat: '2025-03-04T05:00:00Z' },
  [EventType.SERVER_BACKON]: { server: 'db-1' },
  [EventType.JOB_FAIL]: { job: 'nightly-backup', exitCode: 1 },
  [EventType.JOB_BACKON]: { job: 'nightly-backup' },
  [EventType.PROCESS_DOWN]: { process: 'sidekiq', server: 'web-1' },
  [EventType.APP_AUTH]: { app: 'Deploy bot', user: 'ada@example.com' },
  [EventType.APP_DEAUTH]: { app: 'Deploy bot', user: 'ada@example.com' },
  [EventType.STACK_REDEPLOY_HOOK_FAIL]: { hook: 'after_migrate', error: 'exit status 2' },
  [EventType.STACK_DEPLOY_STARTED]: COMMIT,
  [EventType.CONTAINER_DOWN]: { container: 'web-7f9c', server: 'web-1' },
};

/** How long a sample recovery's incident lasted: 14 minutes. */
const SAMPLE_INCIDENT_SECONDS = 840;

/** The incident a sample failure opens, or a sample recovery of a named subject (server, job) resolves. */
function sampleIncident(
  eventType: EventType,
  data: Record<string, unknown>,
  now: Date,
): IncidentSnapshot | null {
  const role = incidentRole(eventType);
  if (!role || (role.role === 'recovery' && role.family.subjectField === null)) return null;
  const field = role.family.subjectField;
  const subject = field && typeof data[field] === 'string' ? (data[field] as string) : '';
  const openedAt = new Date(now.getTime() - SAMPLE_INCIDENT_SECONDS * 1000).toISOString();
  const resolved = role.role === 'recovery';
  return {
    id: randomUUID(),
    family: role.family.name,
    subject,
    state: resolved ? 'RESOLVED' : 'OPEN',
    openedAt,
    resolvedAt: resolved ? now.toISOString() : null,
    duration: resolved ? SAMPLE_INCIDENT_SECONDS : null,
  };
}

/** A notification of this event type for a stack, as a delivery would carry it; `data` replaces the sample's. */
export function sampleNotification(
  eventType: EventType,
  stack: { id: string; name: string; environment: string },
  now: Date,
  data: Record<string, unknown> = SAMPLE_EVENT_DATA[eventType],
): NotificationPayload {
  return buildNotificationPayload({
    id: randomUUID(),
    eventType,
    data,
    occurredAt: now,
    createdAt: now,
    stack,
    incident: sampleIncident(eventType, data, now),
  });
}
