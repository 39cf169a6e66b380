// The service reads the time from the clock it was built with: a test sets it, and what is recorded follows.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { CreateStackDocument, PublishEventDocument } from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';
import { ManualClock } from './support/manual-clock';

const clock = new ManualClock('2026-03-29T00:30:00.000Z');
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({}, { clock });
});
afterAll(async () => {
  await server?.close();
});

it('stamps a notification with the time of the service clock, which a test moves', async () => {
  const owner = await server.createAccount();
  const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
  const { createStack } = dataOf(
    await server.request(CreateStackDocument, { input: { name: 'web', environment: 'prod' } }, owner.token),
  );
  const publish = async () =>
    dataOf(
      await server.request(
        PublishEventDocument,
        { input: { stackId: createStack.id, eventType: 'JOB_FAIL', data: { job: 'nightly' } } },
        publisher,
      ),
    ).publishEvent;

  const first = await publish();
  expect(first.occurredAt).toBe('2026-03-29T00:30:00.000Z');
  expect(first.createdAt).toBe('2026-03-29T00:30:00.000Z');
  // A standing clock still orders what is created at one instant.
  const second = await publish();
  expect(Date.parse(second.createdAt)).toBeGreaterThan(Date.parse(first.createdAt));

  clock.set('2026-10-25T01:15:00.000Z');
  expect((await publish()).occurredAt).toBe('2026-10-25T01:15:00.000Z');
});
