import { randomUUID } from 'node:crypto';
import { Extensions, Field, ID, ObjectType } from 'type-graphql';
import { EVENT_DATA } from '../../graphql/shared-execution';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Node } from '../../graphql/node';

@ObjectType({ description: 'A deployed application stack whose events are notified.', implements: Node })
@Entity('stacks')
@Index('ix_stacks_account_created', ['accountId', 'createdAt', 'id'])
export class Stack {
  // Fields marked EVENT_DATA are read from the object alone: subscribers may share them (a notification's stack).
  @Extensions(EVENT_DATA)
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'account_id', length: 36 })
  accountId: string;

  @Extensions(EVENT_DATA)
  @Field()
  @Column('varchar', { length: 100 })
  name: string;

  @Extensions(EVENT_DATA)
  @Field({ description: 'e.g. production, staging' })
  @Column('varchar', { length: 50 })
  environment: string;

  /** Bumped by database triggers whenever something that decides this stack's audience changes. */
  @Column({ type: 'integer', name: 'settings_version', default: 0, insert: false, update: false })
  settingsVersion: number;

  @Extensions(EVENT_DATA)
  @Field()
  @Column({ name: 'created_at' })
  createdAt: Date = new Date();
}
