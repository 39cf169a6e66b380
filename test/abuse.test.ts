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
import { eventually, subscribe, wsClient } from './helpers/ws';
import { STANDARD_INTROSPECTION_QUERY } from '../src/lib/operation-limits';
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

  it('refuses wrong tokens from an address after repeated failed authentications', async () => {
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
    // Each socket carries 50 subscriptions: one opened by subscribe() above and 49 more. An accepted subscription
    // never ends, so what counts is that 400 are refused and, once they have been, nothing else ends.
    let refused = 0;
    let ended = 0;
    for (const socket of sockets) {
      for (let index = 0; index < 49; index += 1) {
        socket.client.subscribe(
          { query: 'subscription { notificationReceived { id } }' },
          {
            next: () => {},
            error: (error) => {
              if (JSON.stringify(error).includes('RATE_LIMITED')) refused += 1;
              else ended += 1;
            },
            complete: () => (ended += 1),
          },
        );
      }
    }
    await eventually(() => refused >= 400, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect({ refused, ended }).toEqual({ refused: 400, ended: 0 });
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

describe('callers without a token', () => {
  /** `count` aliased copies of `field`, as one query. */
  const aliased = (count: number, field: string) =>
    `{ ${Array.from({ length: count }, (_, index) => `x${index}: ${field}`).join(' ')} }`;

  it('are limited per address, with a retry-after, while token holders keep being served', async () => {
    const limited = await startTestServer({
      RATE_LIMIT_ANONYMOUS_PER_SECOND: '1',
      RATE_LIMIT_ANONYMOUS_BURST: '5',
    });
    try {
      const owner = await limited.createAccount();
      // The flood of the report: 16 concurrent token-less requests of 20,000 __type aliases each.
      const flood = aliased(20_000, '__type(name: "T0") { name }');
      const started = Date.now();
      const answers = await Promise.all(
        Array.from({ length: 16 }, () => graphqlRequest(limited.url, flood, {}, null)),
      );
      // The bucket refills at 1/s while the requests are served: a slow machine lets a few more through.
      const refilled = Math.ceil((Date.now() - started) / 1000);
      expect(answers.every((answer) => answer.data == null)).toBe(true);
      const codes = answers.map(errorCode);
      const admitted = codes.filter((code) => code !== 'RATE_LIMITED');
      expect(admitted.length).toBeLessThanOrEqual(5 + refilled);
      // Those admitted are refused all the same, while parsing: the document has far too many tokens.
      expect(new Set(admitted)).toEqual(new Set(admitted.length ? ['QUERY_TOO_COMPLEX'] : []));
      const refused = answers.find((answer) => errorCode(answer) === 'RATE_LIMITED')!;
      expect(refused.status).toBe(429);
      expect(refused.errors![0].extensions!.retryAfter).toBeGreaterThanOrEqual(1);
      // Plain anonymous queries are limited the same way, whatever they ask.
      const plain = await Promise.all(
        Array.from({ length: 12 }, () => graphqlRequest(limited.url, '{ eventTypes { key } }', {}, null)),
      );
      expect(plain.some((answer) => answer.errors?.[0]?.extensions?.code === 'RATE_LIMITED')).toBe(true);
      expect(dataOf(await limited.request(MeDocument, {}, owner.token)).me.email).toBe(owner.email);
    } finally {
      await limited.close();
    }
  });

  it('have a smaller cost budget than token holders', async () => {
    const owner = await server.createAccount();
    const query =
      '{ a: stacks(first: 100) { nodes { id name } } b: stacks(first: 100) { nodes { id name } } }';
    const anonymous = await graphqlRequest(server.url, query, {}, null);
    expect(errorCode(anonymous)).toBe('QUERY_TOO_COMPLEX');
    expect(anonymous.errors![0].extensions!.maxCost).toBe(500);
    expect(anonymous.status).toBe(400);
    const withToken = await graphqlRequest(server.url, query, {}, owner.token);
    expect(withToken.errors).toBeUndefined();
  });

  it('can still read the event catalogue and introspect the schema as codegen and GraphiQL do', async () => {
    expect(
      dataOf(
        await graphqlRequest<{ eventTypes: unknown[] }, object>(
          server.url,
          '{ eventTypes { key } }',
          {},
          null,
        ),
      ).eventTypes,
    ).toHaveLength(14);
    const introspection = await graphqlRequest(server.url, STANDARD_INTROSPECTION_QUERY, {}, null);
    expect(introspection.errors).toBeUndefined();
  });
});

describe('operation shape limits', () => {
  const aliased = (count: number, field: string) =>
    `{ ${Array.from({ length: count }, (_, index) => `x${index}: ${field}`).join(' ')} }`;

  it('refuses 1,000 aliases of me and 1,600 of eventTypes, with and without a token', async () => {
    const owner = await server.createAccount();
    for (const token of [owner.token, null]) {
      for (const query of [aliased(1000, 'me { id }'), aliased(1600, 'eventTypes { key description }')]) {
        const response = await graphqlRequest(server.url, query, {}, token);
        expect(response.status).toBe(400);
        expect(errorCode(response)).toBe('QUERY_TOO_COMPLEX');
        expect(response.data ?? null).toBeNull();
      }
    }
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES, counting those in fragments, over HTTP and WebSocket', async () => {
    const owner = await server.createAccount();
    const fields = Array.from({ length: 31 }, (_, index) => `k${index}: key`).join(' ');
    const query = `{ eventTypes { ...F } } fragment F on EventTypeInfo { ${fields} }`;
    const response = await graphqlRequest(server.url, query, {}, owner.token);
    expect(errorCode(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.errors![0].extensions!.maxAliases).toBe(30);
    const client = wsClient(server.wsUrl, owner.token);
    const error = await new Promise<unknown>((resolve) => {
      client.subscribe({ query }, { next: () => {}, error: resolve, complete: () => resolve(null) });
    });
    expect(JSON.stringify(error)).toContain('QUERY_TOO_COMPLEX');
    await client.dispose();
    const allowed = Array.from({ length: 30 }, (_, index) => `k${index}: key`).join(' ');
    expect(
      (await graphqlRequest(server.url, `{ eventTypes { ${allowed} } }`, {}, owner.token)).errors,
    ).toBeUndefined();
  });

  it('refuses more top-level fields than GRAPHQL_MAX_ROOT_FIELDS', async () => {
    const owner = await server.createAccount();
    const response = await graphqlRequest(server.url, aliased(21, 'me { id }'), {}, owner.token);
    expect(errorCode(response)).toBe('QUERY_TOO_COMPLEX');
    expect(response.errors![0].extensions).toMatchObject({ rootFields: 21, maxRootFields: 20 });
    expect(
      (await graphqlRequest(server.url, aliased(20, 'me { id }'), {}, owner.token)).errors,
    ).toBeUndefined();
  });

  it('refuses introspection nested deeper than the standard introspection query', async () => {
    let typeRef = 'name';
    for (let level = 0; level < 33; level += 1) typeRef = `ofType { ${typeRef} }`;
    const query = `{ __schema { types { fields { type { ${typeRef} } } } } }`;
    for (const token of [null, (await server.createAccount()).token]) {
      const response = await graphqlRequest(server.url, query, {}, token);
      expect(errorCode(response)).toBe('QUERY_TOO_DEEP');
      expect(response.data ?? null).toBeNull();
    }
  });

  it('refuses a document of more than GRAPHQL_MAX_TOKENS tokens over WebSocket as over HTTP', async () => {
    const owner = await server.createAccount();
    const query = `{ me { ${'id '.repeat(6000)} } }`;
    expect(errorCode(await graphqlRequest(server.url, query, {}, owner.token))).toBe('QUERY_TOO_COMPLEX');
    const client = wsClient(server.wsUrl, owner.token);
    const error = await new Promise<unknown>((resolve) => {
      client.subscribe({ query }, { next: () => {}, error: resolve, complete: () => resolve(null) });
    });
    expect(JSON.stringify(error)).toContain('QUERY_TOO_COMPLEX');
    await client.dispose();
  });
});

describe('metrics', () => {
  const metricsUrl = (target: TestServer) => target.url.replace(/\/graphql$/, '/metrics');

  it('keep a bounded number of operation names, each cut short', async () => {
    const bounded = await startTestServer({ METRICS_MAX_OPERATION_NAMES: '50' });
    try {
      const owner = await bounded.createAccount();
      const before = (await (await fetch(metricsUrl(bounded))).text()).length;
      for (let index = 0; index < 300; index += 1) {
        const name = `Op${index}_${Math.random().toString(36).slice(2)}`;
        await graphqlRequest(bounded.url, `query ${name} { me { id } }`, {}, owner.token);
      }
      for (let index = 0; index < 20; index += 1) {
        const name = `Big${index}${'x'.repeat(200_000)}`;
        await graphqlRequest(bounded.url, `query ${name} { me { id } }`, {}, owner.token);
      }
      const text = await (await fetch(metricsUrl(bounded))).text();
      const names = new Set(
        [...text.matchAll(/^graphql_operations_total\{operation="([^"]*)"/gm)].map((match) => match[1]),
      );
      expect(names.size).toBeLessThanOrEqual(51);
      expect(names.has('other')).toBe(true);
      expect(Math.max(...[...names].map((name) => name.length))).toBeLessThanOrEqual(64);
      expect(text.length - before).toBeLessThan(50_000);
    } finally {
      await bounded.close();
    }
  });

  it('require METRICS_TOKEN when it is set', async () => {
    const guarded = await startTestServer({ METRICS_TOKEN: 'scrape-secret' });
    try {
      expect((await fetch(metricsUrl(guarded))).status).toBe(401);
      const wrong = await fetch(metricsUrl(guarded), { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status).toBe(401);
      const right = await fetch(metricsUrl(guarded), { headers: { authorization: 'Bearer scrape-secret' } });
      expect(right.status).toBe(200);
      expect(await right.text()).toContain('graphql_operations_total');
    } finally {
      await guarded.close();
    }
  });
});

/** connection_ack, or the code the server closed the socket with. */
function connect(url: string, token: string): Promise<number | 'ack'> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, 'graphql-transport-ws');
    socket.on('open', () =>
      socket.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })),
    );
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type !== 'connection_ack') return;
      resolve('ack');
      socket.close();
    });
    socket.on('close', (code) => resolve(code));
  });
}

