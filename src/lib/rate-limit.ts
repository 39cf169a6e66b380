// Token buckets in memory, one per key (a token and an operation class, or an IP), for one process. With REDIS_URL
// the limits are shared by every instance instead (redis-rate-limit.ts), and these buckets decide only while Redis
// does not answer.

export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size: how many may come at once after a quiet spell. */
  burst: number;
}

/** A rate limit over keys; the Redis one answers asynchronously. */
export interface Limiter {
  /** Takes one token; resolves to 0 when allowed, else the seconds to wait before the next one. */
  take(key: string): number | Promise<number>;
  /** Whether no token is available, without taking one. */
  blocked(key: string): boolean | Promise<boolean>;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/** Buckets idle long enough to be full again are dropped on sweep, so memory follows active keys only. */
const SWEEP_EVERY = 10_000;

export class RateLimiter implements Limiter {
  private readonly buckets = new Map<string, Bucket>();
  private calls = 0;

  constructor(
    private readonly limit: RateLimit,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token; returns 0 when allowed, else the seconds to wait before the next one. */
  take(key: string): number {
    const now = this.now();
    if (++this.calls % SWEEP_EVERY === 0) this.sweep(now);
    const bucket = this.buckets.get(key) ?? { tokens: this.limit.burst, updatedAt: now };
    bucket.tokens = Math.min(
      this.limit.burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.limit.perSecond,
    );
    bucket.updatedAt = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.limit.perSecond));
  }

  /** Whether a token is available, without taking it. */
  blocked(key: string): boolean {
    const bucket = this.buckets.get(key);
    if (!bucket) return false;
    const tokens = Math.min(
      this.limit.burst,
      bucket.tokens + ((this.now() - bucket.updatedAt) / 1000) * this.limit.perSecond,
    );
    return tokens < 1;
  }

  private sweep(now: number): void {
    const refill = (this.limit.burst / this.limit.perSecond) * 1000;
    for (const [key, bucket] of this.buckets) {
      if (now - bucket.updatedAt > refill) this.buckets.delete(key);
    }
  }
}

/** Counts what a key holds open (subscriptions per token) against a ceiling. */
export class ConcurrencyLimiter {
  private readonly counts = new Map<string, number>();

  constructor(private readonly max: number) {}

  acquire(key: string): boolean {
    const count = this.counts.get(key) ?? 0;
    if (count >= this.max) return false;
    this.counts.set(key, count + 1);
    return true;
  }

  release(key: string): void {
    const count = (this.counts.get(key) ?? 0) - 1;
    if (count <= 0) this.counts.delete(key);
    else this.counts.set(key, count);
  }
}
