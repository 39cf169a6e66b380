// The VAPID key pair browsers subscribe with: from configuration, or generated once and kept in the database so
// every instance signs with the same key (a subscription is bound to the public key it was made with). The stored
// private key is encrypted with the SecretBox; the public key is public and stays readable.
import type { DataSource } from 'typeorm';
import webpush from 'web-push';
import type { VapidConfig } from '../../config';
import type { SecretBox } from '../../lib/secret-box';
import { ServerSecret } from './server-secret.entity';

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  subject: string;
}

/** The server_secrets row of the generated key pair: JSON { publicKey, privateKey (encrypted) }. */
export const VAPID_SECRET_NAME = 'vapid';

interface StoredVapidKeys {
  publicKey: string;
  privateKey: string;
}

/** A legacy row with the private key in plaintext is still read; `secrets rotate` encrypts it. */
export async function loadVapidKeys(
  dataSource: DataSource,
  config: VapidConfig,
  secrets: SecretBox,
): Promise<VapidKeys> {
  if (config.publicKey && config.privateKey) {
    return { publicKey: config.publicKey, privateKey: config.privateKey, subject: config.subject };
  }
  const repository = dataSource.getRepository(ServerSecret);
  let stored = await repository.findOneBy({ name: VAPID_SECRET_NAME });
  if (!stored) {
    const generated = webpush.generateVAPIDKeys();
    const value: StoredVapidKeys = {
      publicKey: generated.publicKey,
      privateKey: secrets.encrypt(generated.privateKey),
    };
    // Two instances starting together may both generate: the first insert wins and both read it back.
    await repository
      .createQueryBuilder()
      .insert()
      .values({ name: VAPID_SECRET_NAME, value: JSON.stringify(value), createdAt: new Date() })
      .orIgnore()
      .execute();
    stored = await repository.findOneByOrFail({ name: VAPID_SECRET_NAME });
  }
  const keys = JSON.parse(stored.value) as StoredVapidKeys;
  return { publicKey: keys.publicKey, privateKey: secrets.decrypt(keys.privateKey), subject: config.subject };
}

/** The stored key pair with its private key re-encrypted under the current key; null when already current. */
export function reencryptVapidKeys(storedValue: string, secrets: SecretBox): string | null {
  const keys = JSON.parse(storedValue) as StoredVapidKeys;
  if (secrets.isCurrent(keys.privateKey)) return null;
  return JSON.stringify({
    ...keys,
    privateKey: secrets.reencrypt(keys.privateKey),
  } satisfies StoredVapidKeys);
}
