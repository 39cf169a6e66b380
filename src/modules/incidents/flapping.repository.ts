// The publish path's statements on flapping subjects, in the publish transaction: how often a subject's incidents
// opened lately, and its row in flapping_subjects (since when it flaps, when it settles). Plain SQL per database.
// Concurrent publishers of one subject on PostgreSQL meet at the row's primary key, so each sees the other's
// transition once it commits.
import type { EntityManager } from 'typeorm';
import { type DialectSql, dateValue, dialectOf, listParameter, query, readDate } from '../../db/sql';
import type { IncidentKey, OpenIncidentRow } from './incidents.repository';

const RECENT_OPENS: DialectSql = {
  sqlite:
    'SELECT COUNT(*) AS count FROM incidents WHERE stack_id = ? AND family = ? AND subject = ? AND opened_at > ?',
  postgres:
    'SELECT COUNT(*) AS count FROM incidents WHERE stack_id = $1 AND family = $2 AND subject = $3 AND opened_at > $4',
};

const START_OR_CONTINUE: DialectSql = {
  // A row whose settling time has passed is an earlier flapping that settled: this one starts afresh.
  sqlite: `INSERT INTO flapping_subjects (stack_id, family, subject, since, last_transition_at, settles_at)
    VALUES (?, ?, ?, ?, ?, ?)
    ON CONFLICT (stack_id, family, subject) DO UPDATE SET
      since = CASE WHEN flapping_subjects.settles_at > excluded.last_transition_at
        THEN flapping_subjects.since ELSE excluded.since END,
      last_transition_at = excluded.last_transition_at, settles_at = excluded.settles_at
    RETURNING since`,
  postgres: `INSERT INTO flapping_subjects (stack_id, family, subject, since, last_transition_at, settles_at)
    VALUES ($1, $2, $3, $4, $5, $6)
    ON CONFLICT (stack_id, family, subject) DO UPDATE SET
      since = CASE WHEN flapping_subjects.settles_at > excluded.last_transition_at
        THEN flapping_subjects.since ELSE excluded.since END,
      last_transition_at = excluded.last_transition_at, settles_at = excluded.settles_at
    RETURNING since`,
};

const EXTEND: DialectSql = {
  sqlite: `UPDATE flapping_subjects SET last_transition_at = ?, settles_at = ?
    WHERE stack_id = ? AND family = ? AND subject = ? AND settles_at > ? RETURNING since`,
  postgres: `UPDATE flapping_subjects SET last_transition_at = $1, settles_at = $2
    WHERE stack_id = $3 AND family = $4 AND subject = $5 AND settles_at > $6 RETURNING since`,
};

// One row whatever is stored: the subject's open incident and its flapping row, each null when there is none.
const SUBJECT_STATE: DialectSql = {
  prepareAs: 'incident_subject_state',
  sqlite: `SELECT i.id, i.opened_at, f.since, f.settles_at FROM (SELECT 1) AS one
    LEFT JOIN incidents i ON i.stack_id = ? AND i.family = ? AND i.subject = ? AND i.state = 'OPEN'
    LEFT JOIN flapping_subjects f ON f.stack_id = ? AND f.family = ? AND f.subject = ?`,
  postgres: `SELECT i.id, i.opened_at, f.since, f.settles_at FROM (SELECT 1) AS one
    LEFT JOIN incidents i ON i.stack_id = $1 AND i.family = $2 AND i.subject = $3 AND i.state = 'OPEN'
    LEFT JOIN flapping_subjects f ON f.stack_id = $1 AND f.family = $2 AND f.subject = $3`,
};

const MARK_INCIDENT: DialectSql = {
  sqlite: 'UPDATE incidents SET flapping_since = ? WHERE id = ?',
  postgres: 'UPDATE incidents SET flapping_since = $1 WHERE id = $2',
};

const FLAPPING_OF_STACKS: DialectSql = {
  sqlite: `SELECT stack_id, family, subject, since FROM flapping_subjects
    WHERE stack_id IN (SELECT value FROM json_each(?)) AND settles_at > ?`,
  postgres: `SELECT stack_id, family, subject, since FROM flapping_subjects
    WHERE stack_id = ANY($1) AND settles_at > $2`,
};

