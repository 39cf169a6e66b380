// Which event types open and resolve incidents: a failure opens one (or joins the one open) for its stack, family
// and subject; the family's recovery event resolves it. Event types outside every family never touch incidents.
import { createHash } from 'node:crypto';
import { EventType } from '../events/event-types';

export interface IncidentFamily {
  /** Stored with the incident and shown as Incident.family, e.g. "server". */
  name: string;
  failures: readonly EventType[];
  /** The event type that resolves the family's incidents; null when only resolveIncident does. */
  recovery: EventType | null;
  /** The data field naming the subject, e.g. data.server; null when the stack itself is the subject. */
  subjectField: string | null;
  /** What the recovery notification says, given the subject ('' for none) and the time it took, e.g. "14 min". */
  recovered: (subject: string, after: string) => string;
  /** How a flapping summary names the subject, e.g. "server web-1", "redeploys". */
  label: (subject: string) => string;
  /** The state a failure and the recovery leave the subject in, as a flapping summary says it: "stopped". */
  failedState: string;
  recoveredState: string;
}

export const INCIDENT_FAMILIES: readonly IncidentFamily[] = [
  {
    name: 'server',
    failures: [EventType.SERVER_STOPPED],
    recovery: EventType.SERVER_BACKON,
    subjectField: 'server',
    recovered: (subject, after) => `${subject || 'Server'} heartbeat restored after ${after}`,
    label: (subject) => `server ${subject}`.trim(),
    failedState: 'stopped',
    recoveredState: 'back on',
  },
  {
    name: 'job',
    failures: [EventType.JOB_FAIL],
    recovery: EventType.JOB_BACKON,
    subjectField: 'job',
    recovered: (subject, after) => `${subject || 'Job'} succeeded again after ${after}`,
    label: (subject) => `job ${subject}`.trim(),
    failedState: 'failed',
    recoveredState: 'succeeded',
  },
  {
    name: 'stack.redeploy',
    failures: [EventType.STACK_REDEPLOY_FAIL],
    recovery: EventType.STACK_REDEPLOY_OK,
    subjectField: null,
    recovered: (_subject, after) => `Redeploy succeeded after failing for ${after}`,
    label: () => 'redeploys',
    failedState: 'failed',
    recoveredState: 'succeeded',
  },
  {
    name: 'stack.provision',
    failures: [EventType.STACK_PROVISION_FAIL],
    recovery: EventType.STACK_PROVISION_OK,
    subjectField: null,
    recovered: (_subject, after) => `Provision succeeded after failing for ${after}`,
    label: () => 'provisioning',
    failedState: 'failed',
    recoveredState: 'succeeded',
  },
  {
    name: 'process',
    failures: [EventType.PROCESS_DOWN],
    recovery: null,
    subjectField: 'process',
    recovered: (subject, after) => `${subject || 'Process'} resolved after ${after}`,
    label: (subject) => `process ${subject}`.trim(),
    failedState: 'down',
    recoveredState: 'resolved',
  },
  {
    name: 'container',
    failures: [EventType.CONTAINER_DOWN],
    recovery: null,
    subjectField: 'container',
    recovered: (subject, after) => `${subject || 'Container'} resolved after ${after}`,
    label: (subject) => `container ${subject}`.trim(),
    failedState: 'down',
    recoveredState: 'resolved',
  },
];

/** What an event does to incidents: open or join one (failure), or resolve the open one (recovery). */
export interface IncidentRole {
  family: IncidentFamily;
  role: 'failure' | 'recovery';
}

const roles = new Map<EventType, IncidentRole>();
const families = new Map<string, IncidentFamily>();
for (const family of INCIDENT_FAMILIES) {
  families.set(family.name, family);
  for (const type of family.failures) roles.set(type, { family, role: 'failure' });
  if (family.recovery) roles.set(family.recovery, { family, role: 'recovery' });
}

/** The event type's part in incidents, or null when it has none (most of the catalogue's informational events). */
export function incidentRole(eventType: EventType): IncidentRole | null {
  return roles.get(eventType) ?? null;
}

export function incidentFamily(name: string): IncidentFamily | undefined {
  return families.get(name);
}

/** Subjects are kept short enough to index; a longer one is stored as its hash. */
export const MAX_SUBJECT_LENGTH = 200;

/** The subject an event names in its family's data field: its text, '' when absent. */
export function incidentSubject(family: IncidentFamily, data: Record<string, unknown>): string {
  if (family.subjectField === null) return '';
  const value = data[family.subjectField];
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value.trim() : JSON.stringify(value);
  if (text.length <= MAX_SUBJECT_LENGTH) return text;
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** "45 s", "14 min", "2 h 5 min", "3 d 4 h". */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  if (whole < 60) return `${whole} s`;
  const minutes = Math.round(whole / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
