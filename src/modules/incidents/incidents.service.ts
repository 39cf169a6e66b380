// Incidents: deciding them while notifications are written (IncidentTracker, one per publish transaction), and
// listing, finding and resolving them for the API.
import { randomUUID } from 'node:crypto';
import { In, type DataSource, type EntityManager } from 'typeorm';
import { BadUserInputError, NotFoundError } from '../../lib/errors';
import { type Connection, mapConnection, type PageArguments, paginate } from '../../lib/pagination';
import type { Viewer } from '../accounts/tokens.service';
import type { Notification } from '../events/notification.entity';
import type { IncidentSnapshot } from '../events/notification-payload';
import type { Stack } from '../stacks/stack.entity';
import { Incident, IncidentState } from './incident.entity';
import { incidentRole, incidentSubject } from './incident-families';
import { type IncidentView, snapshotOf, toIncidentView } from './incident.types';
import {
  type IncidentKey,
  openOrJoinIncident,
  type OpenIncidentRow,
  resolveOpenIncident,
} from './incidents.repository';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Opens, joins and resolves incidents for the notifications of one publish transaction, in their order. Only event
 * types of an incident family cost a statement, and only the first event of a key in the batch: later ones of the
 * same key follow from what this transaction already decided.
 */
export class IncidentTracker {
  /** Per key: the incident this transaction found or opened, or null when it knows none is open. */
  private readonly decided = new Map<string, (OpenIncidentRow & IncidentKey) | null>();

  constructor(private readonly manager: EntityManager) {}

  /** Sets the notification's incidentId and returns the incident as the notification carries it, or null. */
  async record(notification: Notification): Promise<IncidentSnapshot | null> {
    const role = incidentRole(notification.eventType);
    if (!role) return null;
    const key: IncidentKey = {
      stackId: notification.stackId,
      family: role.family.name,
      subject: incidentSubject(role.family, notification.data),
    };
    const mapKey = `${key.stackId}\u0000${key.family}\u0000${key.subject}`;
    const known = this.decided.get(mapKey);
    if (role.role === 'failure') {
      let incident = known ?? null;
      if (!incident) {
        const found = await openOrJoinIncident(this.manager, key, {
          id: randomUUID(),
          accountId: notification.accountId,
          openedAt: notification.occurredAt,
        });
        incident = { ...key, ...found.incident };
        this.decided.set(mapKey, incident);
      }
      notification.incidentId = incident.id;
      return snapshotOf(incident, null);
    }
    if (known === null) return null;
    const resolved = await resolveOpenIncident(this.manager, key, {
      notificationId: notification.id,
      at: notification.occurredAt,
    });
    this.decided.set(mapKey, null);
    if (!resolved) return null;
    notification.incidentId = resolved.id;
    return snapshotOf({ ...key, ...resolved }, notification.occurredAt);
  }
}

export class IncidentsService {
  constructor(private readonly dataSource: DataSource) {}

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
    return mapConnection(await paginate(query, 'i', args, list), async (rows) => rows.map(toIncidentView));
  }

  /** The incidents with these ids in the viewer's account, in no particular order. */
  async visible(viewer: Viewer, ids: readonly string[]): Promise<IncidentView[]> {
    const wanted = ids.filter((id) => UUID.test(id));
    if (wanted.length === 0) return [];
    const rows = await this.dataSource
      .getRepository(Incident)
      .findBy({ id: In(wanted), accountId: viewer.account.id });
    return rows.map(toIncidentView);
  }

  /** The incidents with these ids, by id, as they are now (for notifications of one stack). */
  async byIds(stackId: string, ids: readonly string[]): Promise<Map<string, IncidentView>> {
    if (ids.length === 0) return new Map();
    const rows = await this.dataSource.getRepository(Incident).findBy({ id: In([...new Set(ids)]), stackId });
    return new Map(rows.map((row) => [row.id, toIncidentView(row)]));
  }

  /**
   * Resolves an open incident by hand (the only way for process.down and container.down, which have no recovery
   * event). Resolving a resolved incident changes nothing and returns it as it is.
   */
  async resolve(viewer: Viewer, id: string): Promise<IncidentView> {
    const [incident] = await this.visible(viewer, [id]);
    if (!incident) throw new NotFoundError('Incident');
    if (incident.state === IncidentState.RESOLVED) return incident;
    const now = new Date();
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
