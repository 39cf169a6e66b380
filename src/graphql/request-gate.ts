// The abuse limits in front of operations: rate per token and operation class, requests without a token and failed
// authentications per IP, live subscriptions per token and per account, WebSocket connection attempts and open
// connections per IP. The rates are kept in this process, or in Redis for every instance at once (see server.ts);
// what is held open (subscriptions, connections) is always counted per process.
import type { AbuseLimitsConfig } from '../config';
import { RateLimitedError } from '../lib/errors';
import { ConcurrencyLimiter, RateLimiter, type Limiter, type RateLimit } from '../lib/rate-limit';

/** Makes the limiter of one kind of limit; `name` keeps the keys of different limits apart. */
export type LimiterFactory = (name: string, limit: RateLimit) => Limiter;

const inProcess: LimiterFactory = (_name, limit) => new RateLimiter(limit);

export type OperationClass = 'settings' | 'publish';

export class RequestGate {
  private readonly operations: Record<OperationClass, Limiter>;
  private readonly anonymous: Limiter;
  private readonly authFailures: Limiter;
  private readonly wsConnections: Limiter;
  private readonly tokenSubscriptions: ConcurrencyLimiter;
  private readonly accountSubscriptions: ConcurrencyLimiter;
  private readonly openConnections: ConcurrencyLimiter;

  constructor(
    readonly limits: AbuseLimitsConfig,
    limiter: LimiterFactory = inProcess,
  ) {
    this.operations = {
      settings: limiter('settings', limits.settings),
      publish: limiter('publish', limits.publish),
    };
    const perMinute = (count: number) => ({ perSecond: count / 60, burst: count });
    this.anonymous = limiter('anonymous', limits.anonymous);
    this.authFailures = limiter('auth-failures', perMinute(limits.authFailuresPerMinute));
    this.wsConnections = limiter('ws-connections', perMinute(limits.wsConnectionsPerMinute));
    this.tokenSubscriptions = new ConcurrencyLimiter(limits.subscriptionsPerToken);
    this.accountSubscriptions = new ConcurrencyLimiter(limits.subscriptionsPerAccount);
    this.openConnections = new ConcurrencyLimiter(limits.wsConnectionsPerAddress);
  }

  /** Throws RATE_LIMITED when the token has used up its rate for this class of operation. */
  async admitOperation(tokenId: string, kind: OperationClass): Promise<void> {
    const wait = await this.operations[kind].take(`${kind}:${tokenId}`);
    if (wait > 0) {
      const limit = this.limits[kind];
      throw new RateLimitedError(
        `Too many ${kind === 'publish' ? 'publishEvent calls' : 'settings operations'} for this token ` +
          `(${limit.perSecond}/s, bursts of ${limit.burst}); retry after ${wait} s`,
        wait,
      );
    }
  }

  /** Throws RATE_LIMITED when the address has used up its rate of requests without a (valid) token. */
  async admitAnonymous(ip: string): Promise<void> {
    const wait = await this.anonymous.take(ip);
    if (wait > 0) {
      const limit = this.limits.anonymous;
      throw new RateLimitedError(
        `Too many requests without a valid token from this address (${limit.perSecond}/s, bursts of ` +
          `${limit.burst}); retry after ${wait} s`,
        wait,
      );
    }
  }

  /** Whether the address has failed authentication more often than allowed lately. */
  async failingAuthentication(ip: string): Promise<boolean> {
    return this.authFailures.blocked(ip);
  }

  async recordAuthFailure(ip: string): Promise<void> {
    await this.authFailures.take(ip);
  }

  /**
   * Holds one live subscription for the token and its account; false (nothing held) when either is at its
   * ceiling, with the ceiling that was reached.
   */
  acquireSubscription(tokenId: string, accountId: string): { ok: true } | { ok: false; limit: string } {
    if (!this.tokenSubscriptions.acquire(tokenId))
      return {
        ok: false,
        limit: `This token already holds ${this.limits.subscriptionsPerToken} live subscriptions`,
      };
    if (!this.accountSubscriptions.acquire(accountId)) {
      this.tokenSubscriptions.release(tokenId);
      return {
        ok: false,
        limit: `This account's tokens already hold ${this.limits.subscriptionsPerAccount} live subscriptions`,
      };
    }
    return { ok: true };
  }

  releaseSubscription(tokenId: string, accountId: string): void {
    this.tokenSubscriptions.release(tokenId);
    this.accountSubscriptions.release(accountId);
  }

  /** Holds one open WebSocket connection for the address; false when it holds as many as allowed. */
  openConnection(ip: string): boolean {
    return this.openConnections.acquire(ip);
  }

  closeConnection(ip: string): void {
    this.openConnections.release(ip);
  }

  /** Whether another WebSocket connection_init from this IP is allowed now. */
  async admitConnection(ip: string): Promise<boolean> {
    return (await this.wsConnections.take(ip)) === 0;
  }
}
