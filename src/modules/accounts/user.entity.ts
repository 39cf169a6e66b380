import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Node } from '../../graphql/node';

export enum Role {
  OWNER = 'OWNER',
  ADMIN = 'ADMIN',
  MEMBER = 'MEMBER',
}
registerEnumType(Role, {
  name: 'Role',
  description:
    'OWNER and ADMIN manage stacks, shared channels and people; MEMBER manages their own channels.',
});

export function isAdmin(role: Role): boolean {
  return role === Role.OWNER || role === Role.ADMIN;
}

@ObjectType({ description: 'A person in an account.', implements: Node })
@Entity('users')
@Index('uq_users_account_email', ['accountId', 'email'], { unique: true })
export class User {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'account_id', length: 36 })
  accountId: string;

  @Field()
  @Column('varchar', { length: 254 })
  email: string;

  @Field()
  @Column('varchar', { length: 100 })
  name: string;

  @Field(() => Role)
  @Column('varchar', { length: 10 })
  role: Role;

  @Field()
  @Column({ name: 'created_at' })
  createdAt: Date = new Date();
}
