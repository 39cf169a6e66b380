// The service's configuration, read from the environment once at start. Each variable, with its parser, default and
// description, is declared in src/env-schema.ts; this file shapes the parsed values into a Config.
import { databaseUrl, envSchema, Refused, secretKey, type EnvValues } from './env-schema';
import type { TrustProxy } from './lib/client-address';

export { redactUrl } from './env-schema';

import type { FlappingRule } from './modules/noise/flapping-rule';

export type DatabaseConfig = { type: 'sqlite'; path: string } | { type: 'postgres'; url: string };

/** The configuration of one process. src/env-schema.ts says which variable sets each field, and its default. */
export interface Config {
  port: number;
  host: string;
  database: DatabaseConfig;
  /** Where the embedded database, the local token and generated keys live. */
  dataDir: string;
  /** NODE_ENV=production: internal error messages are hidden from clients and insecure defaults refused. */
  production: boolean;
  /** Local mode bootstraps an account on an empty database and pre-fills the playground token. */
  localMode: boolean;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Public base URL used in links (email footers), without a trailing slash. */
  publicUrl: string;
  /** Whether this process runs delivery workers. */
  workers: boolean;
  delivery: DeliveryConfig;
  /** The flapping rule of stacks without their own. */
  flapping: FlappingRule;
  retention: { notificationDays: number; deliveryLogDays: number; intervalMs: number };
  /** Lifts the SSRF guard on user-supplied URLs, for local development and tests. */
  allowPrivateNetworkTargets: boolean;
  /** Without it mails are written as .eml files under DATA_DIR/mail. */
  smtpUrl: string | null;
  /** The relay for mails SMTP_URL cannot take. */
  smtpFallbackUrl: string | null;
  mailFrom: string;
  hipchatApiUrl: string;
  apns: ApnsConfig;
  vapid: VapidConfig;
  /**
   * Switches live fan-out to Redis pub/sub so subscribers on any instance see every event, and keeps the rate limits
   * in Redis so they hold for all instances together.
   */
  redisUrl: string | null;
  /** Where a worker process (src/worker.ts) serves its health, readiness and metrics. */
  workerHttp: { port: number; host: string };
  /** On SIGTERM the process finishes or releases its work and exits within this time. */
  shutdownTimeoutMs: number;
  /**
   * How long an authenticated token is remembered by a process, so repeated calls skip the token lookup. A
   * revocation or role change applies at once on the instance that made it and within this time on the others.
   * 0 looks the token up on every call.
   */
  authCacheMs: number;
  /**
   * How often each open WebSocket's token is looked up again, to close sockets whose token, user or role changed where
   * no notice reached this process (another process without Redis, a lost Redis message). One lookup per distinct
   * token per interval; 0 turns it off.
   */
  sessionRecheckMs: number;
  graphql: GraphQLLimitsConfig;
  limits: AbuseLimitsConfig;
  /** Bearer token that GET /metrics requires; without it /metrics is open to whoever reaches it. */
  metricsToken: string | null;
  /** Distinct operation names kept as metric labels; later names are counted as `other`. */
  metricsMaxOperationNames: number;
  /** Origins allowed to call the API from a browser; '*' for any; empty for same-origin only. */
  corsOrigins: string[];
  /**
   * Proxies whose X-Forwarded-For names the client, for the per-address limits: a number of hops in front of the
   * service, or addresses and CIDR ranges (and proxy-addr's names: loopback, linklocal, uniquelocal).
   */
  trustProxy: TrustProxy;
  /** PEM file of extra CA certificates trusted for outgoing HTTPS and APNs (private CAs, Hipchat Server). */
  extraCaFile: string | null;
  /**
   * AES-256-GCM key that encrypts the secrets stored in the database. Null outside production when SECRET_KEY is
   * unset: a key is then generated once into DATA_DIR/secret.key.
   */
  secretKey: Buffer | null;
  /** Earlier keys, still accepted for decrypting during a key rotation. */
  previousSecretKeys: Buffer[];
}

