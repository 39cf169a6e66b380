// Every secret the service keeps in its database, re-encrypted with the current SECRET_KEY (`secrets rotate`):
// shared channels' secrets and previous webhook secrets, and the generated VAPID private key.
import type { DataSource, EntityManager, ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { SecretBox } from '../../lib/secret-box';
import { ServerSecret } from './server-secret.entity';
import { StackChannel } from './stack-channel.entity';
import { reencryptVapidKeys, VAPID_SECRET_NAME } from './vapid-keys';

export interface RotationResult {
  /** Stored secrets rewritten: legacy plaintext, or encrypted with a previous key. */
  rewritten: number;
  /** Stored secrets already encrypted with the current key, left as they were. */
  unchanged: number;
  /** The id of the key everything is now encrypted with. */
  keyId: string;
}

/**
 * Decrypts every stored secret (with the current key or one of the previous ones; legacy plaintext as it is) and
 * writes it back encrypted with the current key, in one transaction: a secret no configured key opens rolls
 * everything back, so a rotation is never left half done.
 */
export async function reencryptStoredSecrets(
  dataSource: DataSource,
  secrets: SecretBox,
): Promise<RotationResult> {
  return dataSource.transaction(async (manager) => {
    const result: RotationResult = { rewritten: 0, unchanged: 0, keyId: secrets.keyId };
    await reencryptChannels(manager, secrets, result);
    await reencryptServerSecrets(manager, secrets, result);
    return result;
  });
}

/** Rows are locked on PostgreSQL, so a channel configured meanwhile is not overwritten with its old secret. */
function forUpdate<T extends ObjectLiteral>(
  manager: EntityManager,
  query: SelectQueryBuilder<T>,
): SelectQueryBuilder<T> {
  return manager.connection.options.type === 'postgres' ? query.setLock('pessimistic_write') : query;
}

async function reencryptChannels(
  manager: EntityManager,
  secrets: SecretBox,
  result: RotationResult,
): Promise<void> {
  const channels = await forUpdate(manager, manager.createQueryBuilder(StackChannel, 'channel')).getMany();
  for (const channel of channels) {
    const values = { secret: channel.secret, previousSecret: channel.previousSecret };
    const secret = secrets.reencrypt(values.secret);
    const previousSecret = values.previousSecret === null ? null : secrets.reencrypt(values.previousSecret);
    const changed = [secret !== values.secret, previousSecret !== values.previousSecret].filter(
      Boolean,
    ).length;
    result.rewritten += changed;
    result.unchanged += (values.previousSecret === null ? 1 : 2) - changed;
    if (changed > 0) await manager.update(StackChannel, { id: channel.id }, { secret, previousSecret });
  }
}

async function reencryptServerSecrets(
  manager: EntityManager,
  secrets: SecretBox,
  result: RotationResult,
): Promise<void> {
  const vapid = await forUpdate(
    manager,
    manager
      .createQueryBuilder(ServerSecret, 'secret')
      .where('secret.name = :name', { name: VAPID_SECRET_NAME }),
  ).getOne();
  if (!vapid) return;
  const value = reencryptVapidKeys(vapid.value, secrets);
  if (value === null) {
    result.unchanged += 1;
    return;
  }
  result.rewritten += 1;
  await manager.update(ServerSecret, { name: vapid.name }, { value });
}
