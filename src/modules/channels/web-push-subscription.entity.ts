import { randomUUID } from 'node:crypto';
import { Field, ID, ObjectType } from 'type-graphql';
import { Node } from '../../graphql/node';
import { Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/** The description of the `warning` of what a configure mutation answers with. */
export const CONFIGURE_WARNING =
  'Set only in the answer of the mutation that configured it: a reason deliveries may not get through yet, ' +
  'e.g. that the host does not resolve from this server now.';

@ObjectType({
  description: "A browser's Web Push subscription, registered by the stack notifications page.",
  implements: Node,
})
@Entity('web_push_subscriptions')
@Index('ix_web_push_subscriptions_user', ['userId'])
@Unique('uq_web_push_subscriptions_endpoint_user', ['endpoint', 'userId'])
export class WebPushSubscription {
  @Field(() => ID)
  @PrimaryColumn('varchar', { length: 36 })
  id: string = randomUUID();

  @Column('varchar', { name: 'user_id', length: 36 })
  userId: string;

  /** Another user may have registered the same endpoint (the same browser), with their own row. */
  @Field()
  @Column('varchar', { length: 2048 })
  endpoint: string;

  @Column('varchar', { length: 200 })
  p256dh: string;

  @Column('varchar', { length: 100 })
  auth: string;

  @Field()
  @Column({ name: 'created_at' })
  createdAt: Date = new Date();

  @Field(() => String, {
    nullable: true,
    description: CONFIGURE_WARNING,
  })
  warning?: string | null;
}
