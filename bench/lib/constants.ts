// Defaults of the service that the benchmarks match, read from its configuration so they cannot drift.
import { loadConfig } from '../../src/config';

/** DELIVERY_CONCURRENCY's default. */
export const DEFAULT_CONCURRENCY = loadConfig({}).delivery.concurrency;