export interface DeliveryConfig {
  /** Seconds to wait before each attempt; its length is the number of attempts. */
  retrySchedule: number[];
  /**
   * Deliveries in flight per worker process, and at most what a crashed worker sends twice. Each batch the worker
   * commits serves about half of them, so more slots spread its database work over more deliveries.
   */
  concurrency: number;
  /** How often an idle worker looks for due deliveries. */
  pollIntervalMs: number;
  /** How long a claimed delivery belongs to its worker before another may take it. */
  leaseMs: number;
  /** Connect + response timeout of one HTTP attempt. */
  httpTimeoutMs: number;
  /** A shared channel failing for this long is disabled and its owners are told. */
  channelDisableAfterHours: number;
}

/** iOS push: the four key fields are all set or all null. */
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

/** Web Push: both keys or neither (a pair is then generated once and kept in the database). */
export interface VapidConfig {
  publicKey: string | null;
  privateKey: string | null;
  /** mailto: or https: contact for push services. */
  subject: string;
}

export interface GraphQLLimitsConfig {
  maxDepth: number;
  /** Cost: one per field, list fields times their `first`. */
  maxCost: number;
  /** The cost budget of requests without a token. */
  maxCostAnonymous: number;
  /** Aliased fields per operation (__typename aside). */
  maxAliases: number;
  /** Top-level fields per operation. */
  maxRootFields: number;
  /** Lexical tokens per document; longer documents are refused while they are parsed. */
  maxTokens: number;
  introspection: boolean;
  /** Largest request body accepted. */
  maxBodyBytes: number;
}

export interface RateLimitConfig {
  perSecond: number;
  burst: number;
}

export interface AbuseLimitsConfig {
  /** Requests without a token, per client address. */
  anonymous: RateLimitConfig;
  /** Settings operations (queries and mutations other than publishEvent) per token. */
  settings: RateLimitConfig;
  /** publishEvent per token. */
  publish: RateLimitConfig;
  /** Failed authentications per client IP per minute before it is refused for a while. */
  authFailuresPerMinute: number;
  /** Live subscriptions one token may hold open. */
  subscriptionsPerToken: number;
  /** Live subscriptions the tokens of one account may hold open together, per process. */
  subscriptionsPerAccount: number;
  /** Open WebSocket connections per client address, per process; more are closed with 4429. */
  wsConnectionsPerAddress: number;
  /** WebSocket connection_init attempts per client IP per minute; more are closed with 4429. */
  wsConnectionsPerMinute: number;
  /** Notifications a subscription with `after` replays at most (REPLAY_TOO_LONG past it). */
  subscriptionReplayMax: number;
}

export class ConfigError extends Error {}

type Env = Record<string, string | undefined>;

/** Reads the environment; a bad value throws a ConfigError whose one line names each bad variable and says why. */
export function loadConfig(env: Env = process.env): Config {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues
        .map((issue) =>
          issue.path.length > 0 ? `${issue.path.map(String).join('.')} ${issue.message}` : issue.message,
        )
        .join('; '),
    );
  }
  return toConfig(result.data);
}

