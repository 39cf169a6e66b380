// With REDIS_URL the rate limits are kept in Redis and shared by every instance of a deployment: two instances on one
// database give a token, or a client address, its rate once. Without an answer from Redis each process limits alone.
import { MeDocument } from './generated/graphql';
import { graphqlRequest } from './helpers/graphql';
import { startOtherInstance, startTestServer, type OtherInstance, type TestServer } from './helpers/server';
import { REDIS_URL, servicesAvailable } from './helpers/services';

const LIMITS = {
  RATE_LIMIT_SETTINGS_PER_SECOND: '1',
  RATE_LIMIT_SETTINGS_BURST: '4',
  AUTH_FAILURES_PER_MINUTE: '3',
};

const describeWithServices = servicesAvailable({ redis: true }) ? describe : describe.skip;
let first: TestServer;
let second: OtherInstance;

beforeAll(async () => {
  first = await startTestServer({ ...LIMITS, REDIS_URL });
  second = await startOtherInstance(first, { ...LIMITS, REDIS_URL });
});
afterAll(async () => {
  await second?.close();
  await first?.close();
});

/** Sends `me` to each URL in turn and answers the error codes, undefined for an answer with data. */
async function codes(urls: readonly string[], token: string): Promise<(string | undefined)[]> {
  const result: (string | undefined)[] = [];
  for (const url of urls) {
    const response = await graphqlRequest(url, MeDocument, {}, token);
    result.push(response.errors?.[0]?.extensions?.code);
  }
  return result;
}

describeWithServices('rate limits shared through Redis', () => {
  it('gives a token its settings rate once across instances, not once per instance', async () => {
    const owner = await first.createAccount();
    const urls = [
      first.url,
      second.app.server.url,
      first.url,
      second.app.server.url,
      first.url,
      second.app.server.url,
    ];
    const answered = await codes(urls, owner.token);
    // A burst of 4 refilled at 1/s: six calls within a second get 4 (or 5, if a second passed) answers in all.
    const ok = answered.filter((code) => code === undefined).length;
    expect(ok).toBeGreaterThanOrEqual(4);
    expect(ok).toBeLessThanOrEqual(5);
    expect(answered.slice(4)).toContain('RATE_LIMITED');
    // Another token has its own budget.
    const other = await first.createAccount();
    expect(await codes([second.app.server.url], other.token)).toEqual([undefined]);
  });

  it('counts failed authentications from one address on every instance', async () => {
    const wrong = 'sn_not-a-real-token';
    expect(await codes([first.url, second.app.server.url, first.url], wrong)).toEqual(
      Array(3).fill('UNAUTHENTICATED'),
    );
    expect(await codes([second.app.server.url], wrong)).toEqual(['RATE_LIMITED']);
  });

  it('limits each process on its own while Redis does not answer', async () => {
    const alone = await startTestServer({
      RATE_LIMIT_SETTINGS_PER_SECOND: '1',
      RATE_LIMIT_SETTINGS_BURST: '2',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    try {
      const owner = await alone.createAccount();
      expect(await codes([alone.url, alone.url, alone.url], owner.token)).toEqual([
        undefined,
        undefined,
        'RATE_LIMITED',
      ]);
    } finally {
      await alone.close();
    }
  });
});
