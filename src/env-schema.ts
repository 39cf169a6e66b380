// Every environment variable the service reads, declared once: how it is parsed, its default, and what it does.
// loadConfig (src/config.ts) shapes the parsed values into a Config; the README's configuration tables are generated
// from the descriptions here. A new variable gets its parser, its fixed default as `.prefault()` written as it would
// be in the environment (or `default` words when it depends on others), and a description; then it is mapped in
// src/config.ts and `npm run config:table` rewrites the README.
import path from 'node:path';
import { z } from 'zod';
import type { DatabaseConfig } from './config';
import { compileTrust, type TrustProxy } from './lib/client-address';
import {
  FLAP_SETTLE_MINUTES,
  FLAP_THRESHOLD,
  FLAP_WINDOW_MINUTES,
  flappingRuleProblem,
} from './modules/noise/flapping-rule';

/** What the README says about a variable. */
export interface VariableDoc {
  /** One line: what the variable does, and what it accepts where that is not obvious. */
  description: string;
  /**
   * The default in words, for a variable whose default is not one fixed value (it depends on other variables, or is
   * decided elsewhere). A fixed default is the variable's `prefault`, and the table shows it as written.
   */
  default?: string;
}

export const variableDocs = z.registry<VariableDoc>();

/** A value a variable does not accept. The message says why; loadConfig puts the variable's name in front of it. */
export class Refused extends Error {}

/** A variable read by `parse`, which throws Refused for a value it does not accept. */
function parsed<T>(parse: (value: string) => T) {
  return z.string().transform((value, ctx): T => {
    try {
      return parse(value);
    } catch (error) {
      if (!(error instanceof Refused)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message, input: value });
      return z.NEVER;
    }
  });
}

const port = () =>
  parsed((value) => {
    if (!/^\d+$/.test(value) || Number(value) > 65535) {
      throw new Refused(`must be a port number from 0 to 65535, got "${value}"`);
    }
    return Number(value);
  });

const flag = () =>
  parsed((value) => {
    if (['true', '1', 'yes'].includes(value.toLowerCase())) return true;
    if (['false', '0', 'no'].includes(value.toLowerCase())) return false;
    throw new Refused(`must be true or false, got "${value}"`);
  });

const wholeNumber = (min = 1) =>
  parsed((value) => {
    if (!/^\d+$/.test(value) || Number(value) < min) {
      throw new Refused(`must be a whole number of at least ${min}, got "${value}"`);
    }
    return Number(value);
  });

const numberIn = (range: { min: number; max: number }) =>
  parsed((value) => {
    if (!/^\d+$/.test(value) || Number(value) < range.min || Number(value) > range.max) {
      throw new Refused(`must be a whole number from ${range.min} to ${range.max}, got "${value}"`);
    }
    return Number(value);
  });

const url = (...schemes: string[]) =>
  parsed((value) => {
    let parsedUrl: URL;
    try {
      parsedUrl = new URL(value);
    } catch {
      throw new Refused(`must be a URL, got "${redactUrl(value)}"`);
    }
    if (!schemes.includes(parsedUrl.protocol)) {
      throw new Refused(`must start with ${schemes.join(' or ')}, got "${redactUrl(value)}"`);
    }
    return value;
  });

const commaList = () => parsed(splitList);

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);
}

/** Hides the password of a URL so configuration errors never print secrets. */
export function redactUrl(value: string): string {
  return value.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1:***@');
}

export function databaseUrl(value: string): DatabaseConfig {
  if (value.startsWith('sqlite:')) {
    const file = value.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!file) throw new Refused('sqlite: needs a file path, e.g. sqlite:./data/notifications.sqlite');
    return { type: 'sqlite', path: file === ':memory:' ? file : path.resolve(file) };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    try {
      const parsedUrl = new URL(value);
      if (!parsedUrl.hostname && !parsedUrl.searchParams.get('host')) throw new Error('no host');
    } catch {
      throw new Refused(`is not a valid postgres:// URL: "${redactUrl(value)}"`);
    }
    return { type: 'postgres', url: value };
  }
  throw new Refused(
    `must start with sqlite: or postgres://, got "${redactUrl(value)}" ` +
      '(e.g. sqlite:./data/notifications.sqlite or postgres://user@127.0.0.1:5432/notifications)',
  );
}

