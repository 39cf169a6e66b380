// An incident: a failure of one subject of a stack (a server, a job, its redeploys...), open until its recovery
// event or resolveIncident. At most one is open per (stack, family, subject): a unique partial index enforces it.
import { randomUUID } from 'node:crypto';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export enum IncidentState {
  OPEN = 'OPEN',
  RESOLVED = 'RESOLVED',
}

@Entity('incidents')
export class Incident {
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'stack_id', length: 36 })
  stackId: string;

  @Column('varchar', { name: 'account_id', length: 36 })
  accountId: string;

  @Column('varchar', { length: 40 })
  family: string;

  /** '' when the stack itself is the subject. */
  @Column('varchar', { length: 200 })
  subject: string;

  @Column('varchar', { length: 10 })
  state: IncidentState;

  /** When its first failure was recorded; the list pages by it (the name pagination reads). */
  @Column({ name: 'opened_at' })
  createdAt: Date;

  @Column({ name: 'resolved_at', type: Date, nullable: true })
  resolvedAt: Date | null = null;

  /** The recovery notification that resolved it; null while open or when resolved by hand. */
  @Column('varchar', { name: 'resolved_by_notification_id', length: 36, nullable: true })
  resolvedByNotificationId: string | null = null;

  /** When the flapping it was opened in began (flapping_subjects.since); null when it opened without flapping. */
  @Column({ name: 'flapping_since', type: Date, nullable: true })
  flappingSince: Date | null = null;

  /** Who resolved it with resolveIncident; null otherwise. */
  @Column('varchar', { name: 'resolved_by_user_id', length: 36, nullable: true })
  resolvedByUserId: string | null = null;
}
