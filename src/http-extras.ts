// Plain HTTP endpoints and middleware around the GraphQL API: health, readiness, metrics, CORS, security headers,
// and GraphQL-shaped answers for bodies that never reach GraphQL (too large, not JSON).
import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Metrics } from './metrics';
import { ErrorCode } from './lib/errors';
import type { Services } from './services';
import { databaseChecks } from './db/readiness';

/**
 * The pages (playground, stack notifications page) load scripts and styles only from this server; GraphiQL sets
 * inline styles, hence 'unsafe-inline' for styles only. WebSockets go to the same host.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self' ws: wss:",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  next();
};

/** CORS for CORS_ORIGINS: none by default (same-origin pages only), a list, or '*'. */
export function cors(origins: readonly string[]): RequestHandler {
  const any = origins.includes('*');
  const allowed = new Set(origins);
  return (req, res, next) => {
    const origin = req.headers.origin;
    if (origin && (any || allowed.has(origin))) {
      res.setHeader('Access-Control-Allow-Origin', any ? '*' : origin);
      res.setHeader('Vary', 'Origin');
      res.setHeader('Access-Control-Allow-Headers', 'authorization, content-type, x-request-id');
      res.setHeader('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
      res.setHeader('Access-Control-Max-Age', '600');
    }
    if (req.method === 'OPTIONS') {
      res.status(204).end();
      return;
    }
    next();
  };
}

/** Body-parser failures answered as GraphQL errors with a code, not as HTML. */
export const bodyErrors: ErrorRequestHandler = (
  error: { type?: string; status?: number },
  _req,
  res,
  next,
) => {
  if (error.type === 'entity.too.large') {
    res.status(413).json({
      errors: [{ message: 'The request body is too large', extensions: { code: ErrorCode.BAD_USER_INPUT } }],
    });
    return;
  }
  if (error.type === 'entity.parse.failed') {
    res.status(400).json({
      errors: [
        { message: 'The request body is not valid JSON', extensions: { code: ErrorCode.BAD_USER_INPUT } },
      ],
    });
    return;
  }
  next(error);
};

export function healthRouter(services: Services, metrics: Metrics): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  // Ready means this process can do its job: the database answers and its schema is current. The live bus is only
  // fan-out to other instances (publishing, delivery and local subscribers go on without Redis), so a lost Redis is
  // reported as degraded, not as a reason to take every instance out of the load balancer at once.
  router.get('/readyz', async (_req, res) => {
    const checks = await databaseChecks(services.dataSource);
    const ready = Object.values(checks).every((value) => value === 'ok');
    const degraded: string[] = [];
    if (services.config.redisUrl) {
      checks.redis = services.bus.connected() ? 'ok' : 'degraded: live bus disconnected';
      if (!services.bus.connected()) degraded.push('redis');
    }
    const status = !ready ? 'not ready' : degraded.length ? 'degraded' : 'ready';
    res.status(ready ? 200 : 503).json({ status, checks, ...(degraded.length ? { degraded } : {}) });
  });
  const metricsToken = services.config.metricsToken;
  router.get('/metrics', async (req, res) => {
    if (metricsToken && !bearerMatches(req.headers.authorization, metricsToken)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').type('text').send('METRICS_TOKEN required\n');
      return;
    }
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return router;
}

/** Compares in constant time (over digests, so lengths do not leak either). */
export function bearerMatches(authorization: string | undefined, expected: string): boolean {
  const presented = /^Bearer\s+(\S+)$/i.exec(authorization?.trim() ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(expected));
}
