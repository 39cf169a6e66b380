// Runs the built service (dist/) as `node dist/src/main.js` or `dist/src/worker.js` do, but on a clock that starts
// at CLOCK_START (ISO 8601) and then runs at the machine's pace: crash and restart tests put processes inside and
// after a held window without waiting for it. `node clocked-service.cjs server|worker`. The product reads no such
// variable: this file builds the service with the clock, as a test in-process does.
require('reflect-metadata');
const path = require('node:path');

const dist = path.resolve(__dirname, '..', '..', 'dist', 'src');
const { startApp, startCore } = require(path.join(dist, 'app'));
const { loadConfig } = require(path.join(dist, 'config'));
const { createLogger } = require(path.join(dist, 'lib', 'logger'));
const { createLiveBus, exitGracefully, reportStartFailure } = require(path.join(dist, 'process-lifecycle'));

const offsetMs = Date.parse(process.env.CLOCK_START) - Date.now();
if (Number.isNaN(offsetMs)) throw new Error('CLOCK_START must be an ISO 8601 date-time');
const clock = { now: () => new Date(Date.now() + offsetMs) };

async function main(role) {
  const config = role === 'worker' ? { ...loadConfig(), workers: true } : loadConfig();
  const log = createLogger(config.logLevel);
  const options = { log, bus: createLiveBus(config, log), clock };
  if (role === 'worker') {
    const core = await startCore(config, options);
    exitGracefully(config, log, () => core.close());
    process.stdout.write(`delivery worker started: ${core.worker.id}\n`);
  } else {
    const app = await startApp(config, options);
    exitGracefully(config, log, () => app.close());
    process.stdout.write(`listening on ${app.server.url}\n`);
  }
}

main(process.argv[2]).catch((error) => reportStartFailure(error, false));