/** A 32-byte key in hex or base64. The value is a secret, so a refusal tells only its length. */
export function secretKey(value: string): Buffer {
  const text = value.trim();
  const key = /^[0-9a-fA-F]{64}$/.test(text)
    ? Buffer.from(text, 'hex')
    : /^[A-Za-z0-9+/_-]{43}=?$/.test(text)
      ? Buffer.from(text, 'base64')
      : null;
  if (!key || key.length !== 32) {
    throw new Refused(
      `must be 32 bytes in base64 or hex, e.g. from \`openssl rand -base64 32\`; got ${text.length} characters`,
    );
  }
  return key;
}

function previousSecretKeys(value: string): Buffer[] {
  return splitList(value).map((item, index) => {
    try {
      return secretKey(item);
    } catch (error) {
      if (error instanceof Refused) throw new Refused(`(key ${index + 1}) ${error.message}`);
      throw error;
    }
  });
}

function trustProxy(value: string): TrustProxy {
  const text = value.trim();
  if (text === '' || text === '0' || text === 'false') return null;
  const trust: TrustProxy = /^\d+$/.test(text) ? { hops: Number(text) } : { addresses: splitList(text) };
  try {
    compileTrust(trust);
  } catch (error) {
    throw new Refused(
      `must be a number of hops or a comma-separated list of addresses and CIDR ranges: ${(error as Error).message}`,
    );
  }
  return trust;
}

/** An absolute URL, without its trailing slash. */
function publicUrl(value: string): string {
  try {
    new URL(value);
  } catch {
    throw new Refused(`must be an absolute URL, got "${redactUrl(value)}"`);
  }
  return value.replace(/\/$/, '');
}

const DEFAULT_RETRY_SCHEDULE = '0,5,300,1800,7200,18000,36000,36000';

