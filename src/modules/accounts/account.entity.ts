import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Node } from '../../graphql/node';

@ObjectType({ description: 'A customer account: it owns stacks and people.', implements: Node })
@Entity('accounts')
export class Account {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Field()
  @Column('varchar', { length: 100, unique: true })
  name: string;

  @Field()
  @Column({ name: 'created_at' })
  createdAt: Date = new Date();
}
