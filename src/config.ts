// Every environment variable the service reads, parsed and validated in one place.
import path from 'node:path';
import { compileTrust, type TrustProxy } from './lib/client-address';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

export interface Config {
  /** @default 4000 */
  port: number;
  /** Interface to listen on. @default '127.0.0.1' in local mode, else '0.0.0.0' */
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
  /** Whether this process runs delivery workers. WORKERS=0 serves the API only. @default true */
  workers: boolean;
  delivery: DeliveryConfig;
  /** Lifts the SSRF guard on user-supplied URLs, for local development and tests. @default false */
  allowPrivateNetworkTargets: boolean;
  /** smtp(s)://user:pass@host:port; without it mails are written as .eml files under DATA_DIR/mail. */
  smtpUrl: string | null;
  /** @default 'Stack notifications <notifications@localhost>' */
  mailFrom: string;
  /** Hipchat API base, for Hipchat Server installs. @default 'https://api.hipchat.com' */
  hipchatApiUrl: string;
  apns: ApnsConfig;
  vapid: VapidConfig;
  /**
   * redis://...; switches live fan-out to Redis pub/sub so subscribers on any instance see every event, and keeps the
   * rate limits in Redis so they hold for all instances together.
   */
  redisUrl: string | null;
  /** On SIGTERM the process finishes or releases its work and exits within this time. @default 10000 */
  shutdownTimeoutMs: number;
  /**
   * How long an authenticated token is remembered by a process, so repeated calls skip the token lookup. A
   * revocation or role change applies at once on the instance that made it and within this time on the others.
   * 0 looks the token up on every call. @default 1000
   */
  authCacheMs: number;
  /**
   * How often each open WebSocket's token is looked up again, to close sockets whose token, user or role changed where
   * no notice reached this process (another process without Redis, a lost Redis message). One lookup per distinct
   * token per interval; 0 turns it off. @default 30000
   */
  sessionRecheckMs: number;
  /**
   * How many answers to settings reads (a stack's channels and preferences) a process keeps, each used while the
   * stack's settings are unchanged. 0 turns the cache off. @default 1000
   */
  settingsCacheEntries: number;
  graphql: GraphQLLimitsConfig;
  limits: AbuseLimitsConfig;
  /** Bearer token that GET /metrics requires; without it /metrics is open to whoever reaches it. @default null */
  metricsToken: string | null;
  /** Distinct operation names kept as metric labels; later names are counted as `other`. @default 200 */
  metricsMaxOperationNames: number;
  /** Origins allowed to call the API from a browser; '*' for any; empty for same-origin only. @default [] */
  corsOrigins: string[];
  /**
   * Proxies whose X-Forwarded-For names the client, for the per-address limits: a number of hops in front of the
   * service, or addresses and CIDR ranges (and proxy-addr's names: loopback, linklocal, uniquelocal). @default null
   */
  trustProxy: TrustProxy;
  /** PEM file of extra CA certificates trusted for outgoing HTTPS and APNs (private CAs, Hipchat Server). */
  extraCaFile: string | null;
  /**
   * AES-256-GCM key (SECRET_KEY, 32 bytes) that encrypts the secrets stored in the database. Null outside
   * production: a key is generated once into DATA_DIR/secret.key. Required when NODE_ENV=production.
   */
  secretKey: Buffer | null;
  /** Earlier keys (SECRET_KEY_PREVIOUS), still accepted for decrypting during a key rotation. @default [] */
  previousSecretKeys: Buffer[];
}

export interface DeliveryConfig {
  /** Seconds to wait before each attempt; its length is the number of attempts. @default 0,5,300,1800,7200,18000,36000,36000 */
  retrySchedule: number[];
  /**
   * Deliveries in flight per worker process, and at most what a crashed worker sends twice. Each batch the worker
   * commits serves about half of them, so more slots spread its database work over more deliveries. @default 32
   */
  concurrency: number;
  /** How often an idle worker looks for due deliveries. @default 1000 */
  pollIntervalMs: number;
  /** How long a claimed delivery belongs to its worker before another may take it. @default 60000 */
  leaseMs: number;
  /** Connect + response timeout of one HTTP attempt. @default 10000 */
  httpTimeoutMs: number;
  /** A shared channel failing for this long is disabled and its owners are told. @default 72 */
  channelDisableAfterHours: number;
}

export interface ApnsConfig {
  keyFile: string | null;
  keyId: string | null;
  teamId: string | null;
  /** The app's bundle id. */
  topic: string | null;
  production: boolean;
  address: string | null;
  port: number | null;
}

