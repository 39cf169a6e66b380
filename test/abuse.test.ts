// Abuse is refused cleanly, with a code, while a normal client keeps being served.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Delivery } from '../src/modules/deliveries/delivery.entity';
import {
  CreateStackDocument,
  MeDocument,
  NotificationReceivedDocument,
  PublishEventDocument,
} from './generated/graphql';
import { dataOf, errorCode, graphqlRequest } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';
import { subscribe, wsClient } from './helpers/ws';
import WebSocket from 'ws';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    RATE_LIMIT_SETTINGS_PER_SECOND: '5',
    RATE_LIMIT_SETTINGS_BURST: '10',
    RATE_LIMIT_PUBLISH_PER_SECOND: '10',
    RATE_LIMIT_PUBLISH_BURST: '20',
    AUTH_FAILURES_PER_MINUTE: '10',
    CORS_ORIGINS: 'https://app.example.com',
  });
});
afterAll(async () => {
  await server?.close();
});

async function stillServed(): Promise<void> {
  const owner = await server.createAccount();
  expect(dataOf(await server.request(MeDocument, {}, owner.token)).me.email).toBe(owner.email);
}

function deepQuery(depth: number): string {
  let selection = 'id';
  for (let level = 0; level < depth; level += 1) selection = `account { users { ${selection} } }`;
  return `{ me { ${selection} } }`;
}

describe('operation limits', () => {
  it('refuses a query 50 levels deep with QUERY_TOO_DEEP over HTTP and over WebSocket', async () => {
    const owner = await server.createAccount();
    const response = await graphqlRequest(server.url, deepQuery(25), {}, owner.token);
    expect(response.status).toBe(400);
    expect(errorCode(response)).toBe('QUERY_TOO_DEEP');
    const client = wsClient(server.wsUrl, owner.token);
    const error = await new Promise<unknown>((resolve) => {
      client.subscribe(
        { query: deepQuery(25) },
        { next: () => {}, error: resolve, complete: () => resolve(null) },
      );
    });
    expect(JSON.stringify(error)).toContain('QUERY_TOO_DEEP');
    await client.dispose();
    await stillServed();
  });

  it('refuses 1,000 aliases with QUERY_TOO_COMPLEX', async () => {
    const owner = await server.createAccount();
    const aliases = Array.from(
      { length: 1000 },
      (_, index) => `a${index}: stacks(first: 100) { nodes { id name } }`,
    );
    const response = await graphqlRequest(server.url, `{ ${aliases.join(' ')} }`, {}, owner.token);
    expect(errorCode(response)).toBe('QUERY_TOO_COMPLEX');
    await stillServed();
  });

  it('refuses a 10 MB body with a GraphQL error, not a crash', async () => {
    const owner = await server.createAccount();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ query: '{ me { id } }', variables: { padding: 'x'.repeat(10 * 1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
    const body = (await response.json()) as { errors: { extensions: { code: string } }[] };
    expect(body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    await stillServed();
  });

  it('refuses batched requests', async () => {
    const owner = await server.createAccount();
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]),
    });
    expect(response.status).toBe(400);
    await stillServed();
  });
});