describe('failed authentications', () => {
  it('never lock a valid token out of its address: 40 stale sockets, then a valid one is acknowledged', async () => {
    const gated = await startTestServer({ AUTH_FAILURES_PER_MINUTE: '30' });
    try {
      const owner = await gated.createAccount();
      const stale: (number | 'ack')[] = [];
      for (let attempt = 0; attempt < 40; attempt += 1)
        stale.push(await connect(gated.wsUrl, 'sn_stale-token'));
      // Bad credentials close with 4403 throughout, never with 4429, which graphql-ws clients take as final.
      expect(stale).toEqual(Array(40).fill(4403));
      expect(await connect(gated.wsUrl, owner.token)).toBe('ack');
      expect(dataOf(await gated.request(MeDocument, {}, owner.token)).me.email).toBe(owner.email);
      // The guesser is still told to slow down over HTTP.
      expect(errorCode(await graphqlRequest(gated.url, MeDocument, {}, 'sn_stale-token'))).toBe(
        'RATE_LIMITED',
      );
    } finally {
      await gated.close();
    }
  });
});

describe('held open', () => {
  it('caps open WebSocket connections per address, and frees a place when one closes', async () => {
    const capped = await startTestServer({ WS_CONNECTIONS_PER_ADDRESS: '3' });
    try {
      const owner = await capped.createAccount();
      const open = await Promise.all(
        Array.from({ length: 3 }, () =>
          subscribe(capped.wsUrl, owner.token, NotificationReceivedDocument, {}),
        ),
      );
      let code = 0;
      const extra = wsClient(capped.wsUrl, owner.token, { onClose: (closeCode) => (code = closeCode) });
      await new Promise<void>((resolve) =>
        extra.subscribe(
          { query: '{ me { id } }' },
          { next: () => {}, error: () => resolve(), complete: () => resolve() },
        ),
      );
      await extra.dispose();
      expect(code).toBe(4429);
      await open[0].dispose();
      // The server frees the place when it sees the close, a moment after the client's dispose.
      let answer: number | 'ack' = 0;
      for (let attempt = 0; attempt < 50 && answer !== 'ack'; attempt += 1) {
        answer = await connect(capped.wsUrl, owner.token);
        if (answer !== 'ack') await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(answer).toBe('ack');
      await Promise.all(open.slice(1).map((subscriber) => subscriber.dispose()));
    } finally {
      await capped.close();
    }
  });

  it('caps live subscriptions per account, however many tokens it mints', async () => {
    const capped = await startTestServer({ SUBSCRIPTIONS_PER_TOKEN: '2', SUBSCRIPTIONS_PER_ACCOUNT: '3' });
    try {
      const owner = await capped.createAccount();
      const stackId = dataOf(
        await capped.request(
          CreateStackDocument,
          { input: { name: 'web', environment: 'production' } },
          owner.token,
        ),
      ).createStack.id;
      const publish = async () =>
        dataOf(
          await capped.request(
            PublishEventDocument,
            { input: { stackId, eventType: 'JOB_FAIL', data: { job: 'backup' } } },
            owner.token,
          ),
        );
      const second = await capped.createToken(owner, [Scope.SETTINGS_READ]);
      const held = [];
      for (const token of [owner.token, owner.token, second]) {
        held.push(await subscribe(capped.wsUrl, token, NotificationReceivedDocument, {}));
      }
      const minted = await capped.createToken(owner, [Scope.SETTINGS_READ]);
      const refused = await subscribe(capped.wsUrl, minted, NotificationReceivedDocument, {});
      await eventually(() => refused.errors.length > 0);
      expect(JSON.stringify(refused.errors)).toContain('RATE_LIMITED');
      await publish();
      // The three held subscriptions are live; the refused one got nothing.
      await Promise.all(held.map((subscriber) => subscriber.waitFor(1)));
      expect(refused.received).toEqual([]);
      const other = await capped.createAccount();
      const fine = await subscribe(capped.wsUrl, other.token, NotificationReceivedDocument, {});
      await held[0].dispose();
      // The place is free once the server has seen the close, a moment after the client's dispose.
      let freed = await subscribe(capped.wsUrl, minted, NotificationReceivedDocument, {});
      for (let attempt = 0; attempt < 50; attempt += 1) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        if (freed.errors.length === 0) break;
        await freed.dispose();
        freed = await subscribe(capped.wsUrl, minted, NotificationReceivedDocument, {});
      }
      await publish();
      await freed.waitFor(1);
      expect(fine.errors).toEqual([]);
      await Promise.all([...held.slice(1), refused, fine, freed].map((subscriber) => subscriber.dispose()));
    } finally {
      await capped.close();
    }
  });
});