export interface VapidConfig {
  publicKey: string | null;
  privateKey: string | null;
  /** mailto: or https: contact for push services. @default 'mailto:notifications@localhost' */
  subject: string;
}

export interface GraphQLLimitsConfig {
  /** @default 10 */
  maxDepth: number;
  /** Cost: one per field, list fields times their `first`. @default 5000 */
  maxCost: number;
  /** The cost budget of requests without a token. @default 500 */
  maxCostAnonymous: number;
  /** Aliased fields per operation (__typename aside). @default 30 */
  maxAliases: number;
  /** Top-level fields per operation. @default 20 */
  maxRootFields: number;
  /** Lexical tokens per document; longer documents are refused while they are parsed. @default 5000 */
  maxTokens: number;
  /** @default true */
  introspection: boolean;
  /** Largest request body accepted. @default 1048576 (1 MiB) */
  maxBodyBytes: number;
}

export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

export interface AbuseLimitsConfig {
  /** Requests without a token, per client address. @default 5/s, burst 20 */
  anonymous: RateLimitConfig;
  /** Settings operations (queries and mutations other than publishEvent) per token. @default 20/s, burst 40 */
  settings: RateLimitConfig;
  /** publishEvent per token. @default 200/s, burst 400 */
  publish: RateLimitConfig;
  /** Failed authentications per client IP per minute before it is refused for a while. @default 30 */
  authFailuresPerMinute: number;
  /** Live subscriptions one token may hold open. @default 100 */
  subscriptionsPerToken: number;
  /** Live subscriptions the tokens of one account may hold open together, per process. @default 1000 */
  subscriptionsPerAccount: number;
  /** Open WebSocket connections per client address, per process; more are closed with 4429. @default 100 */
  wsConnectionsPerAddress: number;
  /** WebSocket connection_init attempts per client IP per minute; more are closed with 4429. @default 600 */
  wsConnectionsPerMinute: number;
}

export const DEFAULT_RETRY_SCHEDULE = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

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

function parsePositiveInteger(name: string, value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined || value === '') return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min) {
    throw new ConfigError(`${name} must be a whole number of at least ${min}, got "${value}"`);
  }
  return Number(value);
}

export function parseTrustProxy(value: string | undefined): TrustProxy {
  const text = value?.trim() ?? '';
  if (text === '' || text === '0' || text === 'false') return null;
  let trust: TrustProxy;
  if (/^\d+$/.test(text)) trust = { hops: Number(text) };
  else
    trust = {
      addresses: text
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    };
  try {
    compileTrust(trust);
  } catch (error) {
    throw new ConfigError(
      `TRUST_PROXY must be a number of hops or a comma-separated list of addresses and CIDR ranges: ${(error as Error).message}`,
    );
  }
  return trust;
}

export function parseRetrySchedule(value: string | undefined): number[] {
  if (value === undefined || value.trim() === '') return DEFAULT_RETRY_SCHEDULE;
  const steps = value.split(',').map((item) => item.trim());
  if (steps.some((step) => !/^\d+(\.\d+)?$/.test(step))) {
    throw new ConfigError(
      `DELIVERY_RETRY_SCHEDULE must be seconds separated by commas, e.g. 0,5,300; got "${value}"`,
    );
  }
  return steps.map(Number);
}

function parseUrl(
  name: string,
  value: string | undefined,
  fallback: string | null,
  schemes: string[],
): string | null {
  if (value === undefined || value === '') return fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${redactUrl(value)}"`);
  }
  if (!schemes.includes(url.protocol)) {
    throw new ConfigError(`${name} must start with ${schemes.join(' or ')}, got "${redactUrl(value)}"`);
  }
  return value;
}

const SECRET_KEY_BYTES = 32;

/** A 32-byte key in hex or base64. The value is a secret, so an error tells only its length. */
export function parseSecretKey(name: string, value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
      ? Buffer.from(text, 'base64')
      : null;
  if (!key || key.length !== SECRET_KEY_BYTES) {
    throw new ConfigError(
      `${name} must be 32 bytes in base64 or hex, e.g. from \`openssl rand -base64 32\`; got ${text.length} characters`,
    );
  }
  return key;
}

