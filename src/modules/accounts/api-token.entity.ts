import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import { Node } from '../../graphql/node';

/** What a token may do. Values are the scope strings printed by the CLI and accepted by --scopes. */
export enum Scope {
  SETTINGS_READ = 'settings:read',
  SETTINGS_WRITE = 'settings:write',
  EVENTS_PUBLISH = 'events:publish',
}
registerEnumType(Scope, {
  name: 'Scope',
  description: 'settings:read reads settings, settings:write changes them, events:publish publishes events.',
});

export const ALL_SCOPES: readonly Scope[] = Object.values(Scope);

export function parseScope(value: string): Scope | undefined {
  return ALL_SCOPES.find((scope) => scope === value);
}

@ObjectType({
  description: 'An API token. The secret itself is shown once, when it is created.',
  implements: Node,
})
@Entity('api_tokens')
export class ApiToken {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'user_id', length: 36 })
  userId: string;

  @Field()
  @Column('varchar', { length: 100 })
  name: string;

  @Field(() => [Scope])
  @Column('simple-array')
  scopes: Scope[];

  /** SHA-256 of the token: tokens carry 256 random bits, so a fast hash is enough and lookups stay O(1). */
  @Column('varchar', { name: 'token_hash', length: 64, unique: true })
  tokenHash: string;

  @Field({ description: 'The first characters of the token, to recognise it.' })
  @Column('varchar', { name: 'token_prefix', length: 16 })
  tokenPrefix: string;

  @Field()
  @Column({ name: 'created_at' })
  createdAt: Date = new Date();

  @Field(() => Date, { nullable: true })
  @Column({ name: 'last_used_at', type: Date, nullable: true })
  lastUsedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Column({ name: 'revoked_at', type: Date, nullable: true })
  revokedAt: Date | null = null;
}