function toConfig(env: EnvValues): Config {
  return {
    port: env.PORT,
    host: env.HOST,
    database: env.DATABASE_URL,
    dataDir: env.DATA_DIR,
    production: env.production,
    localMode: env.LOCAL_MODE,
    logLevel: env.LOG_LEVEL,
    publicUrl: env.PUBLIC_URL,
    workers: env.WORKERS,
    delivery: {
      retrySchedule: env.DELIVERY_RETRY_SCHEDULE,
      concurrency: env.DELIVERY_CONCURRENCY,
      pollIntervalMs: env.DELIVERY_POLL_INTERVAL_MS,
      leaseMs: env.DELIVERY_LEASE_MS,
      httpTimeoutMs: env.HTTP_TIMEOUT_MS,
      channelDisableAfterHours: env.CHANNEL_DISABLE_AFTER_HOURS,
    },
    flapping: {
      threshold: env.FLAP_THRESHOLD,
      windowMinutes: env.FLAP_WINDOW_MINUTES,
      settleMinutes: env.FLAP_SETTLE_MINUTES,
    },
    retention: {
      notificationDays: env.NOTIFICATION_RETENTION_DAYS,
      deliveryLogDays: env.DELIVERY_LOG_RETENTION_DAYS,
      intervalMs: env.RETENTION_PURGE_INTERVAL_MS,
    },
    allowPrivateNetworkTargets: env.ALLOW_PRIVATE_NETWORK_TARGETS,
    smtpUrl: env.SMTP_URL ?? null,
    smtpFallbackUrl: env.SMTP_FALLBACK_URL ?? null,
    mailFrom: env.MAIL_FROM,
    hipchatApiUrl: env.HIPCHAT_API_URL,
    apns: {
      keyFile: env.APNS_KEY_FILE ?? null,
      keyId: env.APNS_KEY_ID ?? null,
      teamId: env.APNS_TEAM_ID ?? null,
      topic: env.APNS_TOPIC ?? null,
      production: env.APNS_PRODUCTION,
      address: env.APNS_ADDRESS ?? null,
      port: env.APNS_PORT ?? null,
    },
    vapid: {
      publicKey: env.VAPID_PUBLIC_KEY ?? null,
      privateKey: env.VAPID_PRIVATE_KEY ?? null,
      subject: env.VAPID_SUBJECT,
    },
    extraCaFile: env.EXTRA_CA_FILE ?? null,
    secretKey: env.SECRET_KEY ?? null,
    previousSecretKeys: env.SECRET_KEY_PREVIOUS ?? [],
    redisUrl: env.REDIS_URL ?? null,
    workerHttp: { port: env.WORKER_HTTP_PORT, host: env.WORKER_HTTP_HOST },
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    authCacheMs: env.AUTH_CACHE_MS,
    sessionRecheckMs: env.SESSION_RECHECK_MS,
    graphql: {
      maxDepth: env.GRAPHQL_MAX_DEPTH,
      maxCost: env.GRAPHQL_MAX_COST,
      maxCostAnonymous: env.GRAPHQL_MAX_COST_ANONYMOUS,
      maxAliases: env.GRAPHQL_MAX_ALIASES,
      maxRootFields: env.GRAPHQL_MAX_ROOT_FIELDS,
      maxTokens: env.GRAPHQL_MAX_TOKENS,
      introspection: env.GRAPHQL_INTROSPECTION,
      maxBodyBytes: env.MAX_BODY_BYTES,
    },
    limits: {
      anonymous: { perSecond: env.RATE_LIMIT_ANONYMOUS_PER_SECOND, burst: env.RATE_LIMIT_ANONYMOUS_BURST },
      settings: { perSecond: env.RATE_LIMIT_SETTINGS_PER_SECOND, burst: env.RATE_LIMIT_SETTINGS_BURST },
      publish: { perSecond: env.RATE_LIMIT_PUBLISH_PER_SECOND, burst: env.RATE_LIMIT_PUBLISH_BURST },
      authFailuresPerMinute: env.AUTH_FAILURES_PER_MINUTE,
      subscriptionsPerToken: env.SUBSCRIPTIONS_PER_TOKEN,
      subscriptionsPerAccount: env.SUBSCRIPTIONS_PER_ACCOUNT,
      wsConnectionsPerAddress: env.WS_CONNECTIONS_PER_ADDRESS,
      wsConnectionsPerMinute: env.WS_CONNECTIONS_PER_MINUTE,
      subscriptionReplayMax: env.SUBSCRIPTION_REPLAY_MAX,
    },
    metricsToken: env.METRICS_TOKEN ?? null,
    metricsMaxOperationNames: env.METRICS_MAX_OPERATION_NAMES,
    corsOrigins: env.CORS_ORIGINS ?? [],
    trustProxy: env.TRUST_PROXY ?? null,
  };
}

/** Runs a parser of src/env-schema.ts outside loadConfig, naming `name` in the error. */
function named<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof Refused) throw new ConfigError(`${name} ${error.message}`);
    throw error;
  }
}

/** A 32-byte key in hex or base64 (SECRET_KEY, or the key file written outside production). */
export function parseSecretKey(name: string, value: string): Buffer {
  return named(name, () => secretKey(value));
}

/** A DATABASE_URL. A relative SQLite path is relative to the working directory, not to the data folder. */
export function parseDatabaseUrl(value: string, _dataDir?: string): DatabaseConfig {
  return named('DATABASE_URL', () => databaseUrl(value));
}
