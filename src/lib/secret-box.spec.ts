// SecretBox: AES-256-GCM round trips, tampering and wrong keys refused, rotation through previous keys, legacy
// plaintext read as it is; loadSecretBox: the generated key file outside production.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError } from '../config';
import {
  GENERATED_KEY_FILE,
  isLegacyPlaintext,
  loadSecretBox,
  SecretBox,
  SecretDecryptionError,
  secretKeyId,
} from './secret-box';

const slackUrl = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX';

function key(): Buffer {
  return randomBytes(32);
}

/** Flips one bit of the base64 part at `index` (1: key id, 2: IV, 3: ciphertext and tag) of a stored value. */
function tamper(stored: string, index: number): string {
  const parts = stored.split(':');
  const bytes = Buffer.from(parts[index], 'base64');
  bytes[bytes.length - 1] ^= 1;
  parts[index] = bytes.toString('base64');
  return parts.join(':');
}

describe('SecretBox', () => {
  it('round-trips a secret through v1:<key id>:<iv>:<data> without the plaintext in it', () => {
    const box = new SecretBox(key());
    const stored = box.encrypt(slackUrl);
    expect(stored).toMatch(/^v1:[0-9a-f]{8}:[A-Za-z0-9+/]+=*:[A-Za-z0-9+/]+=*$/);
    expect(stored.split(':')[1]).toBe(box.keyId);
    expect(stored).not.toContain('hooks.slack.com');
    expect(box.decrypt(stored)).toBe(slackUrl);
  });

  it('round-trips empty and non-ASCII secrets', () => {
    const box = new SecretBox(key());
    for (const secret of ['', 'jeton-à-clé-🔑', 'x'.repeat(10_000)])
      expect(box.decrypt(box.encrypt(secret))).toBe(secret);
  });

  it('encrypts the same secret differently every time (a fresh IV per value)', () => {
    const box = new SecretBox(key());
    expect(box.encrypt('whsec_same')).not.toBe(box.encrypt('whsec_same'));
  });

  it.each([
    ['the ciphertext or tag', 3],
    ['the IV', 2],
  ])('detects tampering with %s', (_part, index) => {
    const box = new SecretBox(key());
    expect(() => box.decrypt(tamper(box.encrypt(slackUrl), index))).toThrow(SecretDecryptionError);
  });

  it('detects a value relabelled with another key id, and a truncated one', () => {
    const current = key();
    const previous = key();
    const box = new SecretBox(current, [previous]);
    const stored = box.encrypt(slackUrl);
    const relabelled = stored.replace(box.keyId, secretKeyId(previous));
    expect(() => box.decrypt(relabelled)).toThrow(/failed authentication/);
    expect(() => box.decrypt(stored.split(':').slice(0, 3).join(':'))).toThrow(SecretDecryptionError);
    expect(() => box.decrypt(`${stored.split(':').slice(0, 3).join(':')}:AAAA`)).toThrow(/truncated/);
  });

  it('refuses a value encrypted with a key it does not hold, naming the key id but no key material', () => {
    const writer = new SecretBox(key());
    const reader = new SecretBox(key());
    const stored = writer.encrypt(slackUrl);
    expect(() => reader.decrypt(stored)).toThrow(SecretDecryptionError);
    expect(() => reader.decrypt(stored)).toThrow(`encrypted with key ${writer.keyId}`);
  });

  it('reads values of previous keys during a rotation, and writes only with the current key', () => {
    const oldKey = key();
    const newKey = key();
    const before = new SecretBox(oldKey).encrypt('hipchat-token-1234');
    const during = new SecretBox(newKey, [oldKey]);
    expect(during.decrypt(before)).toBe('hipchat-token-1234');
    expect(during.isCurrent(before)).toBe(false);
    const rewritten = during.reencrypt(before);
    expect(during.isCurrent(rewritten)).toBe(true);
    expect(rewritten.split(':')[1]).toBe(secretKeyId(newKey));
    // Once the previous key is dropped, only rewritten values still open.
    const after = new SecretBox(newKey);
    expect(after.decrypt(rewritten)).toBe('hipchat-token-1234');
    expect(() => after.decrypt(before)).toThrow(SecretDecryptionError);
  });

  it('leaves a value already under the current key as it is', () => {
    const box = new SecretBox(key());
    const stored = box.encrypt('whsec_abc');
    expect(box.reencrypt(stored)).toBe(stored);
  });

  it('reads a value without the v1: prefix as legacy plaintext, and encrypts it on reencrypt', () => {
    const box = new SecretBox(key());
    expect(isLegacyPlaintext(slackUrl)).toBe(true);
    expect(box.decrypt(slackUrl)).toBe(slackUrl);
    expect(box.isCurrent(slackUrl)).toBe(false);
    const encrypted = box.reencrypt(slackUrl);
    expect(isLegacyPlaintext(encrypted)).toBe(false);
    expect(box.decrypt(encrypted)).toBe(slackUrl);
  });
});

describe('loadSecretBox', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'secret-box-')), 'data');
  });
  afterEach(() => fs.rmSync(path.dirname(dataDir), { recursive: true, force: true }));

  const settings = (overrides: Partial<Parameters<typeof loadSecretBox>[0]> = {}) => ({
    secretKey: null,
    previousSecretKeys: [],
    dataDir,
    production: false,
    ...overrides,
  });

  it('uses SECRET_KEY when it is set, and writes no key file', () => {
    const secretKey = key();
    expect(loadSecretBox(settings({ secretKey })).keyId).toBe(secretKeyId(secretKey));
    expect(fs.existsSync(path.join(dataDir, GENERATED_KEY_FILE))).toBe(false);
  });

  it('generates a key once into DATA_DIR/secret.key, readable by its owner only, and reuses it', () => {
    const first = loadSecretBox(settings());
    const file = path.join(dataDir, GENERATED_KEY_FILE);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const stored = first.encrypt('whsec_kept');
    const second = loadSecretBox(settings());
    expect(second.keyId).toBe(first.keyId);
    expect(second.decrypt(stored)).toBe('whsec_kept');
    expect(fs.readdirSync(dataDir)).toEqual([GENERATED_KEY_FILE]);
  });

  it('decrypts with SECRET_KEY_PREVIOUS next to the generated key', () => {
    const previous = key();
    const old = new SecretBox(previous).encrypt('hipchat-token');
    expect(loadSecretBox(settings({ previousSecretKeys: [previous] })).decrypt(old)).toBe('hipchat-token');
  });

  it('refuses to generate a key in production', () => {
    expect(() => loadSecretBox(settings({ production: true }))).toThrow(ConfigError);
    expect(fs.existsSync(dataDir)).toBe(false);
  });

  it('stops with a ConfigError naming the file when the key file is not a 32-byte key', () => {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(path.join(dataDir, GENERATED_KEY_FILE), 'not a key\n');
    expect(() => loadSecretBox(settings())).toThrow(ConfigError);
    expect(() => loadSecretBox(settings())).toThrow(`${GENERATED_KEY_FILE} must be 32 bytes`);
  });
});