const keyValues = (key: IncidentKey) => [key.stackId, key.family, key.subject];

/** How many incidents of `key` opened after `after` (by their first failure's occurredAt). */
export async function recentOpens(manager: EntityManager, key: IncidentKey, after: Date): Promise<number> {
  const [row] = await query<{ count: number | string }>(manager, RECENT_OPENS, [
    ...keyValues(key),
    dateValue(dialectOf(manager), after),
  ]);
  return Number(row?.count ?? 0);
}

/** Records a transition of a subject that flaps from now on (or still): returns since when it flaps. */
export async function startOrContinueFlapping(
  manager: EntityManager,
  key: IncidentKey,
  transition: { at: Date; settlesAt: Date },
): Promise<Date> {
  const dialect = dialectOf(manager);
  const [row] = await query<{ since: string | Date }>(manager, START_OR_CONTINUE, [
    ...keyValues(key),
    dateValue(dialect, transition.at),
    dateValue(dialect, transition.at),
    dateValue(dialect, transition.settlesAt),
  ]);
  return readDate(row.since);
}

/** Records a transition of a subject if it flaps at `transition.at`: returns since when, or null when it does not. */
export async function extendFlapping(
  manager: EntityManager,
  key: IncidentKey,
  transition: { at: Date; settlesAt: Date },
): Promise<Date | null> {
  const dialect = dialectOf(manager);
  const [row] = await query<{ since: string | Date }>(manager, EXTEND, [
    dateValue(dialect, transition.at),
    dateValue(dialect, transition.settlesAt),
    ...keyValues(key),
    dateValue(dialect, transition.at),
  ]);
  return row ? readDate(row.since) : null;
}

/** A subject's flapping row: since when it flaps, and when it settles unless another transition comes first. */
export interface FlappingRow {
  since: Date;
  settlesAt: Date;
}

/** What the publish path needs to know of a subject, read in one statement. */
export interface SubjectState {
  incident: OpenIncidentRow | null;
  flapping: FlappingRow | null;
}

/** The open incident of `key` and its flapping row (settled or not), in one statement. */
export async function subjectState(manager: EntityManager, key: IncidentKey): Promise<SubjectState> {
  const [row] = await query<{
    id: string | null;
    opened_at: string | Date | null;
    since: string | Date | null;
    settles_at: string | Date | null;
  }>(
    manager,
    SUBJECT_STATE,
    dialectOf(manager) === 'sqlite' ? [...keyValues(key), ...keyValues(key)] : keyValues(key),
  );
  return {
    incident: row.id === null ? null : { id: row.id, openedAt: readDate(row.opened_at!) },
    flapping:
      row.since === null ? null : { since: readDate(row.since), settlesAt: readDate(row.settles_at!) },
  };
}

/** Notes on an incident opened while its subject flaps since when it does. */
export async function markIncidentFlapping(manager: EntityManager, id: string, since: Date): Promise<void> {
  await query(manager, MARK_INCIDENT, [dateValue(dialectOf(manager), since), id]);
}

/** The subjects of these stacks that flap at `at`: since when, by `stackId\0family\0subject`. */
export async function flappingSubjects(
  manager: EntityManager,
  stackIds: readonly string[],
  at: Date,
): Promise<Map<string, number>> {
  if (stackIds.length === 0) return new Map();
  const dialect = dialectOf(manager);
  const rows = await query<{ stack_id: string; family: string; subject: string; since: string | Date }>(
    manager,
    FLAPPING_OF_STACKS,
    [listParameter(dialect, [...new Set(stackIds)]), dateValue(dialect, at)],
  );
  return new Map(
    rows.map((row) => [subjectMapKey(row.stack_id, row.family, row.subject), readDate(row.since).getTime()]),
  );
}

export function subjectMapKey(stackId: string, family: string, subject: string): string {
  return `${stackId}\u0000${family}\u0000${subject}`;
}
