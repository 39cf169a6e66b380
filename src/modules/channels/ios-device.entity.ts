import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

@ObjectType({
  description: "An iOS device registered by a user's app for push notifications.",
  implements: Node,
})
@Entity('ios_devices')
@Index('ix_ios_devices_user', ['userId'])
@Unique('uq_ios_devices_token_user', ['token', 'userId'])
export class IosDevice {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'user_id', length: 36 })
  userId: string;

  /** The APNs device token (hex, lower case); another user may have registered the same one. */
  @Column('varchar', { length: 200 })
  token: string;

  @Field({ description: 'The last characters of the device token.' })
  get tokenHint(): string {
    return `…${this.token.slice(-6)}`;
  }

  @Field(() => String, { nullable: true })
  @Column('varchar', { name: 'device_name', length: 100, nullable: true })
  deviceName: string | null = null;

  @Field()
  @Column({ name: 'created_at' })
  createdAt: Date = new Date();
}
