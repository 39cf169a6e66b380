// The catalogue's groups of events in the order and words the page shows them (the grid, the severities); each event
// type's group and title come from the API (EventTypeInfo, EventPreferenceRow).
import type { EventGroup } from './graphql/generated';

export const EVENT_GROUPS: readonly { group: EventGroup; label: string }[] = [
  { group: 'DEPLOYMENTS', label: 'Deployments' },
  { group: 'SERVERS', label: 'Servers' },
  { group: 'JOBS_AND_PROCESSES', label: 'Jobs and processes' },
  { group: 'ACCESS', label: 'Access' },
];

/** `items` by group, in the groups' order, leaving out groups with none. */
export function byEventGroup<T extends { group: EventGroup }>(
  items: readonly T[],
): { group: EventGroup; label: string; items: T[] }[] {
  return EVENT_GROUPS.map(({ group, label }) => ({
    group,
    label,
    items: items.filter((item) => item.group === group),
  })).filter((entry) => entry.items.length > 0);
}