function retrySchedule(value: string): number[] {
  // Blank counts as unset here, as it does for the other comma-separated lists.
  const text = value.trim() === '' ? DEFAULT_RETRY_SCHEDULE : value;
  const steps = text.split(',').map((item) => item.trim());
  if (steps.some((step) => !/^\d+(\.\d+)?$/.test(step))) {
    throw new Refused(`must be seconds separated by commas, e.g. 0,5,300; got "${value}"`);
  }
  return steps.map(Number);
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;

const settings = {
  PORT: port()
    .prefault('4000')
    .register(variableDocs, { description: 'HTTP and WebSocket port; `0` takes any free port' }),
  HOST: z.string().optional().register(variableDocs, {
    default: '`127.0.0.1` in local mode, else `0.0.0.0`',
    description: 'interface to listen on (local mode hands its token to loopback callers)',
  }),
  NODE_ENV: z.string().optional().register(variableDocs, {
    description: '`production` hides internal error messages, requires `SECRET_KEY` and turns local mode off',
  }),
  LOCAL_MODE: flag().optional().register(variableDocs, {
    default: 'on unless `NODE_ENV=production`',
    description: 'bootstrap an account on an empty database; the page and the playground open with its token',
  }),
  DATA_DIR: z
    .string()
    .transform((value) => path.resolve(value))
    .prefault('./data')
    .register(variableDocs, {
      description: 'the embedded database, the local token, generated keys, mail written to files',
    }),
  DATABASE_URL: parsed(databaseUrl).optional().register(variableDocs, {
    default: '`sqlite:DATA_DIR/notifications.sqlite`',
    description: '`sqlite:<path>` or `postgres://user:pass@host:5432/db`',
  }),
  PUBLIC_URL: parsed(publicUrl)
    .optional()
    .register(variableDocs, { default: '`http://localhost:PORT`', description: 'base of links in emails' }),
  LOG_LEVEL: z
    .enum(LOG_LEVELS, {
      error: (issue) => `must be one of ${LOG_LEVELS.join(', ')}, got "${String(issue.input)}"`,
    })
    .prefault('info')
    .register(variableDocs, {
      description: '`debug`, `info`, `warn`, `error` or `silent`; logs are JSON lines',
    }),
  REDIS_URL: url('redis:', 'rediss:').optional().register(variableDocs, {
    description: '`redis://host:6379`: live fan-out, revocation notices and rate limits across instances',
  }),
  WORKERS: wholeNumber(0)
    .transform((workers) => workers > 0)
    .prefault('1')
    .register(variableDocs, {
      description: '`0` serves the API only; deliveries are left to other processes (`npm run worker`)',
    }),
  WORKER_HTTP_PORT: port().prefault('4001').register(variableDocs, {
    description:
      'port of a worker process (`npm run worker`) for `/healthz`, `/readyz` and `/metrics`; `0` takes any free port',
  }),
  WORKER_HTTP_HOST: z.string().optional().register(variableDocs, {
    default: '`HOST`',
    description: 'interface the worker process serves those on',
  }),
  SHUTDOWN_TIMEOUT_MS: wholeNumber().prefault('10000').register(variableDocs, {
    description:
      'how long a SIGTERM may take: in-flight deliveries finish or hand their leases back, then the process exits',
  }),
  DELIVERY_CONCURRENCY: wholeNumber().prefault('32').register(variableDocs, {
    description: 'deliveries in flight per worker process, and the most a crashed worker can send twice',
  }),
  DELIVERY_RETRY_SCHEDULE: parsed(retrySchedule).prefault(DEFAULT_RETRY_SCHEDULE).register(variableDocs, {
    description: 'seconds to wait before each attempt, one number per attempt; then `DEAD`',
  }),
  DELIVERY_POLL_INTERVAL_MS: wholeNumber().prefault('1000').register(variableDocs, {
    description: 'how often idle workers look for due deliveries (publishes wake them at once)',
  }),
  DELIVERY_LEASE_MS: wholeNumber().prefault('60000').register(variableDocs, {
    description: 'how long a claimed delivery belongs to its worker before another may take it',
  }),
  NOTIFICATION_RETENTION_DAYS: wholeNumber().prefault('90').register(variableDocs, {
    description:
      'notifications older than this are deleted by the workers, with their deliveries (none still to send); `0` keeps them',
  }),
  DELIVERY_LOG_RETENTION_DAYS: wholeNumber().prefault('30').register(variableDocs, {
    description:
      'finished deliveries and their attempts older than this are deleted by the workers; `0` keeps them',
  }),
  RETENTION_PURGE_INTERVAL_MS: wholeNumber(1000).prefault('3600000').register(variableDocs, {
    description: 'how often each worker process deletes what is past its retention, in small batches',
  }),
  HTTP_TIMEOUT_MS: wholeNumber()
    .prefault('10000')
    .register(variableDocs, { description: 'connect + response timeout of one outgoing attempt' }),
  CHANNEL_DISABLE_AFTER_HOURS: wholeNumber().prefault('72').register(variableDocs, {
    description: 'a shared channel failing this long is disabled and its owners are told',
  }),
  FLAP_THRESHOLD: numberIn(FLAP_THRESHOLD).prefault('3').register(variableDocs, {
    description:
      'a subject (a server, a job...) flaps once its incidents open more than this many times (1 to 100) within `FLAP_WINDOW_MINUTES`; the default of stacks without their own (`setFlapping`)',
  }),
  FLAP_WINDOW_MINUTES: numberIn(FLAP_WINDOW_MINUTES).prefault('10').register(variableDocs, {
    description:
      'the window opens are counted in, and how often a flapping subject is summarised (1 to 1440)',
  }),
  FLAP_SETTLE_MINUTES: numberIn(FLAP_SETTLE_MINUTES).prefault('15').register(variableDocs, {
    description:
      'a flapping subject settles after this long without a transition, with one "settled" message; at least `FLAP_WINDOW_MINUTES`',
  }),
  ALLOW_PRIVATE_NETWORK_TARGETS: flag().prefault('false').register(variableDocs, {
    description: 'let channels post to loopback and private addresses (development only)',
  }),
  SMTP_URL: url('smtp:', 'smtps:').optional().register(variableDocs, {
    description: '`smtp://` or `smtps://user:pass@host:port`; without it mails go to `DATA_DIR/mail/*.eml`',
  }),
  SMTP_FALLBACK_URL: url('smtp:', 'smtps:').optional().register(variableDocs, {
    description:
      'a second relay, used for a mail when `SMTP_URL` cannot be reached or refuses its envelope (4xx/5xx to MAIL FROM or RCPT TO); the attempt records which relay took it',
  }),
  MAIL_FROM: z
    .string()
    .prefault('Stack notifications <notifications@localhost>')
    .register(variableDocs, { description: 'From header of emails' }),
  HIPCHAT_API_URL: url('https:', 'http:')
    .prefault('https://api.hipchat.com')
    .register(variableDocs, { description: 'Hipchat API base, for a Hipchat Server install' }),
  APNS_KEY_FILE: z.string().optional().register(variableDocs, {
    description:
      'iOS push: the APNs auth key file (.p8), read at start and never stored; set with `APNS_KEY_ID`, `APNS_TEAM_ID` and `APNS_TOPIC`, all four or none',
  }),
  APNS_KEY_ID: z
    .string()
    .optional()
    .register(variableDocs, { description: 'iOS push: the id of the APNs auth key' }),
  APNS_TEAM_ID: z
    .string()
    .optional()
    .register(variableDocs, { description: 'iOS push: the Apple developer team id' }),
  APNS_TOPIC: z.string().optional().register(variableDocs, { description: "iOS push: the app's bundle id" }),
  APNS_PRODUCTION: flag()
    .prefault('false')
    .register(variableDocs, { description: 'production APNs gateway instead of the sandbox' }),
  APNS_ADDRESS: z
    .string()
    .optional()
    .register(variableDocs, { default: "Apple's", description: 'another APNs host (a proxy, a test peer)' }),
  APNS_PORT: port()
    .optional()
    .register(variableDocs, { default: "Apple's", description: 'the port of `APNS_ADDRESS`' }),
  VAPID_PUBLIC_KEY: z.string().optional().register(variableDocs, {
    default: 'generated once',
    description:
      'Web Push public key; set both VAPID keys or neither (a generated pair is kept in the database)',
  }),
  VAPID_PRIVATE_KEY: z.string().optional().register(variableDocs, {
    default: 'generated once',
    description: 'Web Push private key; set both VAPID keys or neither',
  }),
  VAPID_SUBJECT: z
    .string()
    .prefault('mailto:notifications@localhost')
    .register(variableDocs, { description: '`mailto:` or `https:` contact for push services' }),
  EXTRA_CA_FILE: z.string().optional().register(variableDocs, {
    description: 'PEM certificates to trust for outgoing HTTPS and APNs (private CAs, Hipchat Server)',
  }),
  SECRET_KEY: parsed(secretKey).optional().register(variableDocs, {
    default: 'generated into `DATA_DIR/secret.key` outside production',
    description:
      'AES-256-GCM key (32 bytes, base64 or hex) of the secrets stored in the database; required in production',
  }),
  SECRET_KEY_PREVIOUS: parsed(previousSecretKeys).optional().register(variableDocs, {
    description: 'earlier keys (comma separated), still accepted for reading during a key rotation',
  }),
  AUTH_CACHE_MS: wholeNumber(0).prefault('1000').register(variableDocs, {
    description:
      'how long a process remembers an authenticated token; a revocation or role change applies at once on the instance that made it, within this time on the others; `0` looks tokens up on every call',
  }),
};

/** The limits a public deployment tunes; the README lists them again under "Running in production". */
const limits = {
  MAX_BODY_BYTES: wholeNumber()
    .prefault('1048576')
    .register(variableDocs, { description: 'request body and WebSocket message size' }),
  GRAPHQL_MAX_TOKENS: wholeNumber().prefault('5000').register(variableDocs, {
    description:
      'lexical tokens of one document, refused while it is parsed (`QUERY_TOO_COMPLEX`); the standard introspection query has about 200',
  }),
  GRAPHQL_MAX_DEPTH: wholeNumber().prefault('10').register(variableDocs, {
    description:
      'nesting depth of an operation (`QUERY_TOO_DEEP`); introspection may go as deep as the standard introspection query, no deeper',
  }),
  GRAPHQL_MAX_ALIASES: wholeNumber(0).prefault('30').register(variableDocs, {
    description: 'aliased fields in one operation, those in fragments included (`QUERY_TOO_COMPLEX`)',
  }),
  GRAPHQL_MAX_ROOT_FIELDS: wholeNumber()
    .prefault('20')
    .register(variableDocs, { description: 'top-level fields of one operation (`QUERY_TOO_COMPLEX`)' }),
  GRAPHQL_MAX_COST: wholeNumber().prefault('5000').register(variableDocs, {
    description: 'cost: one per field, connection fields times their `first` (`QUERY_TOO_COMPLEX`)',
  }),
  GRAPHQL_MAX_COST_ANONYMOUS: wholeNumber()
    .prefault('500')
    .register(variableDocs, { description: 'the cost budget of requests without a token' }),
  GRAPHQL_INTROSPECTION: flag().prefault('true').register(variableDocs, {
    description: '`false` refuses `__schema` and `__type`, over HTTP and WebSocket',
  }),
  RATE_LIMIT_ANONYMOUS_PER_SECOND: wholeNumber().prefault('5').register(variableDocs, {
    description:
      'requests without a token per second, per client address, checked before the query is parsed (`RATE_LIMITED`, HTTP 429, `retryAfter` seconds)',
  }),
  RATE_LIMIT_ANONYMOUS_BURST: wholeNumber()
    .prefault('20')
    .register(variableDocs, { description: 'burst of requests without a token, per client address' }),
  RATE_LIMIT_SETTINGS_PER_SECOND: wholeNumber()
    .prefault('20')
    .register(variableDocs, { description: 'queries and settings mutations per second, per token' }),
  RATE_LIMIT_SETTINGS_BURST: wholeNumber()
    .prefault('40')
    .register(variableDocs, { description: 'burst of queries and settings mutations, per token' }),
  RATE_LIMIT_PUBLISH_PER_SECOND: wholeNumber()
    .prefault('200')
    .register(variableDocs, { description: '`publishEvent` calls per second, per token' }),
  RATE_LIMIT_PUBLISH_BURST: wholeNumber()
    .prefault('400')
    .register(variableDocs, { description: 'burst of `publishEvent` calls, per token' }),
  AUTH_FAILURES_PER_MINUTE: wholeNumber().prefault('30').register(variableDocs, {
    description:
      'failed authentications per client address; past it, wrong tokens from that address get `RATE_LIMITED` (valid tokens keep working)',
  }),
  SUBSCRIPTIONS_PER_TOKEN: wholeNumber()
    .prefault('100')
    .register(variableDocs, { description: 'live subscriptions one token holds open' }),
  SUBSCRIPTIONS_PER_ACCOUNT: wholeNumber().prefault('1000').register(variableDocs, {
    description:
      'live subscriptions all the tokens of one account hold open together, so minting tokens does not lift the cap',
  }),
  SUBSCRIPTION_REPLAY_MAX: wholeNumber().prefault('1000').register(variableDocs, {
    description:
      'notifications a `notificationReceived(after:)` subscription replays; when more follow `after`, it ends with `REPLAY_TOO_LONG` and the client reads the history',
  }),
  WS_CONNECTIONS_PER_MINUTE: wholeNumber().prefault('600').register(variableDocs, {
    description: 'WebSocket connection attempts per client address (more are closed with 4429)',
  }),
  WS_CONNECTIONS_PER_ADDRESS: wholeNumber().prefault('100').register(variableDocs, {
    description: 'WebSocket connections open at once per client address (more are closed with 4429)',
  }),
  SESSION_RECHECK_MS: wholeNumber(0).prefault('30000').register(variableDocs, {
    description:
      'how often the tokens of open WebSockets are looked up again (once per distinct token) to close sockets whose token or user changed where no notice arrived; `0` turns it off',
  }),
  METRICS_MAX_OPERATION_NAMES: wholeNumber().prefault('200').register(variableDocs, {
    description:
      'distinct operation names with a `/metrics` series of their own; later ones are counted as `other`; names are cut to 64 characters',
  }),
  METRICS_TOKEN: z.string().optional().register(variableDocs, {
    description: 'when set, `GET /metrics` needs `Authorization: Bearer <METRICS_TOKEN>`',
  }),
  CORS_ORIGINS: commaList().optional().register(variableDocs, {
    description:
      'origins allowed to call the API from browsers (comma separated, or `*`); none: same origin only',
  }),
  TRUST_PROXY: parsed(trustProxy).optional().register(variableDocs, {
    description:
      'proxies whose `X-Forwarded-For` names the client for the per-address limits: a hop count or addresses and CIDR ranges',
  }),
};

export const LIMIT_VARIABLES = Object.keys(limits);

export const envVariables = z.object({ ...settings, ...limits });

type Parsed = z.output<typeof envVariables>;

function checkTogether(values: Parsed, ctx: z.RefinementCtx<Parsed>): void {
  if (values.NODE_ENV === 'production' && !values.SECRET_KEY) {
    ctx.addIssue({
      code: 'custom',
      path: ['SECRET_KEY'],
      message:
        'is required when NODE_ENV=production: 32 random bytes in base64 or hex, e.g. `openssl rand -base64 32`',
    });
  }
  const apns = {
    APNS_KEY_FILE: values.APNS_KEY_FILE,
    APNS_KEY_ID: values.APNS_KEY_ID,
    APNS_TEAM_ID: values.APNS_TEAM_ID,
    APNS_TOPIC: values.APNS_TOPIC,
  };
  const missing = Object.entries(apns)
    .filter(([, value]) => !value)
    .map(([name]) => name);
  if (missing.length > 0 && missing.length < 4) {
    ctx.addIssue({
      code: 'custom',
      message: `iOS push needs APNS_KEY_FILE, APNS_KEY_ID, APNS_TEAM_ID and APNS_TOPIC; missing ${missing.join(', ')}`,
    });
  }
  if (values.SMTP_FALLBACK_URL && !values.SMTP_URL) {
    ctx.addIssue({
      code: 'custom',
      message: 'SMTP_FALLBACK_URL needs SMTP_URL: it is the relay used when that one fails',
    });
  }
  const flapping = flappingRuleProblem({
    threshold: values.FLAP_THRESHOLD,
    windowMinutes: values.FLAP_WINDOW_MINUTES,
    settleMinutes: values.FLAP_SETTLE_MINUTES,
  });
  if (flapping) {
    ctx.addIssue({
      code: 'custom',
      path: ['FLAP_SETTLE_MINUTES'],
      message: 'must be at least FLAP_WINDOW_MINUTES',
    });
  }
  if (Boolean(values.VAPID_PUBLIC_KEY) !== Boolean(values.VAPID_PRIVATE_KEY)) {
    ctx.addIssue({
      code: 'custom',
      message: 'set both VAPID_PUBLIC_KEY and VAPID_PRIVATE_KEY, or neither (keys are then generated once)',
    });
  }
}

/** The defaults that depend on other variables, as their descriptions above say. */
function withDerivedDefaults(values: Parsed) {
  const production = values.NODE_ENV === 'production';
  const localMode = values.LOCAL_MODE ?? !production;
  return {
    ...values,
    production,
    LOCAL_MODE: localMode,
    // Local mode hands its token to loopback callers: it listens on loopback unless told otherwise.
    HOST: values.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    WORKER_HTTP_HOST: values.WORKER_HTTP_HOST ?? values.HOST ?? (localMode ? '127.0.0.1' : '0.0.0.0'),
    DATABASE_URL: values.DATABASE_URL ?? {
      type: 'sqlite' as const,
      path: path.join(values.DATA_DIR, 'notifications.sqlite'),
    },
    PUBLIC_URL: values.PUBLIC_URL ?? `http://localhost:${values.PORT}`,
  };
}

/** An empty variable counts as unset. */
function withoutEmpty(env: unknown): unknown {
  if (typeof env !== 'object' || env === null) return env;
  return Object.fromEntries(Object.entries(env).filter(([, value]) => value !== ''));
}

export const envSchema = z
  .preprocess(withoutEmpty, envVariables.superRefine(checkTogether))
  .transform(withDerivedDefaults);

export type EnvValues = z.output<typeof envSchema>;