describe('rate limits', () => {
  it('answers RATE_LIMITED with a retry-after once a token has spent its settings burst', async () => {
    const owner = await server.createAccount();
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => server.request(MeDocument, {}, owner.token)),
    );
    const limited = responses.filter((response) => response.errors?.[0]?.extensions?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0].status).toBe(429);
    expect(limited[0].errors![0].extensions!.retryAfter).toBeGreaterThanOrEqual(1);
    expect(responses.filter((response) => response.data?.me).length).toBeGreaterThanOrEqual(10);
    await stillServed();
  });

  it('keeps publishEvent on its own budget', async () => {
    const owner = await server.createAccount();
    const { createStack } = dataOf(
      await server.request(
        CreateStackDocument,
        { input: { name: 'web', environment: 'production' } },
        owner.token,
      ),
    );
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    const publish = () =>
      server.request(
        PublishEventDocument,
        { input: { stackId: createStack.id, eventType: 'JOB_FAIL', data: {} } },
        publisher,
      );
    const responses = await Promise.all(Array.from({ length: 30 }, publish));
    const ok = responses.filter((response) => response.data?.publishEvent).length;
    expect(ok).toBeGreaterThanOrEqual(20);
    expect(responses.some((response) => response.errors?.[0]?.extensions?.code === 'RATE_LIMITED')).toBe(
      true,
    );
  });

  it('refuses an address after repeated failed authentications, without checking its tokens', async () => {
    const gateServer = await startTestServer({ AUTH_FAILURES_PER_MINUTE: '5' });
    try {
      const codes: (string | undefined)[] = [];
      for (let attempt = 0; attempt < 8; attempt += 1) {
        const response = await graphqlRequest(gateServer.url, MeDocument, {}, 'sn_wrong-token');
        codes.push(response.errors?.[0]?.extensions?.code);
      }
      expect(codes.slice(0, 5)).toEqual(Array(5).fill('UNAUTHENTICATED'));
      expect(codes.at(-1)).toBe('RATE_LIMITED');
    } finally {
      await gateServer.close();
    }
  });

  it('refuses 500 subscriptions on one token beyond its 100, while other clients keep being served', async () => {
    const owner = await server.createAccount();
    const sockets = await Promise.all(
      Array.from({ length: 10 }, () =>
        subscribe(server.wsUrl, owner.token, NotificationReceivedDocument, {}),
      ),
    );
    // Each socket carries 50 subscriptions: one opened by subscribe() above and 49 more.
    const results = await Promise.all(
      sockets.flatMap((socket) =>
        Array.from(
          { length: 49 },
          () =>
            new Promise<'refused' | 'open'>((resolve) => {
              socket.client.subscribe(
                { query: 'subscription { notificationReceived { id } }' },
                {
                  next: () => {},
                  error: (error) =>
                    resolve(JSON.stringify(error).includes('RATE_LIMITED') ? 'refused' : 'open'),
                  complete: () => resolve('open'),
                },
              );
              setTimeout(() => resolve('open'), 2000);
            }),
        ),
      ),
    );
    expect(results.filter((result) => result === 'refused')).toHaveLength(400);
    await stillServed();
    const other = await server.createAccount();
    const fine = await subscribe(server.wsUrl, other.token, NotificationReceivedDocument, {});
    expect(fine.errors).toEqual([]);
    await Promise.all([...sockets, fine].map((subscriber) => subscriber.dispose()));
  });

  it('closes WebSocket connections beyond the per-address rate with 4429', async () => {
    const limited = await startTestServer({ WS_CONNECTIONS_PER_MINUTE: '3' });
    try {
      const owner = await limited.createAccount();
      const codes: number[] = [];
      for (let attempt = 0; attempt < 5; attempt += 1) {
        let code = 0;
        const client = wsClient(limited.wsUrl, owner.token, { onClose: (closeCode) => (code = closeCode) });
        await new Promise<void>((resolve) => {
          const unsubscribe = client.subscribe(
            { query: '{ me { id } }' },
            { next: () => {}, error: () => resolve(), complete: () => resolve() },
          );
          void unsubscribe;
        });
        await client.dispose();
        codes.push(code);
      }
      expect(codes.at(-1)).toBe(4429);
    } finally {
      await limited.close();
    }
  });
});

describe('behind a proxy', () => {
  /** The codes of failed authentications sent through the proxy on behalf of each forwarded address in turn. */
  async function failures(target: TestServer, forwardedFor: readonly string[]) {
    const codes: (string | undefined)[] = [];
    for (const address of forwardedFor) {
      const response = await graphqlRequest(target.url, MeDocument, {}, 'sn_wrong-token', {
        'x-forwarded-for': address,
      });
      codes.push(response.errors?.[0]?.extensions?.code);
    }
    return codes;
  }

  it('counts failed authentications per forwarded client when TRUST_PROXY names the proxy', async () => {
    const proxied = await startTestServer({ AUTH_FAILURES_PER_MINUTE: '3', TRUST_PROXY: 'loopback' });
    try {
      const attacker = await failures(proxied, Array(5).fill('203.0.113.7'));
      expect(attacker.at(-1)).toBe('RATE_LIMITED');
      // Another client behind the same proxy is still only told its token is wrong.
      expect(await failures(proxied, ['203.0.113.8'])).toEqual(['UNAUTHENTICATED']);
      // The nearest untrusted hop counts, not what the client wrote in front of it.
      expect(await failures(proxied, ['198.51.100.1, 203.0.113.7'])).toEqual(['RATE_LIMITED']);
    } finally {
      await proxied.close();
    }
  });

  it('ignores X-Forwarded-For from peers it does not trust', async () => {
    const direct = await startTestServer({ AUTH_FAILURES_PER_MINUTE: '3' });
    try {
      const codes = await failures(
        direct,
        Array.from({ length: 5 }, (_, i) => `203.0.113.${i + 1}`),
      );
      expect(codes.at(-1)).toBe('RATE_LIMITED');
    } finally {
      await direct.close();
    }
  });

  it('limits WebSocket connection attempts per forwarded client', async () => {
    const proxied = await startTestServer({ WS_CONNECTIONS_PER_MINUTE: '2', TRUST_PROXY: '1' });
    try {
      const owner = await proxied.createAccount();
      /** connection_ack, or the close code the server answered connection_init with. */
      const attempt = (forwardedFor: string) =>
        new Promise<number | 'ack'>((resolve) => {
          const socket = new WebSocket(proxied.wsUrl, 'graphql-transport-ws', {
            headers: { 'x-forwarded-for': forwardedFor },
          });
          socket.on('open', () =>
            socket.send(
              JSON.stringify({
                type: 'connection_init',
                payload: { authorization: `Bearer ${owner.token}` },
              }),
            ),
          );
          socket.on('message', (data) => {
            if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
            resolve('ack');
            socket.close();
          });
          socket.on('close', (code) => resolve(code));
        });
      const outcomes = [];
      for (let i = 0; i < 3; i += 1) outcomes.push(await attempt('203.0.113.7'));
      expect(outcomes).toEqual(['ack', 'ack', 4429]);
      expect(await attempt('203.0.113.8')).toBe('ack');
    } finally {
      await proxied.close();
    }
  });
});

