// A worker process's own HTTP port (WORKER_HTTP_PORT): liveness, readiness (the database answers and is migrated)
// and its metrics, for probes and scrapes of processes that serve no API.
import express from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DataSource } from 'typeorm';
import { bearerMatches } from './http-extras';
import type { Metrics } from './metrics';
import type { DeliveryWorker } from './modules/deliveries/delivery-worker';
import { databaseChecks } from './db/readiness';

export interface WorkerHttp {
  url: string;
  close(): Promise<void>;
}

export async function startWorkerHttp(options: {
  dataSource: DataSource;
  worker: DeliveryWorker;
  metrics: Metrics;
  metricsToken: string | null;
  port: number;
  host: string;
}): Promise<WorkerHttp> {
  const { dataSource, worker, metrics, metricsToken } = options;
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks = await databaseChecks(dataSource);
    const ready = Object.values(checks).every((value) => value === 'ok');
    res.status(ready ? 200 : 503).json({
      status: ready ? 'ready' : 'not ready',
      checks,
      inFlight: worker.inFlightCount,
      unwrittenOutcomes: worker.unwrittenCount,
    });
  });
  app.get('/metrics', async (req, res) => {
    if (metricsToken && !bearerMatches(req.headers.authorization, metricsToken)) {
      res.status(401).setHeader('WWW-Authenticate', 'Bearer').type('text').send('METRICS_TOKEN required\n');
      return;
    }
    try {
      res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
    } catch (error) {
      // The outbox gauges read the database: without it, the scrape fails rather than reporting made-up figures.
      res
        .status(503)
        .type('text')
        .send(`metrics unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
    }
  });
  const server = http.createServer(app);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  return {
    url: `http://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
