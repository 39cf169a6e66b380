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
}

function durationSeconds(openedAt: Date, resolvedAt: Date | null): number | null {
  return resolvedAt ? Math.max(0, Math.round((resolvedAt.getTime() - openedAt.getTime()) / 1000)) : null;
}

export function toIncidentView(incident: Incident): IncidentView {
  return {
    id: incident.id,
    stackId: incident.stackId,
    family: incident.family,
    subject: incident.subject,
    state: incident.state,
    openedAt: incident.createdAt.toISOString(),
    resolvedAt: incident.resolvedAt?.toISOString() ?? null,
    duration: durationSeconds(incident.createdAt, incident.resolvedAt),
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
  };
}

export function snapshotOf(
  incident: { id: string; family: string; subject: string; openedAt: Date },
  resolvedAt: Date | null,
): IncidentSnapshot {
  return {
    id: incident.id,
    family: incident.family,
    subject: incident.subject,
    state: resolvedAt ? 'RESOLVED' : 'OPEN',
    openedAt: incident.openedAt.toISOString(),
    resolvedAt: resolvedAt?.toISOString() ?? null,
    duration: durationSeconds(incident.openedAt, resolvedAt),
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
