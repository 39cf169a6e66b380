// Every environment variable the service reads, parsed and validated in one place.
import path from 'node:path';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

export interface Config {
  /** @default 4000 */
  port: number;
  /** @default '0.0.0.0' */
  host: string;
  database: DatabaseConfig;
  /** Where the embedded database, the local token and generated keys live. @default './data' */
  dataDir: string;
  /** production hides internal error messages from clients and refuses insecure defaults. */
  production: boolean;
  /** Local mode bootstraps an account on an empty database and pre-fills the playground token. @default !production */
  localMode: boolean;
  /** @default 'info' */
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Public base URL used in links (email footers). @default http://localhost:PORT */
  publicUrl: string;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

function parsePort(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) {
    throw new ConfigError(`${name} must be a port number from 0 to 65535, got "${value}"`);
  }
  return port;
}

function parseBoolean(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
  if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${value}"`);
}

function parseOneOf<T extends string>(
  name: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new ConfigError(`${name} must be one of ${allowed.join(', ')}, got "${value}"`);
}

export function parseDatabaseUrl(value: string, dataDir: string): DatabaseConfig {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file)
      throw new ConfigError(
        'DATABASE_URL sqlite: needs a file path, e.g. sqlite:./data/notifications.sqlite',
      );
    return { type: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      const url = new URL(value);
      if (!url.hostname && !url.searchParams.get('host')) throw new Error('no host');
    } catch {
      throw new ConfigError(`DATABASE_URL is not a valid postgres:// URL: "${redactUrl(value)}"`);
    }
    return { type: 'postgres', url: value };
  }
  void dataDir;
  throw new ConfigError(
    `DATABASE_URL must start with sqlite: or postgres://, got "${redactUrl(value)}" ` +
      '(e.g. sqlite:./data/notifications.sqlite or postgres://user@127.0.0.1:5432/notifications)',
  );
}

/** Hides the password of a URL so configuration errors never print secrets. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]+):[^@/]*@/, '//$1:***@');
}

export function loadConfig(env: Env = process.env): Config {
  const production = env.NODE_ENV === 'production';
  const dataDir = path.resolve(env.DATA_DIR || './data');
  const port = parsePort('PORT', env.PORT, 4000);
  const database = parseDatabaseUrl(
    env.DATABASE_URL || `sqlite:${path.join(dataDir, 'notifications.sqlite')}`,
    dataDir,
  );
  const publicUrl = env.PUBLIC_URL || `http://localhost:${port}`;
  try {
    new URL(publicUrl);
  } catch {
    throw new ConfigError(`PUBLIC_URL must be an absolute URL, got "${publicUrl}"`);
  }
  return {
    port,
    host: env.HOST || '0.0.0.0',
    database,
    dataDir,
    production,
    localMode: parseBoolean('LOCAL_MODE', env.LOCAL_MODE, !production),
    logLevel: parseOneOf(
      'LOG_LEVEL',
      env.LOG_LEVEL,
      ['debug', 'info', 'warn', 'error', 'silent'] as const,
      'info',
    ),
    publicUrl: publicUrl.replace(/\/$/, ''),
  };
}
