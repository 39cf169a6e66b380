import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Node } from '../../graphql/node';

@ObjectType({ description: 'A deployed application stack whose events are notified.', implements: Node })
@Entity('stacks')
@Index('ix_stacks_account_created', ['accountId', 'createdAt', 'id'])
export class Stack {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'account_id', length: 36 })
  accountId: string;

  @Field()
  @Column('varchar', { length: 100 })
  name: string;

  @Field({ description: 'e.g. production, staging' })
  @Column('varchar', { length: 50 })
  environment: string;

  /** Bumped by database triggers whenever something that decides this stack's audience changes. */
  @Column({ type: 'integer', name: 'settings_version', default: 0, insert: false, update: false })
  settingsVersion: number;

  @Field()
  @Column({ name: 'created_at' })
  createdAt: Date = new Date();
}
