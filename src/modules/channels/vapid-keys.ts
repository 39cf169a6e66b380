// The VAPID key pair browsers subscribe with: from configuration, or generated once and kept in the database so
// every instance signs with the same key (a subscription is bound to the public key it was made with).
import type { DataSource } from 'typeorm';
import webpush from 'web-push';
import type { VapidConfig } from '../../config';
import { ServerSecret } from './server-secret.entity';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

const SECRET_NAME = 'vapid';

export async function loadVapidKeys(dataSource: DataSource, config: VapidConfig): Promise<VapidKeys> {
  if (config.publicKey && config.privateKey) {
    return { publicKey: config.publicKey, privateKey: config.privateKey, subject: config.subject };
  }
  const repository = dataSource.getRepository(ServerSecret);
  let stored = await repository.findOneBy({ name: SECRET_NAME });
  if (!stored) {
    const generated = webpush.generateVAPIDKeys();
    // Two instances starting together may both generate: the first insert wins and both read it back.
    await repository
      .createQueryBuilder()
      .insert()
      .values({ name: SECRET_NAME, value: JSON.stringify(generated), createdAt: new Date() })
      .orIgnore()
      .execute();
    stored = await repository.findOneByOrFail({ name: SECRET_NAME });
  }
  const keys = JSON.parse(stored.value) as { publicKey: string; privateKey: string };
  return { ...keys, subject: config.subject };
}
