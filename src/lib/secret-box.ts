// Encrypts the secrets the service stores (channel tokens and URLs, webhook signing secrets, the VAPID private key)
// with AES-256-GCM under SECRET_KEY, so that a copy of the database alone reveals none of them.
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ConfigError, parseSecretKey, type Config } from '../config';

/** Stored form: `v1:<key id>:<base64 IV>:<base64 ciphertext followed by the 16-byte tag>`. */
const FORMAT_VERSION = 'v1';
const PREFIX = `${FORMAT_VERSION}:`;
const IV_BYTES = 12;
const TAG_BYTES = 16;
/** The key generated outside production when SECRET_KEY is not set, inside DATA_DIR. */
export const GENERATED_KEY_FILE = 'secret.key';

/** A stored secret that no configured key opens: a wrong key, a key missing from SECRET_KEY_PREVIOUS, tampering. */
export class SecretDecryptionError extends Error {}

/** Names a key without revealing it: the first 8 hex digits of its SHA-256. */
export function secretKeyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 8);
}

/** True for values written before secrets were encrypted; they are read as they are until `secrets rotate`. */
export function isLegacyPlaintext(stored: string): boolean {
  return !stored.startsWith(PREFIX);
}

export class SecretBox {
  /** The id of the key every new value is encrypted with. */
  readonly keyId: string;
  private readonly keys = new Map<string, Buffer>();
  /** `currentKey` encrypts; it and `previousKeys` decrypt. */
  constructor(
    private readonly currentKey: Buffer,
    previousKeys: readonly Buffer[] = [],
  ) {
    this.keyId = secretKeyId(currentKey);
    for (const key of [currentKey, ...previousKeys]) {
      if (key.length !== 32) throw new Error('AES-256-GCM keys are 32 bytes');
      if (!this.keys.has(secretKeyId(key))) this.keys.set(secretKeyId(key), key);
    }
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const header = `${PREFIX}${this.keyId}`;
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv);
    // The header is authenticated too: a value cannot be relabelled as another version or key.
    cipher.setAAD(Buffer.from(header));
    const sealed = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final(), cipher.getAuthTag()]);
    return `${header}:${iv.toString('base64')}:${sealed.toString('base64')}`;
  }

  /** The plaintext of a stored value; a value without the `v1:` prefix is legacy plaintext and comes back as is. */
  decrypt(stored: string): string {
    if (isLegacyPlaintext(stored)) return stored;
    return this.open(stored);
  }

  private open(stored: string): string {
    const parts = stored.split(':');
    if (parts.length !== 4)
      throw new SecretDecryptionError('a stored secret is not in the v1:<key>:<iv>:<data> form');
    const [, keyId, ivText, sealedText] = parts;
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        `a stored secret was encrypted with key ${keyId}, which is neither SECRET_KEY (${this.keyId}) ` +
          'nor one of SECRET_KEY_PREVIOUS',
      );
    }
    const iv = Buffer.from(ivText, 'base64');
    const sealed = Buffer.from(sealedText, 'base64');
    if (iv.length !== IV_BYTES || sealed.length < TAG_BYTES) {
      throw new SecretDecryptionError(`a stored secret under key ${keyId} is truncated`);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(Buffer.from(`${PREFIX}${keyId}`));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      return Buffer.concat([
        decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        `a stored secret under key ${keyId} failed authentication (altered or corrupt)`,
      );
    }
  }

  /** Whether a stored value is already encrypted with the current key; if not, `secrets rotate` rewrites it. */
  isCurrent(stored: string): boolean {
    return stored.startsWith(`${PREFIX}${this.keyId}:`);
  }

  /** The value encrypted with the current key: unchanged when it already is, re-encrypted otherwise. */
  reencrypt(stored: string): string {
    return this.isCurrent(stored) ? stored : this.encrypt(this.decrypt(stored));
  }
}

/**
 * The SecretBox of this configuration: SECRET_KEY, or outside production a key generated once into
 * DATA_DIR/secret.key (mode 0600) and read from there on every later start.
 */
export function loadSecretBox(
  config: Pick<Config, 'secretKey' | 'previousSecretKeys' | 'dataDir' | 'production'>,
): SecretBox {
  if (config.secretKey) return new SecretBox(config.secretKey, config.previousSecretKeys);
  if (config.production) throw new ConfigError('SECRET_KEY is required when NODE_ENV=production');
  return new SecretBox(readOrCreateKeyFile(config.dataDir), config.previousSecretKeys);
}

function readOrCreateKeyFile(dataDir: string): Buffer {
  const file = path.join(dataDir, GENERATED_KEY_FILE);
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    // Written aside, then linked into place: two processes starting together on one DATA_DIR agree on one key,
    // and neither ever reads a half-written file.
    const pending = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
    fs.writeFileSync(pending, `${randomBytes(32).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      fs.linkSync(pending, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      fs.rmSync(pending, { force: true });
    }
  }
  return parseSecretKey(file, fs.readFileSync(file, 'utf8'));
}
