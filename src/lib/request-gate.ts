// The abuse limits in front of operations: rate per token and operation class, failed authentications per IP,
// live subscriptions per token, WebSocket connection attempts per IP. The rates are kept in this process, or in
// Redis for every instance at once (see server.ts); open subscriptions are always counted per process.
import type { AbuseLimitsConfig } from '../config';
import { RateLimitedError } from './errors';
import { ConcurrencyLimiter, RateLimiter, type Limiter, type RateLimit } from './rate-limit';

/** Makes the limiter of one kind of limit; `name` keeps the keys of different limits apart. */
export type LimiterFactory = (name: string, limit: RateLimit) => Limiter;

const inProcess: LimiterFactory = (_name, limit) => new RateLimiter(limit);

export type OperationClass = 'settings' | 'publish';

export class RequestGate {
  private readonly operations: Record<OperationClass, Limiter>;
  private readonly authFailures: Limiter;
  private readonly wsConnections: Limiter;
  readonly subscriptions: ConcurrencyLimiter;

  constructor(
    readonly limits: AbuseLimitsConfig,
    limiter: LimiterFactory = inProcess,
  ) {
    this.operations = {
      settings: limiter('settings', limits.settings),
      publish: limiter('publish', limits.publish),
    };
    const perMinute = (count: number) => ({ perSecond: count / 60, burst: count });
    this.authFailures = limiter('auth-failures', perMinute(limits.authFailuresPerMinute));
    this.wsConnections = limiter('ws-connections', perMinute(limits.wsConnectionsPerMinute));
    this.subscriptions = new ConcurrencyLimiter(limits.subscriptionsPerToken);
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

  /** Throws RATE_LIMITED while an IP has failed authentication too often. */
  async admitAuthentication(ip: string): Promise<void> {
    if (await this.authFailures.blocked(ip)) {
      throw new RateLimitedError('Too many failed authentications from this address; retry later', 60);
    }
  }

  async recordAuthFailure(ip: string): Promise<void> {
    await this.authFailures.take(ip);
  }

  /** Whether another WebSocket connection_init from this IP is allowed now. */
  async admitConnection(ip: string): Promise<boolean> {
    return (await this.wsConnections.take(ip)) === 0;
  }
}
