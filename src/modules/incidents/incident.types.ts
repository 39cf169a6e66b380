// The GraphQL Incident, its state and the arguments of the lists of incidents.
import { DateTimeResolver } from 'graphql-scalars';
import { ArgsType, Extensions, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { EVENT_DATA } from '../../graphql/shared-execution';
import { ConnectionArgs } from '../../lib/pagination';
import type { IncidentSnapshot } from '../events/notification-payload';
import { type Incident, IncidentState } from './incident.entity';

registerEnumType(IncidentState, {
  name: 'IncidentState',
  description:
    'OPEN until its recovery event arrives or someone resolves it (resolveIncident); then RESOLVED.',
});

@ObjectType('Incident', {
  implements: Node,
  description:
    "A failure of one subject of a stack (a server, a job, the stack's redeploys...) from its first failure event " +
    'to its recovery: repeated failures while it is open join it. See the README for which events open and resolve ' +
    'incidents.',
})
export class IncidentView {
  @Extensions(EVENT_DATA)
  @Field(() => ID)
  id: string;

  stackId: string;

  @Extensions(EVENT_DATA)
  @Field({ description: 'server, job, stack.redeploy, stack.provision, process or container.' })
  family: string;

  @Extensions(EVENT_DATA)
  @Field({
    description:
      "What failed, from the event's data (data.server, data.job, data.process, data.container); empty when the " +
      'stack itself is the subject (redeploys, provisioning).',
  })
  subject: string;

  @Extensions(EVENT_DATA)
  @Field(() => IncidentState)
  state: IncidentState;

  @Extensions(EVENT_DATA)
  @Field(() => DateTimeResolver, { description: 'When its first failure occurred (the event occurredAt).' })
  openedAt: string;

  @Extensions(EVENT_DATA)
  @Field(() => DateTimeResolver, {
    nullable: true,
    description: 'When its recovery occurred, or when it was resolved by hand; null while open.',
  })
  resolvedAt: string | null;

  @Extensions(EVENT_DATA)
  @Field(() => Int, { nullable: true, description: 'Seconds from openedAt to resolvedAt; null while open.' })
  duration: number | null;

  @Extensions(EVENT_DATA)
  @Field({
    description:
      'Whether its subject flaps (opened more than the stack’s flapping threshold allows in its window) and has ' +
      'not settled since this incident opened: its transitions are held and summarised (heldReason FLAPPING). In ' +
      'a live notification, as it was when published.',
  })
  flapping: boolean;

  @Extensions(EVENT_DATA)
  @Field(() => DateTimeResolver, {
    nullable: true,
    description:
      'When the flapping this incident opened in began; kept once it settles. Null when it opened without flapping.',
  })
  flappingSince: string | null;
}

function durationSeconds(openedAt: Date, resolvedAt: Date | null): number | null {
  return resolvedAt ? Math.max(0, Math.round((resolvedAt.getTime() - openedAt.getTime()) / 1000)) : null;
}

/** `flappingNow`: since when its subject flaps now (epoch ms), if it does. */
export function toIncidentView(incident: Incident, flappingNow?: number): IncidentView {
  const since = incident.flappingSince;
  return {
    id: incident.id,
    stackId: incident.stackId,
    family: incident.family,
    subject: incident.subject,
    state: incident.state,
    openedAt: incident.createdAt.toISOString(),
    resolvedAt: incident.resolvedAt?.toISOString() ?? null,
    duration: durationSeconds(incident.createdAt, incident.resolvedAt),
    flapping: since !== null && since.getTime() === flappingNow,
    flappingSince: since?.toISOString() ?? null,
  };
}

/** The incident as a notification carried it when published (live notifications, webhooks). */
export function incidentViewOfSnapshot(snapshot: IncidentSnapshot, stackId: string): IncidentView {
  return {
    id: snapshot.id,
    stackId,
    family: snapshot.family,
    subject: snapshot.subject,
    state: snapshot.state as IncidentState,
    openedAt: snapshot.openedAt,
    resolvedAt: snapshot.resolvedAt,
    duration: snapshot.duration,
    flapping: snapshot.flappingSince !== undefined,
    flappingSince: snapshot.flappingSince ?? null,
  };
}

export function snapshotOf(
  incident: { id: string; family: string; subject: string; openedAt: Date },
  resolvedAt: Date | null,
  flappingSince: Date | null = null,
): IncidentSnapshot {
  const flapping = flappingSince ? { flappingSince: flappingSince.toISOString() } : {};
  return {
    id: incident.id,
    family: incident.family,
    subject: incident.subject,
    state: resolvedAt ? 'RESOLVED' : 'OPEN',
    openedAt: incident.openedAt.toISOString(),
    resolvedAt: resolvedAt?.toISOString() ?? null,
    duration: durationSeconds(incident.openedAt, resolvedAt),
    ...flapping,
  };
}

@ArgsType()
export class IncidentsArgs extends ConnectionArgs {
  @Field(() => IncidentState, {
    nullable: true,
    description: 'Only incidents in this state; all when omitted.',
  })
  state?: IncidentState | null;
}
