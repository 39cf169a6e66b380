// Secrets the server itself holds (the VAPID key pair), shared by every instance through the database.
import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('server_secrets')
export class ServerSecret {
  @PrimaryColumn('varchar', { length: 100 })
  name: string;

  @Column('text')
  value: string;

  @Column({ name: 'created_at' })
  createdAt: Date = new Date();
}
