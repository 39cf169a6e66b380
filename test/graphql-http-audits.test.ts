// The GraphQL over HTTP audit suite (graphql-http's serverAudits) against our /graphql, one test per audit, with a
// valid token on every request: no audit may fail at "error" level (a MUST), and each "warn" (a SHOULD) we do not
// meet is listed below with the reason, as in the README. A new warning, or a listed one that no longer occurs,
// fails the suite so the list stays true.
import { serverAudits, type AuditResult } from 'graphql-http';
import { startTestServer, type Session, type TestServer } from './helpers/server';

/** SHOULD-level audits we knowingly do not meet, and why. */
const TOLERATED_WARNINGS: Record<string, string> = {
  // Apollo Server answers a request that never reaches execution with 400, whatever the Accept header; the
  // legacy application/json media type asks for 200 there. Clients asking for application/graphql-response+json
  // (the spec's recommended type) get exactly the status codes the spec requires.
  '572B': 'document parsing failure answered 400, not 200, under Accept: application/json',
  FDE2: 'document validation failure answered 400, not 200, under Accept: application/json',
  '7B9B': 'variable coercion failure answered 400, not 200, under Accept: application/json',
};

let server: TestServer;
let owner: Session;
const warnings = new Map<string, string>();
const notices = new Map<string, string>();

beforeAll(async () => {
  server = await startTestServer();
  owner = await server.createAccount();
});
afterAll(async () => {
  const lines = [...warnings, ...notices].map(([name, reason]) => `  ${name}: ${reason}`);
  if (lines.length) console.log(`graphql-http audits below "ok":\n${lines.join('\n')}`);
  await server?.close();
});

const audits = serverAudits({
  url: () => server.url,
  fetchFn: (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${owner.token}`);
    return fetch(input, { ...init, headers });
  },
});

function describeFailure(result: Exclude<AuditResult, { status: 'ok' }>): string {
  return `${result.id} ${result.name}: ${result.reason}`;
}

describe('GraphQL over HTTP audits', () => {
  it.each(audits.map((audit) => [audit.id, audit.name, audit] as const))(
    '%s %s',
    async (_id, _name, audit) => {
      const result = await audit.fn();
      if (result.status === 'ok') return;
      if (result.status === 'error') throw new Error(describeFailure(result));
      if (result.status === 'warn') {
        warnings.set(`${result.id} ${result.name}`, result.reason);
        expect({ id: result.id, tolerated: result.id in TOLERATED_WARNINGS }).toEqual({
          id: result.id,
          tolerated: true,
        });
      } else {
        // MAY-level. With a token every request passes CSRF prevention, and none falls short.
        notices.set(`${result.id} ${result.name}`, result.reason);
        throw new Error(describeFailure(result));
      }
    },
  );

  it('tolerates only warnings that still occur', () => {
    const occurred = [...warnings.keys()].map((name) => name.split(' ')[0]).sort();
    expect(occurred).toEqual(Object.keys(TOLERATED_WARNINGS).sort());
  });
});