describe('introspection switched off', () => {
  it('refuses __schema over HTTP and over WebSocket', async () => {
    const closed = await startTestServer({ GRAPHQL_INTROSPECTION: 'false' });
    try {
      const owner = await closed.createAccount();
      const response = await graphqlRequest(closed.url, '{ __schema { types { name } } }', {}, owner.token);
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(response.data ?? null).toBeNull();
      const client = wsClient(closed.wsUrl, owner.token);
      const error = await new Promise<unknown>((resolve) => {
        client.subscribe(
          { query: '{ __schema { types { name } } }' },
          { next: () => {}, error: resolve, complete: () => resolve(null) },
        );
      });
      expect(JSON.stringify(error)).toMatch(/introspection/i);
      await client.dispose();
    } finally {
      await closed.close();
    }
  });
});

describe('operations endpoints and headers', () => {
  it('answers /healthz, /readyz and /metrics', async () => {
    const base = server.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { database: 'ok', migrations: 'ok' },
    });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    for (const name of [
      'graphql_operations_total',
      'graphql_active_subscriptions',
      'delivery_attempts_total',
      'delivery_attempt_duration_seconds',
      'outbox_pending_deliveries',
      'outbox_oldest_pending_age_seconds',
    ]) {
      expect(metrics).toContain(name);
    }
  });

  it('reports the outbox: pending deliveries and the age of the oldest one', async () => {
    const idle = await startTestServer({ WORKERS: '0' });
    try {
      const owner = await idle.createAccount();
      const stackId = dataOf(
        await idle.request(
          CreateStackDocument,
          { input: { name: 'web', environment: 'production' } },
          owner.token,
        ),
      ).createStack.id;
      const publisher = await idle.createToken(owner, [Scope.EVENTS_PUBLISH]);
      dataOf(
        await idle.request(
          PublishEventDocument,
          { input: { stackId, eventType: 'JOB_FAIL', data: { job: 'backup' } } },
          publisher,
        ),
      );
      await idle.app.dataSource
        .getRepository(Delivery)
        .update({ stackId }, { createdAt: new Date(Date.now() - 3600_000) });
      const metrics = await (await fetch(idle.url.replace(/\/graphql$/, '/metrics'))).text();
      const value = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(metrics)?.[1]);
      expect(value('outbox_pending_deliveries')).toBe(1);
      expect(value('outbox_oldest_pending_age_seconds')).toBeGreaterThanOrEqual(3600);
      expect(value('outbox_oldest_pending_age_seconds')).toBeLessThan(3660);
    } finally {
      await idle.close();
    }
  });

  it('allows only the configured CORS origins', async () => {
    const preflight = (origin: string) =>
      fetch(server.url, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'authorization',
        },
      });
    expect((await preflight('https://app.example.com')).headers.get('access-control-allow-origin')).toBe(
      'https://app.example.com',
    );
    expect(
      (await preflight('https://evil.example.com')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('serves the playground with a content security policy and no framing', async () => {
    const response = await fetch(server.url, { headers: { accept: 'text/html' } });
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
    expect(await response.text()).not.toMatch(/<script>(?!\s*<\/script>)/);
  });
});
