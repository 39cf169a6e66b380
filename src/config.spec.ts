// loadConfig: defaults, parsing, and one clear ConfigError per bad variable (never a stack trace, never a password).
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError, loadConfig, parseDatabaseUrl, redactUrl } from './config';
import { envVariables } from './env-schema';
import { PUBLISHER_VARIABLES } from './publish-command';

const HEX_KEY = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff';

function configError(env: Record<string, string>): string {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error(`expected a ConfigError for ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('needs no variables: port 4000, SQLite under ./data, local mode, info logs', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      dataDir: path.resolve('data'),
      database: { type: 'sqlite', path: path.resolve('data/notifications.sqlite') },
      production: false,
      localMode: true,
      logLevel: 'info',
      publicUrl: 'http://localhost:4000',
    });
  });

  it('puts the default SQLite file in DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: '/var/lib/notifications' });
    expect(config.database).toEqual({ type: 'sqlite', path: '/var/lib/notifications/notifications.sqlite' });
  });

  it('reads PORT, HOST, LOG_LEVEL and PUBLIC_URL, dropping a trailing slash from the URL', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      PUBLIC_URL: 'https://notify.example.com/',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'debug',
      publicUrl: 'https://notify.example.com',
    });
  });

  it('defaults PUBLIC_URL to the configured port', () => {
    expect(loadConfig({ PORT: '5000' }).publicUrl).toBe('http://localhost:5000');
  });

  it('accepts port 0, which asks the system for a free port', () => {
    expect(loadConfig({ PORT: '0' }).port).toBe(0);
  });

  it('turns local mode off in production unless asked for', () => {
    const production = { NODE_ENV: 'production', SECRET_KEY: HEX_KEY };
    expect(loadConfig(production)).toMatchObject({ production: true, localMode: false });
    expect(loadConfig({ ...production, LOCAL_MODE: 'true' }).localMode).toBe(true);
  });

  it.each([
    ['true', true],
    ['1', true],
    ['YES', true],
    ['false', false],
    ['0', false],
    ['no', false],
  ])('reads LOCAL_MODE=%s as %s', (value, expected) => {
    expect(loadConfig({ LOCAL_MODE: value }).localMode).toBe(expected);
  });

  it.each(['abc', '-1', '65536', '80.5', ' 80', '1e3'])(
    'refuses PORT=%j with a message naming PORT',
    (value) => {
      expect(configError({ PORT: value })).toBe(`PORT must be a port number from 0 to 65535, got "${value}"`);
    },
  );

  it('refuses an unknown LOG_LEVEL, listing the levels', () => {
    expect(configError({ LOG_LEVEL: 'verbose' })).toBe(
      'LOG_LEVEL must be one of debug, info, warn, error, silent, got "verbose"',
    );
  });

  it('reads the flapping defaults, within their ranges, settling no sooner than a window ends', () => {
    expect(loadConfig({}).flapping).toEqual({ threshold: 3, windowMinutes: 10, settleMinutes: 15 });
    expect(
      loadConfig({ FLAP_THRESHOLD: '5', FLAP_WINDOW_MINUTES: '5', FLAP_SETTLE_MINUTES: '5' }).flapping,
    ).toEqual({ threshold: 5, windowMinutes: 5, settleMinutes: 5 });
    expect(configError({ FLAP_THRESHOLD: '0' })).toBe(
      'FLAP_THRESHOLD must be a whole number from 1 to 100, got "0"',
    );
    expect(configError({ FLAP_WINDOW_MINUTES: '1441' })).toBe(
      'FLAP_WINDOW_MINUTES must be a whole number from 1 to 1440, got "1441"',
    );
    expect(configError({ FLAP_WINDOW_MINUTES: '30' })).toBe(
      'FLAP_SETTLE_MINUTES must be at least FLAP_WINDOW_MINUTES',
    );
  });

  it('refuses a LOCAL_MODE that is not a boolean', () => {
    expect(configError({ LOCAL_MODE: 'maybe' })).toBe('LOCAL_MODE must be true or false, got "maybe"');
  });

  it('refuses a PUBLIC_URL that is not absolute', () => {
    expect(configError({ PUBLIC_URL: 'notify.example.com' })).toMatch(/^PUBLIC_URL must be an absolute URL/);
  });

  it('names every bad variable, on one line', () => {
    expect(configError({ PORT: 'x', LOG_LEVEL: 'loud' })).toBe(
      'PORT must be a port number from 0 to 65535, got "x"; ' +
        'LOG_LEVEL must be one of debug, info, warn, error, silent, got "loud"',
    );
  });

  it('reads an empty variable as unset', () => {
    expect(loadConfig({ PORT: '', HOST: '', LOCAL_MODE: '', DATABASE_URL: '' })).toEqual(loadConfig({}));
  });

  it('answers every error on one line', () => {
    const envs: Record<string, string>[] = [
      { PORT: 'x' },
      { DATABASE_URL: 'mysql://db' },
      { LOG_LEVEL: 'x' },
      { PUBLIC_URL: 'x' },
    ];
    for (const env of envs) {
      expect(configError(env)).not.toContain('\n');
    }
  });
});

describe('DATABASE_URL', () => {
  it.each([
    ['sqlite:./data/x.sqlite', path.resolve('data/x.sqlite')],
    ['sqlite:/tmp/x.sqlite', '/tmp/x.sqlite'],
    ['sqlite:///tmp/x.sqlite', '/tmp/x.sqlite'],
    ['sqlite::memory:', ':memory:'],
  ])('reads %s as a SQLite file', (value, file) => {
    expect(loadConfig({ DATABASE_URL: value }).database).toEqual({ type: 'sqlite', path: file });
  });

  it.each(['postgres://app:secret@db.example.com:5432/notifications', 'postgresql://db/notifications'])(
    'reads %s as PostgreSQL, keeping the URL for the driver',
    (value) => {
      expect(loadConfig({ DATABASE_URL: value }).database).toEqual({ type: 'postgres', url: value });
    },
  );

  it('accepts a PostgreSQL socket given as a host parameter', () => {
    const value = 'postgres:///notifications?host=/var/run/postgresql';
    expect(parseDatabaseUrl(value, '/tmp')).toEqual({ type: 'postgres', url: value });
  });

  it('refuses a URL of another database, with examples of the two accepted forms', () => {
    expect(configError({ DATABASE_URL: 'mysql://root@db/notifications' })).toBe(
      'DATABASE_URL must start with sqlite: or postgres://, got "mysql://root@db/notifications" ' +
        '(e.g. sqlite:./data/notifications.sqlite or postgres://user@127.0.0.1:5432/notifications)',
    );
  });

  it('refuses sqlite: without a file', () => {
    expect(configError({ DATABASE_URL: 'sqlite:' })).toMatch(/^DATABASE_URL sqlite: needs a file path/);
  });

  it('refuses a postgres:// URL without a host', () => {
    expect(configError({ DATABASE_URL: 'postgres://' })).toMatch(
      /^DATABASE_URL is not a valid postgres:\/\/ URL/,
    );
  });

  it('never repeats the password of a refused URL', () => {
    for (const value of [
      'mysql://root:hunter2@db/x',
      'postgres://:hunter2@',
      'redis://user:hunter2@cache:6379',
    ]) {
      expect(configError({ DATABASE_URL: value })).not.toContain('hunter2');
    }
  });
});

describe('SECRET_KEY and SECRET_KEY_PREVIOUS', () => {
  it('reads a 32-byte key in hex or in base64, padded or not, standard or URL-safe', () => {
    const key = Buffer.from(HEX_KEY, 'hex');
    for (const value of [HEX_KEY, key.toString('base64'), key.toString('base64url'), ` ${HEX_KEY}\n`]) {
      expect(loadConfig({ SECRET_KEY: value }).secretKey).toEqual(key);
    }
  });

  it('leaves the key to loadSecretBox outside production when none is set', () => {
    expect(loadConfig({})).toMatchObject({ secretKey: null, previousSecretKeys: [] });
  });

  it('refuses to start in production without SECRET_KEY, saying how to make one', () => {
    expect(configError({ NODE_ENV: 'production' })).toBe(
      'SECRET_KEY is required when NODE_ENV=production: 32 random bytes in base64 or hex, e.g. `openssl rand -base64 32`',
    );
  });

  it.each([
    ['too short', 'c2VjcmV0'],
    ['31 bytes of hex', HEX_KEY.slice(2)],
    ['a passphrase', 'correct horse battery staple, 32 chars'],
  ])('refuses a SECRET_KEY that is %s, without repeating it', (_name, value) => {
    const message = configError({ SECRET_KEY: value });
    expect(message).toMatch(/^SECRET_KEY must be 32 bytes in base64 or hex/);
    expect(message).not.toContain(value);
  });

  it('reads SECRET_KEY_PREVIOUS as keys separated by commas, naming the bad one by position', () => {
    const other = 'ab'.repeat(32);
    const config = loadConfig({ SECRET_KEY: HEX_KEY, SECRET_KEY_PREVIOUS: `${other}, ${HEX_KEY}` });
    expect(config.previousSecretKeys).toEqual([Buffer.from(other, 'hex'), Buffer.from(HEX_KEY, 'hex')]);
    expect(configError({ SECRET_KEY_PREVIOUS: `${other},hunter2` })).toMatch(
      /^SECRET_KEY_PREVIOUS \(key 2\) must be 32 bytes/,
    );
  });

  it('trusts no proxy by default, and reads TRUST_PROXY as hops or as addresses and ranges', () => {
    expect(loadConfig({}).trustProxy).toBeNull();
    expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toEqual({ hops: 2 });
    expect(loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8,fd00::1' }).trustProxy).toEqual({
      addresses: ['loopback', '10.0.0.0/8', 'fd00::1'],
    });
    expect(configError({ TRUST_PROXY: 'true' })).toMatch(/^TRUST_PROXY must be a number of hops .*true/);
    expect(configError({ TRUST_PROXY: '10.0.0.0/99' })).toMatch(/^TRUST_PROXY must be/);
  });
});

describe('settings that go together', () => {
  const apns = {
    APNS_KEY_FILE: '/keys/a.p8',
    APNS_KEY_ID: 'KEY',
    APNS_TEAM_ID: 'TEAM',
    APNS_TOPIC: 'app.example',
  };

  it('takes the four APNs settings together, or none', () => {
    expect(loadConfig(apns).apns).toMatchObject({ keyFile: '/keys/a.p8', topic: 'app.example', port: null });
    expect(loadConfig({}).apns.keyFile).toBeNull();
    expect(configError({ ...apns, APNS_KEY_ID: '', APNS_TOPIC: '' })).toBe(
      'iOS push needs APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID and APNS_TOPIC; missing APNS_KEY_ID, APNS_TOPIC',
    );
  });

  it('takes a fallback SMTP relay only beside a primary one', () => {
    expect(
      loadConfig({ SMTP_URL: 'smtp://mail.example:25', SMTP_FALLBACK_URL: 'smtps://u:p@backup.example:465' }),
    ).toMatchObject({ smtpUrl: 'smtp://mail.example:25', smtpFallbackUrl: 'smtps://u:p@backup.example:465' });
    expect(loadConfig({}).smtpFallbackUrl).toBeNull();
    expect(configError({ SMTP_FALLBACK_URL: 'smtp://backup.example' })).toBe(
      'SMTP_FALLBACK_URL needs SMTP_URL: it is the relay used when that one fails',
    );
  });

  it('takes both VAPID keys, or neither', () => {
    expect(loadConfig({ VAPID_PUBLIC_KEY: 'pub', VAPID_PRIVATE_KEY: 'priv' }).vapid).toEqual({
      publicKey: 'pub',
      privateKey: 'priv',
      subject: 'mailto:notifications@localhost',
    });
    expect(configError({ VAPID_PRIVATE_KEY: 'priv' })).toBe(
      'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (keys are then generated once)',
    );
  });
});

describe('the environment schema', () => {
  function sourceFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) return sourceFiles(file);
      return /\.tsx?$/.test(entry.name) && !/\.(spec|test)\.tsx?$/.test(entry.name) ? [file] : [];
    });
  }

  it('declares every variable that code in src/ reads', () => {
    const declared = new Set<string>([...Object.keys(envVariables.shape), ...PUBLISHER_VARIABLES]);
    const undeclared = new Set<string>();
    for (const file of sourceFiles(__dirname)) {
      const name = path.relative(__dirname, file);
      const text = fs.readFileSync(file, 'utf8');
      for (const match of text.matchAll(/process\.env\b(?:\.(\w+)|\[\s*(['"`])(\w+)\2\s*\])?/g)) {
        const variable = match[1] ?? match[3];
        // Only loadConfig takes the whole environment, and it reads it through the schema.
        if (!variable && name !== 'config.ts') {
          undeclared.add(`${name}: process.env other than through loadConfig`);
        }
        if (variable && !declared.has(variable)) undeclared.add(`${name}: ${variable}`);
      }
      for (const match of text.matchAll(/\benv\??\.([A-Z][A-Z0-9_]*)\b/g)) {
        if (!declared.has(match[1])) undeclared.add(`${name}: ${match[1]}`);
      }
    }
    expect([...undeclared]).toEqual([]);
  });

  it('applies the fixed default the README shows when a variable is unset', () => {
    const unset = loadConfig({});
    for (const [name, schema] of Object.entries(envVariables.shape)) {
      if (schema instanceof z.ZodPrefault) {
        expect(loadConfig({ [name]: String(schema.def.defaultValue) })).toEqual(unset);
      }
    }
  });
});

describe('redactUrl', () => {
  it('hides the password and keeps the rest', () => {
    expect(redactUrl('postgres://app:secret@db:5432/x')).toBe('postgres://app:***@db:5432/x');
  });

  it('hides a password given without a user name', () => {
    expect(redactUrl('postgres://:secret@db/x')).toBe('postgres://:***@db/x');
  });

  it('leaves a URL without a password alone', () => {
    expect(redactUrl('postgres://app@db/x')).toBe('postgres://app@db/x');
  });
});
