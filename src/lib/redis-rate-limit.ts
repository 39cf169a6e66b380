// Rate limits shared by every instance through Redis, so N instances behind a load balancer give a token or a
// client address the configured rate once, not N times. Each key is one Redis string holding the GCRA "theoretical
// arrival time" (the same policy as a token bucket of `burst` tokens refilled at `perSecond`), updated atomically by
// a Lua script on Redis's own clock, so instances with skewed clocks agree. When Redis does not answer, the limit
// falls back to this process's own buckets: a Redis outage loosens the limits to per-process, it never blocks calls.
import { createHash } from 'node:crypto';
import Redis from 'ioredis';
import type { DatabaseConfig } from '../config';
import type { Logger } from './logger';
import { RateLimiter, type Limiter, type RateLimit } from './rate-limit';

/** KEYS[1]: the key. ARGV: milliseconds per token, burst, 1 to take a token or 0 to look. Returns ms to wait. */
const GCRA = `
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local next_tat = tat + interval
local wait = next_tat - burst * interval - now
if wait > 0 then return math.ceil(wait) end
if ARGV[3] == '1' then redis.call('SET', KEYS[1], next_tat, 'PX', math.ceil(next_tat - now)) end
return 0
`;

type GcraClient = Redis & {
  gcra(key: string, intervalMs: number, burst: number, take: 0 | 1): Promise<number>;
};

/** How often a Redis failure is logged at most, while the limits run per process. */
const FAILURE_LOG_INTERVAL_MS = 60_000;

/**
 * Instances of one deployment share a database: keys are namespaced by it, so deployments (or test servers) that
 * share a Redis server do not share limits.
 */
export function limitNamespace(database: DatabaseConfig): string {
  const identity = database.type === 'sqlite' ? database.path : database.url;
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

export class RedisLimits {
  private readonly client: GcraClient;
  private lastFailureLog = 0;

  constructor(
    url: string,
    private readonly namespace: string,
    private readonly log: Logger,
  ) {
    const client = new Redis(url, {
      retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000),
      // A limit check waits for no reconnection: while Redis is away the local buckets decide.
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
    });
    client.on('error', (error: Error) => this.failed(error));
    client.defineCommand('gcra', { numberOfKeys: 1, lua: GCRA });
    this.client = client as GcraClient;
  }

  /**
   * Resolves once connected, or after `timeoutMs` without a connection (then the limits start per process and move
   * to Redis when it answers). Checks made before the first connection would otherwise all run per process.
   */
  async ready(timeoutMs: number): Promise<void> {
    if (this.client.status === 'ready') return;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.client.off('ready', done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.client.once('ready', done);
    });
  }

  /** A limiter named `name` (the keys it counts are its own), with the given rate. */
  limiter(name: string, limit: RateLimit): Limiter {
    return new RedisRateLimiter(this, `stack-notifications:limits:${this.namespace}:${name}:`, limit);
  }

  /** Milliseconds to wait, or null when Redis could not be asked. */
  async ask(key: string, limit: RateLimit, take: boolean): Promise<number | null> {
    try {
      return await this.client.gcra(key, 1000 / limit.perSecond, limit.burst, take ? 1 : 0);
    } catch (error) {
      this.failed(error);
      return null;
    }
  }

  async close(): Promise<void> {
    this.client.disconnect();
  }

  private failed(error: unknown): void {
    const now = Date.now();
    if (now - this.lastFailureLog < FAILURE_LOG_INTERVAL_MS) return;
    this.lastFailureLog = now;
    this.log.warn({ err: error }, 'rate limits cannot reach Redis; limiting per process until it is back');
  }
}

class RedisRateLimiter implements Limiter {
  /** Decides while Redis does not answer. */
  private readonly local: RateLimiter;

  constructor(
    private readonly redis: RedisLimits,
    private readonly prefix: string,
    private readonly limit: RateLimit,
  ) {
    this.local = new RateLimiter(limit);
  }

  async take(key: string): Promise<number> {
    const waitMs = await this.redis.ask(this.prefix + key, this.limit, true);
    if (waitMs === null) return this.local.take(key);
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  async blocked(key: string): Promise<boolean> {
    const waitMs = await this.redis.ask(this.prefix + key, this.limit, false);
    return waitMs === null ? this.local.blocked(key) : waitMs > 0;
  }
}