function parseSecretKeys(env: Env, production: boolean): Pick<Config, 'secretKey' | 'previousSecretKeys'> {
  const secretKey = env.SECRET_KEY ? parseSecretKey('SECRET_KEY', env.SECRET_KEY) : null;
  if (!secretKey && production) {
    throw new ConfigError(
      'SECRET_KEY is required when NODE_ENV=production: 32 random bytes in base64 or hex, e.g. `openssl rand -base64 32`',
    );
  }
  const previous = (env.SECRET_KEY_PREVIOUS ?? '')
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
  return {
    secretKey,
    previousSecretKeys: previous.map((item, index) =>
      parseSecretKey(`SECRET_KEY_PREVIOUS (key ${index + 1})`, item),
    ),
  };
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
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

function parseApns(env: Env): ApnsConfig {
  const apns: ApnsConfig = {
    keyFile: env.APNS_KEY_FILE || null,
    keyId: env.APNS_KEY_ID || null,
    teamId: env.APNS_TEAM_ID || null,
    topic: env.APNS_TOPIC || null,
    production: parseBoolean('APNS_PRODUCTION', env.APNS_PRODUCTION, false),
    address: env.APNS_ADDRESS || null,
    port: env.APNS_PORT ? parsePort('APNS_PORT', env.APNS_PORT, 443) : null,
  };
  const required = {
    APNS_KEY_FILE: apns.keyFile,
    APNS_KEY_ID: apns.keyId,
    APNS_TEAM_ID: apns.teamId,
    APNS_TOPIC: apns.topic,
  };
  const missing = Object.entries(required)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0 && missing.length < 4) {
    throw new ConfigError(
      `iOS push needs APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID and APNS_TOPIC; missing ${missing.join(', ')}`,
    );
  }
  return apns;
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
  if (Boolean(env.VAPID_PUBLIC_KEY) !== Boolean(env.VAPID_PRIVATE_KEY)) {
    throw new ConfigError(
      'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (keys are then generated once)',
    );
  }
  const localMode = parseBoolean('LOCAL_MODE', env.LOCAL_MODE, !production);
  return {
    port,
    // Local mode hands its token to loopback callers: it listens on loopback unless told otherwise.
    host: env.HOST || (localMode ? '127.0.0.1' : '0.0.0.0'),
    database,
    dataDir,
    production,
    localMode,
    logLevel: parseOneOf(
      'LOG_LEVEL',
      env.LOG_LEVEL,
      ['debug', 'info', 'warn', 'error', 'silent'] as const,
      'info',
    ),
    publicUrl: publicUrl.replace(/\/$/, ''),
    workers:
      env.WORKERS === undefined || env.WORKERS === ''
        ? true
        : parsePositiveInteger('WORKERS', env.WORKERS, 1, 0) > 0,
    delivery: {
      retrySchedule: parseRetrySchedule(env.DELIVERY_RETRY_SCHEDULE),
      concurrency: parsePositiveInteger('DELIVERY_CONCURRENCY', env.DELIVERY_CONCURRENCY, 32),
      pollIntervalMs: parsePositiveInteger('DELIVERY_POLL_INTERVAL_MS', env.DELIVERY_POLL_INTERVAL_MS, 1000),
      leaseMs: parsePositiveInteger('DELIVERY_LEASE_MS', env.DELIVERY_LEASE_MS, 60_000),
      httpTimeoutMs: parsePositiveInteger('HTTP_TIMEOUT_MS', env.HTTP_TIMEOUT_MS, 10_000),
      channelDisableAfterHours: parsePositiveInteger(
        'CHANNEL_DISABLE_AFTER_HOURS',
        env.CHANNEL_DISABLE_AFTER_HOURS,
        72,
      ),
    },
    allowPrivateNetworkTargets: parseBoolean(
      'ALLOW_PRIVATE_NETWORK_TARGETS',
      env.ALLOW_PRIVATE_NETWORK_TARGETS,
      false,
    ),
    smtpUrl: parseUrl('SMTP_URL', env.SMTP_URL, null, ['smtp:', 'smtps:']),
    mailFrom: env.MAIL_FROM || 'Stack notifications <notifications@localhost>',
    hipchatApiUrl: parseUrl('HIPCHAT_API_URL', env.HIPCHAT_API_URL, 'https://api.hipchat.com', [
      'https:',
      'http:',
    ])!,
    apns: parseApns(env),
    extraCaFile: env.EXTRA_CA_FILE || null,
    ...parseSecretKeys(env, production),
    graphql: {
      maxDepth: parsePositiveInteger('GRAPHQL_MAX_DEPTH', env.GRAPHQL_MAX_DEPTH, 10),
      maxCost: parsePositiveInteger('GRAPHQL_MAX_COST', env.GRAPHQL_MAX_COST, 5000),
      maxCostAnonymous: parsePositiveInteger(
        'GRAPHQL_MAX_COST_ANONYMOUS',
        env.GRAPHQL_MAX_COST_ANONYMOUS,
        500,
      ),
      maxAliases: parsePositiveInteger('GRAPHQL_MAX_ALIASES', env.GRAPHQL_MAX_ALIASES, 30, 0),
      maxRootFields: parsePositiveInteger('GRAPHQL_MAX_ROOT_FIELDS', env.GRAPHQL_MAX_ROOT_FIELDS, 20),
      maxTokens: parsePositiveInteger('GRAPHQL_MAX_TOKENS', env.GRAPHQL_MAX_TOKENS, 5000),
      introspection: parseBoolean('GRAPHQL_INTROSPECTION', env.GRAPHQL_INTROSPECTION, true),
      maxBodyBytes: parsePositiveInteger('MAX_BODY_BYTES', env.MAX_BODY_BYTES, 1024 * 1024),
    },
    limits: {
      anonymous: {
        perSecond: parsePositiveInteger(
          'RATE_LIMIT_ANONYMOUS_PER_SECOND',
          env.RATE_LIMIT_ANONYMOUS_PER_SECOND,
          5,
        ),
        burst: parsePositiveInteger('RATE_LIMIT_ANONYMOUS_BURST', env.RATE_LIMIT_ANONYMOUS_BURST, 20),
      },
      settings: {
        perSecond: parsePositiveInteger(
          'RATE_LIMIT_SETTINGS_PER_SECOND',
          env.RATE_LIMIT_SETTINGS_PER_SECOND,
          20,
        ),
        burst: parsePositiveInteger('RATE_LIMIT_SETTINGS_BURST', env.RATE_LIMIT_SETTINGS_BURST, 40),
      },
      publish: {
        perSecond: parsePositiveInteger(
          'RATE_LIMIT_PUBLISH_PER_SECOND',
          env.RATE_LIMIT_PUBLISH_PER_SECOND,
          200,
        ),
        burst: parsePositiveInteger('RATE_LIMIT_PUBLISH_BURST', env.RATE_LIMIT_PUBLISH_BURST, 400),
      },
      authFailuresPerMinute: parsePositiveInteger(
        'AUTH_FAILURES_PER_MINUTE',
        env.AUTH_FAILURES_PER_MINUTE,
        30,
      ),
      subscriptionsPerToken: parsePositiveInteger(
        'SUBSCRIPTIONS_PER_TOKEN',
        env.SUBSCRIPTIONS_PER_TOKEN,
        100,
      ),
      wsConnectionsPerMinute: parsePositiveInteger(
        'WS_CONNECTIONS_PER_MINUTE',
        env.WS_CONNECTIONS_PER_MINUTE,
        600,
      ),
      subscriptionsPerAccount: parsePositiveInteger(
        'SUBSCRIPTIONS_PER_ACCOUNT',
        env.SUBSCRIPTIONS_PER_ACCOUNT,
        1000,
      ),
      wsConnectionsPerAddress: parsePositiveInteger(
        'WS_CONNECTIONS_PER_ADDRESS',
        env.WS_CONNECTIONS_PER_ADDRESS,
        100,
      ),
    },
    metricsToken: env.METRICS_TOKEN || null,
    metricsMaxOperationNames: parsePositiveInteger(
      'METRICS_MAX_OPERATION_NAMES',
      env.METRICS_MAX_OPERATION_NAMES,
      200,
    ),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    corsOrigins: (env.CORS_ORIGINS ?? '')
      .split(',')
      .map((origin) => origin.trim())
      .filter(Boolean),
    redisUrl: parseUrl('REDIS_URL', env.REDIS_URL, null, ['redis:', 'rediss:']),
    shutdownTimeoutMs: parsePositiveInteger('SHUTDOWN_TIMEOUT_MS', env.SHUTDOWN_TIMEOUT_MS, 10_000),
    authCacheMs: parsePositiveInteger('AUTH_CACHE_MS', env.AUTH_CACHE_MS, 1000, 0),
    sessionRecheckMs: parsePositiveInteger('SESSION_RECHECK_MS', env.SESSION_RECHECK_MS, 30_000, 0),
    settingsCacheEntries: parsePositiveInteger('SETTINGS_CACHE_ENTRIES', env.SETTINGS_CACHE_ENTRIES, 1000, 0),
    vapid: {
      publicKey: env.VAPID_PUBLIC_KEY || null,
      privateKey: env.VAPID_PRIVATE_KEY || null,
      subject: env.VAPID_SUBJECT || 'mailto:notifications@localhost',
    },
  };
}
