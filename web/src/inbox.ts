// How the inbox arranges notifications: those of one incident together (at the place of its newest), the words for
// outcomes and severities, and an incident's state as a sentence.
import { formatElapsed } from './format';
import type { EventOutcome, Severity, SidebarNotificationFragment } from './graphql/generated';

export type InboxNotification = SidebarNotificationFragment;
export type InboxIncident = NonNullable<InboxNotification['incident']>;

export type InboxEntry =
  | { kind: 'single'; notification: InboxNotification }
  | { kind: 'incident'; incident: InboxIncident; notifications: InboxNotification[] };

/**
 * Newest first, as given; the notifications of an incident with more than one shown join the entry of its newest,
 * which carries the incident as the newest of them knows it (a live recovery knows it resolved).
 */
export function groupByIncident(notifications: readonly InboxNotification[]): InboxEntry[] {
  const byIncident = new Map<string, InboxNotification[]>();
  for (const notification of notifications) {
    const id = notification.incident?.id;
    if (id) byIncident.set(id, [...(byIncident.get(id) ?? []), notification]);
  }
  const entries: InboxEntry[] = [];
  const placed = new Set<string>();
  for (const notification of notifications) {
    const members = notification.incident ? byIncident.get(notification.incident.id) : undefined;
    if (!notification.incident || !members || members.length < 2) {
      entries.push({ kind: 'single', notification });
      continue;
    }
    if (placed.has(notification.incident.id)) continue;
    placed.add(notification.incident.id);
    entries.push({ kind: 'incident', incident: newestKnown(members), notifications: members });
  }
  return entries;
}

/** The incident as the most recent word on it has it: resolved beats open, whatever order they were loaded in. */
function newestKnown(members: readonly InboxNotification[]): InboxIncident {
  const known = members.map((member) => member.incident!);
  return known.find((incident) => incident.state === 'RESOLVED') ?? known[0];
}

export const OUTCOME_LABELS: Record<EventOutcome, string> = {
  FAILURE: 'Failure',
  RECOVERY: 'Recovery',
  SUCCESS: 'Success',
  INFORMATIONAL: 'Info',
};

/** A sign beside the label, so the outcome does not rest on colour alone. */
export const OUTCOME_SIGNS: Record<EventOutcome, string> = {
  FAILURE: '✕',
  RECOVERY: '↺',
  SUCCESS: '✓',
  INFORMATIONAL: 'i',
};

export const SEVERITY_LABELS: Record<Severity, string> = {
  CRITICAL: 'Critical',
  WARNING: 'Warning',
  INFO: 'Info',
};

const FAMILY_LABELS: Record<string, string> = {
  server: 'Server',
  job: 'Job',
  process: 'Process',
  container: 'Container',
  'stack.redeploy': 'Redeploys',
  'stack.provision': 'Provisioning',
};

/** What failed: "Server web-1", "Job nightly-backup", "Redeploys". */
export function incidentSubject(incident: InboxIncident): string {
  const family = FAMILY_LABELS[incident.family] ?? incident.family;
  return incident.subject ? `${family} ${incident.subject}` : family;
}

/** "Resolved after 14 min", or "Open for 3 min" (this one changes with the time now). */
export function incidentState(incident: InboxIncident, now: number): string {
  if (incident.state === 'RESOLVED') {
    const seconds =
      incident.duration ??
      (new Date(incident.resolvedAt ?? incident.openedAt).getTime() - new Date(incident.openedAt).getTime()) /
        1000;
    return `Resolved after ${formatElapsed(seconds)}`;
  }
  const seconds = (now - new Date(incident.openedAt).getTime()) / 1000;
  return seconds < 60 ? 'Open for less than a minute' : `Open for ${formatElapsed(seconds)}`;
}
