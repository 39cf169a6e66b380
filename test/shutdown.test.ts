// SIGTERM: the process stops accepting, closes WebSockets with 1001, hands back the leases of deliveries still in
// flight, and exits within SHUTDOWN_TIMEOUT_MS; the next process sends them at once.
import { NotificationReceivedDocument, PublishEventDocument } from './generated/graphql';
import { deliveryProcesses } from './helpers/delivery-processes';
import { dataOf } from './helpers/graphql';
import { subscribe } from './helpers/ws';
import { untilLive } from './helpers/ws-process';

const processes = deliveryProcesses();

it('exits cleanly on SIGTERM, closing sockets with 1001 and returning the leases of in-flight deliveries', async () => {
  const peer = processes.peer();
  const run = await processes.start({
    // As deployed: outside NODE_ENV=test, Apollo Server would install SIGTERM handlers of its own.
    NODE_ENV: 'development',
    DELIVERY_CONCURRENCY: '3',
    // Long leases: only a returned lease lets the next process resend at once.
    DELIVERY_LEASE_MS: '600000',
    HTTP_TIMEOUT_MS: '30000',
    SHUTDOWN_TIMEOUT_MS: '3000',
  });
  const { first, request, stackId } = run;

  let closeCode = 0;
  const subscriber = await subscribe(
    first.url.replace(/^http/, 'ws'),
    run.token,
    NotificationReceivedDocument,
    {
      eventTypes: ['APP_AUTH'],
    },
  );
  subscriber.client.on('closed', (event) => (closeCode = (event as { code: number }).code));
  await untilLive(subscriber, () =>
    request(PublishEventDocument, { input: { stackId, eventType: 'APP_AUTH', data: {} } }),
  );

  peer.script({ hang: true }, { hang: true }, { hang: true });
  const ids: string[] = [];
  for (let index = 0; index < 3; index += 1) {
    ids.push(
      dataOf(
        await request(PublishEventDocument, { input: { stackId, eventType: 'JOB_FAIL', data: { index } } }),
      ).publishEvent.id,
    );
  }
  while (ids.some((id) => peer.deliveriesOf(id) === 0))
    await new Promise((resolve) => setTimeout(resolve, 20));

  const started = Date.now();
  expect(await first.stop('SIGTERM')).toBe(0);
  expect(Date.now() - started).toBeLessThan(3000);
  expect(closeCode).toBe(1001);
  await subscriber.dispose();

  const second = await run.startAnother();
  await run.untilAllSucceeded(second.url, { timeoutMs: 10_000 });
  for (const id of ids) expect(peer.deliveriesOf(id)).toBe(2);
});
