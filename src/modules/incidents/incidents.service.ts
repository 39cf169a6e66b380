// Incidents: deciding them while notifications are written (IncidentTracker, one per publish transaction), and
// listing, finding and resolving them for the API.
import { createHash, randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { type Clock, systemClock } from '../../lib/clock';
import { BadUserInputError, NotFoundError } from '../../lib/errors';
import { type Connection, mapConnection, type PageArguments, paginate } from '../../lib/pagination';
import type { Viewer } from '../accounts/tokens.service';
import type { Notification } from '../events/notification.entity';
import type { IncidentSnapshot } from '../events/notification-payload';
import type { FlappingRule } from '../noise/flapping-rule';
import type { Stack } from '../stacks/stack.entity';
import { Incident, IncidentState } from './incident.entity';
import { incidentRole, incidentSubject } from './incident-families';
import { type IncidentView, snapshotOf, toIncidentView } from './incident.types';
import { type IncidentKey, openOrJoinIncident, resolveOpenIncident } from './incidents.repository';
import {
  extendFlapping,
  flappingSubjects,
  markIncidentFlapping,
  recentOpens,
  startOrContinueFlapping,
  subjectMapKey,
  subjectState,
  type SubjectState,
} from './flapping.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a notification of a flapping subject waits for. */
export interface FlappingHold {
  /** Since when the subject flaps. */
  since: Date;
  /** The end of the window whose summary the notification goes out in. */
  windowEnd: Date;
  /** When the subject settles unless another transition comes first; null when this was no transition. */
  settlesAt: Date | null;
  /** Names the subject in hold groups: the same for every notification of the subject, short and opaque. */
  subjectKey: string;
}

/** What a notification did to incidents: the incident as it carries it, and whether it waits because it flaps. */
export interface IncidentOutcome {
  snapshot: IncidentSnapshot | null;
  flapping: FlappingHold | null;
}

const NO_INCIDENT: IncidentOutcome = { snapshot: null, flapping: null };

/**
 * Opens, joins and resolves incidents for the notifications of one publish transaction, in their order, and tells
 * which of them wait because their subject flaps. Only event types of an incident family cost statements: the first
 * notification of a subject in the transaction reads its open incident and flapping row in one; later ones follow
 * from what this transaction read and decided, as its transitions (an open, a resolve, a flapping row written) go.
 * What another transaction commits meanwhile is seen by the next publish transaction, a few milliseconds later.
 */
export class IncidentTracker {
  /** Per subject: what this transaction read and decided of it. */
  private readonly subjects = new Map<string, Tracked>();

  constructor(private readonly manager: EntityManager) {}

  /** Sets the notification's incidentId and returns what it did to incidents. */
  async record(notification: Notification, rule: FlappingRule): Promise<IncidentOutcome> {
    const role = incidentRole(notification.eventType);
    if (!role) return NO_INCIDENT;
    const key: IncidentKey = {
      stackId: notification.stackId,
      family: role.family.name,
      subject: incidentSubject(role.family, notification.data),
    };
    const mapKey = subjectMapKey(key.stackId, key.family, key.subject);
    const now = notification.createdAt;
    const settlesAt = new Date(now.getTime() + rule.settleMinutes * 60_000);
    if (role.role === 'failure') {
      const tracked = await this.tracked(mapKey, key);
      let opened = false;
      if (!tracked.incident) {
        const found = await openOrJoinIncident(this.manager, key, {
          id: randomUUID(),
          accountId: notification.accountId,
          openedAt: notification.occurredAt,
        });
        tracked.incident = found.incident;
        opened = found.opened;
      }
      const incident = tracked.incident;
      // Only an open is a transition; a repeated failure waits while the subject flaps, and changes nothing.
      const since = opened
        ? await this.opened(key, tracked, incident.id, notification.occurredAt, rule, { at: now, settlesAt })
        : flappingAt(tracked, now);
      notification.incidentId = incident.id;
      return {
        snapshot: snapshotOf({ ...key, ...incident }, null, since),
        flapping: since && holdOf(key, since, now, rule, opened ? settlesAt : null),
      };
    }
    let tracked = this.subjects.get(mapKey);
    const resolved =
      tracked && !tracked.incident
        ? null
        : await resolveOpenIncident(this.manager, key, {
            notificationId: notification.id,
            at: notification.occurredAt,
          });
    if (!resolved) {
      tracked ??= await this.tracked(mapKey, key);
      tracked.incident = null;
      // A recovery with nothing open is no transition, but still waits while its subject flaps.
      const since = flappingAt(tracked, now);
      return { snapshot: null, flapping: since && holdOf(key, since, now, rule, null) };
    }
    if (!tracked) {
      // What the transition below writes is all this transaction needs to know of the subject's flapping.
      tracked = { incident: null, flapping: null };
      this.subjects.set(mapKey, tracked);
    }
    tracked.incident = null;
    const since = await this.transition(
      tracked,
      extendFlapping(this.manager, key, { at: now, settlesAt }),
      settlesAt,
    );
    notification.incidentId = resolved.id;
    return {
      snapshot: snapshotOf({ ...key, ...resolved }, notification.occurredAt, since),
      flapping: since && holdOf(key, since, now, rule, settlesAt),
    };
  }

  /** The subject as this transaction knows it, read once. */
  private async tracked(mapKey: string, key: IncidentKey): Promise<Tracked> {
    let tracked = this.subjects.get(mapKey);
    if (!tracked) {
      tracked = await subjectState(this.manager, key);
      this.subjects.set(mapKey, tracked);
    }
    return tracked;
  }

  /**
   * Keeps what a transition wrote: since when the subject flaps, or null when it does not (no row flapping at the
   * transition, so none later in this transaction either, short of another transition).
   */
  private async transition(
    tracked: Tracked,
    written: Promise<Date | null>,
    settlesAt: Date,
  ): Promise<Date | null> {
    const since = await written;
    tracked.flapping = since ? { since, settlesAt } : null;
    return since;
  }

  /**
   * A failure opened an incident of `key`: the subject flaps from now (or still) when it opened more than the
   * threshold in the window, counted by occurredAt; otherwise it only goes on flapping if it already does.
   */
  private async opened(
    key: IncidentKey,
    tracked: Tracked,
    incidentId: string,
    occurredAt: Date,
    rule: FlappingRule,
    transition: { at: Date; settlesAt: Date },
  ): Promise<Date | null> {
    const opens = await recentOpens(
      this.manager,
      key,
      new Date(occurredAt.getTime() - rule.windowMinutes * 60_000),
    );
    const since = await this.transition(
      tracked,
      opens > rule.threshold
        ? startOrContinueFlapping(this.manager, key, transition)
        : extendFlapping(this.manager, key, transition),
      transition.settlesAt,
    );
    if (since) await markIncidentFlapping(this.manager, incidentId, since);
    return since;
  }
}

/** A subject as one publish transaction knows it: its open incident and its flapping row (settled or not). */
type Tracked = SubjectState;

/** Since when a subject flaps at `at`, or null. */
function flappingAt(tracked: Tracked, at: Date): Date | null {
  return tracked.flapping && tracked.flapping.settlesAt > at ? tracked.flapping.since : null;
}

/** The hold of a notification of a subject flapping since `since`: windows of the rule's length from `since`. */
function holdOf(
  key: IncidentKey,
  since: Date,
  now: Date,
  rule: FlappingRule,
  settlesAt: Date | null,
): FlappingHold {
  const length = rule.windowMinutes * 60_000;
  const elapsed = Math.max(0, now.getTime() - since.getTime());
  const windowEnd = new Date(since.getTime() + (Math.floor(elapsed / length) + 1) * length);
  const subjectKey = createHash('sha256')
    .update(`${key.family}\u0000${key.subject}`)
    .digest('hex')
    .slice(0, 32);
  return { since, windowEnd, settlesAt, subjectKey };
}

export class IncidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: Clock = systemClock,
  ) {}

  /** The API's view of incidents as they are now, whether their subjects flap included. */
  private async views(rows: readonly Incident[]): Promise<IncidentView[]> {
    const flappingIds = rows.filter((row) => row.flappingSince !== null).map((row) => row.stackId);
    const flapping = await flappingSubjects(this.dataSource.manager, flappingIds, this.clock.now());
    return rows.map((row) =>
      toIncidentView(row, flapping.get(subjectMapKey(row.stackId, row.family, row.subject))),
    );
  }

  /** The stack's incidents, newest first, optionally in one state. */
  async list(
    stack: Stack,
    args: PageArguments & { state?: IncidentState | null },
  ): Promise<Connection<IncidentView>> {
    const query = this.dataSource
      .getRepository(Incident)
      .createQueryBuilder('i')
      .where('i.stackId = :stackId', { stackId: stack.id });
    if (args.state) query.andWhere('i.state = :state', { state: args.state });
    const list = `incidents:${stack.id}:${args.state ?? 'ALL'}`;
    return mapConnection(await paginate(query, 'i', args, list), (rows) => this.views(rows));
  }

  /** The incidents with these ids in the viewer's account, in no particular order. */
  async visible(viewer: Viewer, ids: readonly string[]): Promise<IncidentView[]> {
    const wanted = ids.filter((id) => UUID.test(id));
    if (wanted.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(Incident)
      .findBy({ id: In(wanted), accountId: viewer.account.id });
    return this.views(rows);
  }

  /** The incidents with these ids, by id, as they are now (for notifications of one stack). */
  async byIds(stackId: string, ids: readonly string[]): Promise<Map<string, IncidentView>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(Incident).findBy({ id: In([...new Set(ids)]), stackId });
    const views = await this.views(rows);
    return new Map(views.map((view) => [view.id, view]));
  }

  /**
   * Resolves an open incident by hand (the only way for process.down and container.down, which have no recovery
   * event). Resolving a resolved incident changes nothing and returns it as it is.
   */
  async resolve(viewer: Viewer, id: string): Promise<IncidentView> {
    const [incident] = await this.visible(viewer, [id]);
    if (!incident) throw new NotFoundError('Incident');
    if (incident.state === IncidentState.RESOLVED) return incident;
    const now = this.clock.now();
    const opened = new Date(incident.openedAt);
    const result = await this.dataSource.getRepository(Incident).update(
      { id, accountId: viewer.account.id, state: IncidentState.OPEN },
      {
        state: IncidentState.RESOLVED,
        resolvedAt: now < opened ? opened : now,
        resolvedByUserId: viewer.user.id,
      },
    );
    if (result.affected === 0) {
      // Resolved meanwhile by its recovery or by someone else: show how.
      const [current] = await this.visible(viewer, [id]);
      if (!current) throw new NotFoundError('Incident');
      return current;
    }
    const [resolved] = await this.visible(viewer, [id]);
    if (!resolved) throw new BadUserInputError('was deleted with its stack', 'id');
    return resolved;
  }
}
