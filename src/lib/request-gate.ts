// The abuse limits in front of operations: rate per token and operation class, failed authentications per IP,
// live subscriptions per token, WebSocket connection attempts per IP.
import type { AbuseLimitsConfig } from '../config';
import { RateLimitedError } from './errors';
import { ConcurrencyLimiter, RateLimiter } from './rate-limit';

export type OperationClass = 'settings' | 'publish';

export class RequestGate {
  private readonly operations: Record<OperationClass, RateLimiter>;
  private readonly authFailures: RateLimiter;
  private readonly wsConnections: RateLimiter;
  readonly subscriptions: ConcurrencyLimiter;

  constructor(readonly limits: AbuseLimitsConfig) {
    this.operations = {
      settings: new RateLimiter(limits.settings),
      publish: new RateLimiter(limits.publish),
    };
    const perMinute = (count: number) => ({ perSecond: count / 60, burst: count });
    this.authFailures = new RateLimiter(perMinute(limits.authFailuresPerMinute));
    this.wsConnections = new RateLimiter(perMinute(limits.wsConnectionsPerMinute));
    this.subscriptions = new ConcurrencyLimiter(limits.subscriptionsPerToken);
  }

  /** Throws RATE_LIMITED when the token has used up its rate for this class of operation. */
  admitOperation(tokenId: string, kind: OperationClass): void {
    const wait = this.operations[kind].take(`${kind}:${tokenId}`);
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
  admitAuthentication(ip: string): void {
    if (this.authFailures.blocked(ip)) {
      throw new RateLimitedError('Too many failed authentications from this address; retry later', 60);
    }
  }

  recordAuthFailure(ip: string): void {
    this.authFailures.take(ip);
  }

  /** Whether another WebSocket connection_init from this IP is allowed now. */
  admitConnection(ip: string): boolean {
    return this.wsConnections.take(ip) === 0;
  }
}
