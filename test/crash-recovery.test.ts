// kill -9 the server while deliveries are in flight and pending: after a restart every delivery completes.
import { PublishEventDocument } from './generated/graphql';
import { deliveryProcesses } from './helpers/delivery-processes';
import { dataOf } from './helpers/graphql';

const EVENTS = 20;
const CONCURRENCY = 5;

const processes = deliveryProcesses();

it('resends what a killed process had in flight and sends what it had pending, losing nothing', async () => {
  const peer = processes.peer();
  const run = await processes.start({
    DELIVERY_CONCURRENCY: String(CONCURRENCY),
    DELIVERY_LEASE_MS: '1500',
    DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4,0.6,0.8',
    DELIVERY_POLL_INTERVAL_MS: '100',
    HTTP_TIMEOUT_MS: '30000',
  });

  // The receiver holds the first requests open, so the process dies with deliveries in flight.
  peer.script(...Array.from({ length: CONCURRENCY }, () => ({ hang: true as const })));
  const ids: string[] = [];
  for (let index = 0; index < EVENTS; index += 1) {
    const { publishEvent } = dataOf(
      await run.request(PublishEventDocument, {
        input: { stackId: run.stackId, eventType: 'JOB_FAIL', data: { index } },
      }),
    );
    ids.push(publishEvent.id);
  }
  await peer.http.waitForRequests(CONCURRENCY, 10_000);
  expect(await run.first.stop('SIGKILL')).toBe('SIGKILL');

  const second = await run.startAnother();
  await run.untilAllSucceeded(second.url, { count: EVENTS, timeoutMs: 20_000 });
  for (const id of ids) expect(peer.deliveriesOf(id)).toBeGreaterThanOrEqual(1);
  // Only what was in flight at the kill is sent twice, and it carries the same webhook-id.
  const duplicates = ids.reduce((sum, id) => sum + peer.deliveriesOf(id) - 1, 0);
  expect(duplicates).toBeLessThanOrEqual(CONCURRENCY);
});
