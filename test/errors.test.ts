// Every error code the settings API answers with, and for every refused mutation, proof that nothing was written.
import { randomBytes, randomUUID } from 'node:crypto';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  AddUserDocument,
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateApiTokenDocument,
  CreateStackDocument,
  DeleteStackDocument,
  EventTypesDocument,
  MeDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  RemoveUserDocument,
  RevokeApiTokenDocument,
  SetEventPreferenceDocument,
  SetEventPreferencesDocument,
  SetUserRoleDocument,
  StackDocument,
  StacksDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  UpdateStackDocument,
  type ChannelKind,
  type EventType,
  type Role as RoleName,
  type Scope as ScopeName,
} from './generated/graphql';
import { print } from 'graphql';
import { dataOf, graphqlRequest, type GraphQLResponse } from './helpers/graphql';
import type { Session, TestServer } from './helpers/server';
import { startTestServer } from './helpers/server';
import { socketRequest } from './helpers/ws';
import {
  apnsToken,
  createStack,
  expectError,
  expectNothingWritten,
  unknownEnumValue,
  webPushSubscription,
} from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** An account with a stack that has every shared channel configured, an ADMIN and a MEMBER. */
async function seededAccount() {
  const owner = await server.createAccount();
  const admin = await server.addUser(owner, Role.ADMIN);
  const member = await server.addUser(owner, Role.MEMBER);
  const stackId = await createStack(server, owner);
  const { token } = owner;
  dataOf(
    await server.request(
      ConfigureHipchatDocument,
      { stackId, input: { token: 'hipchat0token', room: 'ops' } },
      token,
    ),
  );
  dataOf(
    await server.request(
      ConfigureSlackDocument,
      { stackId, input: { url: 'https://hooks.slack.com/s/T/B/x' } },
      token,
    ),
  );
  dataOf(
    await server.request(
      ConfigureWebhookDocument,
      { stackId, input: { url: 'https://hooks.example.com/x' } },
      token,
    ),
  );
  return { owner, admin, member, stackId };
}

describe('UNAUTHENTICATED', () => {
  const credentials: [string, (owner: Session) => Promise<Record<string, string>>][] = [
    ['no Authorization header', async () => ({})],
    ['a Basic Authorization header', async () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' })],
    ['"Bearer" without a token', async () => ({ authorization: 'Bearer' })],
    ['a bearer token this service never issues', async () => ({ authorization: 'Bearer not-one-of-ours' })],
    [
      'an unknown token',
      async () => ({ authorization: `Bearer sn_${randomBytes(32).toString('base64url')}` }),
    ],
    [
      'a revoked token',
      async (owner) => {
        const secret = await server.createToken(owner, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
        const { me } = dataOf(await server.request(MeDocument, {}, secret));
        const revoked = me.apiTokens.find((token) => secret.startsWith(token.tokenPrefix))!;
        dataOf(await server.request(RevokeApiTokenDocument, { id: revoked.id }, owner.token));
        return { authorization: `Bearer ${secret}` };
      },
    ],
    [
      'the token of a removed user',
      async (owner) => {
        const member = await server.addUser(owner, Role.ADMIN);
        dataOf(await server.request(RemoveUserDocument, { userId: member.userId }, owner.token));
        return { authorization: `Bearer ${member.token}` };
      },
    ],
  ];

  it.each(credentials)('refuses a query with %s', async (_name, headersFor) => {
    const owner = await server.createAccount();
    const headers = await headersFor(owner);
    expectError(await graphqlRequest(server.url, MeDocument, {}, null, headers), 'UNAUTHENTICATED');
    expectError(await graphqlRequest(server.url, StacksDocument, {}, null, headers), 'UNAUTHENTICATED');
  });

  it.each(credentials)('refuses mutations with %s and writes nothing', async (_name, headersFor) => {
    const { owner, stackId } = await seededAccount();
    const headers = await headersFor(owner);
    const attempts: (() => Promise<GraphQLResponse<unknown>>)[] = [
      () => graphqlRequest(server.url, CreateStackDocument, { input: { name: 'x' } }, null, headers),
      () => graphqlRequest(server.url, DeleteStackDocument, { id: stackId }, null, headers),
      () =>
        graphqlRequest(
          server.url,
          ConfigureSlackDocument,
          { stackId, input: { url: 'https://evil.example.com' } },
          null,
          headers,
        ),
      () =>
        graphqlRequest(
          server.url,
          SetEventPreferenceDocument,
          { stackId, eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false },
          null,
          headers,
        ),
      () =>
        graphqlRequest(
          server.url,
          CreateApiTokenDocument,
          { input: { name: 'x', scopes: ['SETTINGS_READ'] } },
          null,
          headers,
        ),
    ];
    await expectNothingWritten(server, [owner], async () => {
      for (const attempt of attempts) expectError(await attempt(), 'UNAUTHENTICATED');
    });
  });

  it('says why a token was refused: missing, malformed, unknown or revoked', async () => {
    const messages = new Set<string>();
    for (const [, headersFor] of credentials.slice(0, 6)) {
      const owner = await server.createAccount();
      const response = await graphqlRequest(server.url, MeDocument, {}, null, await headersFor(owner));
      messages.add(response.errors![0].message);
    }
    expect(messages.size).toBe(4);
    expect([...messages].some((message) => /revoked/i.test(message))).toBe(true);
  });

  it('answers eventTypes, which is public, whatever the Authorization header says', async () => {
    const response = await graphqlRequest(server.url, EventTypesDocument, {}, null, {
      authorization: 'Bearer junk',
    });
    expect(dataOf(response).eventTypes).toHaveLength(14);
  });
});

describe('FORBIDDEN', () => {
  type Seeded = Awaited<ReturnType<typeof seededAccount>> & { publishOnly: string; readOnly: string };
  const slackInput = { url: 'https://hooks.slack.com/services/other' };
  const cases: [string, (seeded: Seeded) => Promise<GraphQLResponse<unknown>>][] = [
    [
      'an events:publish-only token reading me',
      ({ publishOnly }) => server.request(MeDocument, {}, publishOnly),
    ],
    [
      'an events:publish-only token reading a stack',
      ({ publishOnly, stackId }) => server.request(StackDocument, { id: stackId }, publishOnly),
    ],
    [
      'a settings:read token creating a stack',
      ({ readOnly }) => server.request(CreateStackDocument, { input: { name: 'x' } }, readOnly),
    ],
    [
      'a settings:read token configuring Slack',
      ({ readOnly, stackId }) =>
        server.request(ConfigureSlackDocument, { stackId, input: slackInput }, readOnly),
    ],
    [
      'a settings:read token issuing itself a settings:write token',
      ({ readOnly }) =>
        server.request(
          CreateApiTokenDocument,
          { input: { name: 'up', scopes: ['SETTINGS_WRITE'] } },
          readOnly,
        ),
    ],
    [
      'a MEMBER configuring Hipchat',
      ({ member, stackId }) =>
        server.request(
          ConfigureHipchatDocument,
          { stackId, input: { token: 'other0token', room: 'x' } },
          member.token,
        ),
    ],
    [
      'a MEMBER configuring Slack',
      ({ member, stackId }) =>
        server.request(ConfigureSlackDocument, { stackId, input: slackInput }, member.token),
    ],
    [
      'a MEMBER configuring a webhook',
      ({ member, stackId }) =>
        server.request(
          ConfigureWebhookDocument,
          { stackId, input: { url: 'https://evil.example.com/' } },
          member.token,
        ),
    ],
    [
      'a MEMBER removing a shared channel',
      ({ member, stackId }) =>
        server.request(RemoveChannelDocument, { stackId, kind: 'WEBHOOK' }, member.token),
    ],
    [
      'a MEMBER turning off a shared cell',
      ({ member, stackId }) =>
        server.request(
          SetEventPreferenceDocument,
          { stackId, eventType: 'JOB_FAIL', channel: 'HIPCHAT', enabled: false },
          member.token,
        ),
    ],
    [
      'a MEMBER creating a stack',
      ({ member }) => server.request(CreateStackDocument, { input: { name: 'mine' } }, member.token),
    ],
    [
      'a MEMBER renaming a stack',
      ({ member, stackId }) =>
        server.request(UpdateStackDocument, { id: stackId, input: { name: 'mine' } }, member.token),
    ],
    [
      'a MEMBER deleting a stack',
      ({ member, stackId }) => server.request(DeleteStackDocument, { id: stackId }, member.token),
    ],
    [
      'a MEMBER adding a user',
      ({ member }) =>
        server.request(
          AddUserDocument,
          { input: { email: 'friend@example.com', name: 'Friend' } },
          member.token,
        ),
    ],
    [
      'a MEMBER promoting themselves',
      ({ member }) =>
        server.request(SetUserRoleDocument, { userId: member.userId, role: 'ADMIN' }, member.token),
    ],
    [
      'a MEMBER removing a user',
      ({ member, admin }) => server.request(RemoveUserDocument, { userId: admin.userId }, member.token),
    ],
    [
      'an ADMIN adding an OWNER',
      ({ admin }) =>
        server.request(
          AddUserDocument,
          { input: { email: 'boss@example.com', name: 'Boss', role: 'OWNER' } },
          admin.token,
        ),
    ],
    [
      'an ADMIN granting OWNER',
      ({ admin, member }) =>
        server.request(SetUserRoleDocument, { userId: member.userId, role: 'OWNER' }, admin.token),
    ],
  ];

  it.each(cases)('refuses %s and writes nothing', async (_name, attempt) => {
    const account = await seededAccount();
    const seeded = {
      ...account,
      publishOnly: await server.createToken(account.owner, [Scope.EVENTS_PUBLISH]),
      readOnly: await server.createToken(account.owner, [Scope.SETTINGS_READ]),
    };
    await expectNothingWritten(server, [seeded.owner, seeded.member], async () => {
      expectError(await attempt(seeded), 'FORBIDDEN');
    });
  });
});

describe('NOT_FOUND', () => {
  type Attempt = (session: Session, id: string) => Promise<GraphQLResponse<unknown>>;
  const byStackId: [string, Attempt][] = [
    ['stack', (s, id) => server.request(StackDocument, { id }, s.token)],
    ['updateStack', (s, id) => server.request(UpdateStackDocument, { id, input: { name: 'x' } }, s.token)],
    ['deleteStack', (s, id) => server.request(DeleteStackDocument, { id }, s.token)],
    [
      'configureHipchat',
      (s, stackId) =>
        server.request(
          ConfigureHipchatDocument,
          { stackId, input: { token: 'hipchat0token', room: 'x' } },
          s.token,
        ),
    ],
    [
      'configureSlack',
      (s, stackId) =>
        server.request(
          ConfigureSlackDocument,
          { stackId, input: { url: 'https://a.example.com/' } },
          s.token,
        ),
    ],
    [
      'configureWebhook',
      (s, stackId) =>
        server.request(
          ConfigureWebhookDocument,
          { stackId, input: { url: 'https://a.example.com/' } },
          s.token,
        ),
    ],
    [
      'removeChannel',
      (s, stackId) => server.request(RemoveChannelDocument, { stackId, kind: 'SLACK' }, s.token),
    ],
    [
      'setEventPreference',
      (s, stackId) =>
        server.request(
          SetEventPreferenceDocument,
          { stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false },
          s.token,
        ),
    ],
    [
      'setEventPreferences',
      (s, stackId) =>
        server.request(
          SetEventPreferencesDocument,
          { stackId, changes: [{ eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false }] },
          s.token,
        ),
    ],
  ];
  const byOtherId: [string, Attempt][] = [
    ['setUserRole', (s, userId) => server.request(SetUserRoleDocument, { userId, role: 'ADMIN' }, s.token)],
    ['removeUser', (s, userId) => server.request(RemoveUserDocument, { userId }, s.token)],
    ['revokeApiToken', (s, id) => server.request(RevokeApiTokenDocument, { id }, s.token)],
  ];
  const badIds = ['a missing id', 'a non-UUID id', 'an SQL-looking id', 'a 10,000-character id'];
  const idFor = (kind: string) =>
    ({
      'a missing id': randomUUID(),
      'a non-UUID id': 'stack-1',
      'an SQL-looking id': "' OR '1'='1",
      'a 10,000-character id': 'x'.repeat(10_000),
    })[kind]!;

  it.each([...byStackId, ...byOtherId])(
    'answers %s with NOT_FOUND for missing and malformed ids',
    async (_name, attempt) => {
      const { owner } = await seededAccount();
      await expectNothingWritten(server, [owner], async () => {
        const messages = new Set<string>();
        for (const kind of badIds) {
          const response = await attempt(owner, idFor(kind));
          expectError(response, 'NOT_FOUND');
          messages.add(response.errors![0].message);
        }
        expect(messages.size).toBe(1);
      });
    },
  );

  it('answers removing a shared channel that was never configured with NOT_FOUND', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    await expectNothingWritten(server, [owner], async () => {
      expectError(
        await server.request(RemoveChannelDocument, { stackId, kind: 'HIPCHAT' }, owner.token),
        'NOT_FOUND',
      );
    });
  });

  it('answers unregistering an unknown device or subscription with NOT_FOUND', async () => {
    const owner = await server.createAccount();
    expectError(
      await server.request(UnregisterIosDeviceDocument, { token: apnsToken() }, owner.token),
      'NOT_FOUND',
    );
    const endpoint = 'https://push.example.com/unknown';
    expectError(
      await server.request(UnregisterWebPushSubscriptionDocument, { endpoint }, owner.token),
      'NOT_FOUND',
    );
  });
});

describe('BAD_USER_INPUT', () => {
  type Seeded = Awaited<ReturnType<typeof seededAccount>>;
  type Case = [name: string, field: string, attempt: (seeded: Seeded) => Promise<GraphQLResponse<unknown>>];
  const long = 'x'.repeat(10_000);

  const slack =
    (url: string, channel?: string): Case[2] =>
    ({ owner, stackId }) =>
      server.request(ConfigureSlackDocument, { stackId, input: { url, channel } }, owner.token);
  const webhook =
    (url: string): Case[2] =>
    ({ owner, stackId }) =>
      server.request(ConfigureWebhookDocument, { stackId, input: { url } }, owner.token);
  const hipchat =
    (token: string, room: string): Case[2] =>
    ({ owner, stackId }) =>
      server.request(ConfigureHipchatDocument, { stackId, input: { token, room } }, owner.token);
  const webPush =
    (change: (input: ReturnType<typeof webPushSubscription>) => void): Case[2] =>
    ({ owner }) => {
      const input = webPushSubscription();
      change(input);
      return server.request(RegisterWebPushSubscriptionDocument, { input }, owner.token);
    };
  const offCurveKey = Buffer.concat([Buffer.from([4]), Buffer.alloc(64, 7)]).toString('base64url');

  const badUrls: [string, string][] = [
    ['a URL that is not absolute', 'hooks.example.com/in'],
    ['an empty URL', ''],
    ['a URL with an ftp scheme', 'ftp://hooks.example.com/in'],
    ['a javascript: URL', 'javascript:alert(1)'],
    ['a file: URL', 'file:///etc/passwd'],
    ['a URL with credentials', 'https://user:secret@hooks.example.com/in'],
    ['a 10,000-character URL', `https://hooks.example.com/${long}`],
  ];

  const cases: Case[] = [
    ...badUrls.map(([name, url]): Case => [`a Slack URL: ${name}`, 'url', slack(url)]),
    ...badUrls.map(([name, url]): Case => [`a webhook URL: ${name}`, 'url', webhook(url)]),
    ...badUrls.map(([name, url]): Case => [
      `a Web Push endpoint: ${name}`,
      'endpoint',
      webPush((i) => (i.endpoint = url)),
    ]),
    ['a Slack channel name with spaces', 'channel', slack('https://hooks.slack.com/x', 'two words')],
    ['a 10,000-character Slack channel name', 'channel', slack('https://hooks.slack.com/x', long)],
    ['an empty Hipchat room', 'room', hipchat('hipchat0token', '')],
    ['a blank Hipchat room', 'room', hipchat('hipchat0token', '   ')],
    ['a 10,000-character Hipchat room', 'room', hipchat('hipchat0token', long)],
    ['a Hipchat token that is too short', 'token', hipchat('abc', 'ops')],
    ['a Hipchat token with spaces', 'token', hipchat('not a token at all', 'ops')],
    ['a 10,000-character Hipchat token', 'token', hipchat(long, 'ops')],
    [
      'a blank stack name',
      'name',
      ({ owner }) => server.request(CreateStackDocument, { input: { name: '   ' } }, owner.token),
    ],
    [
      'an empty stack name',
      'name',
      ({ owner }) => server.request(CreateStackDocument, { input: { name: '' } }, owner.token),
    ],
    [
      'a 10,000-character stack name',
      'name',
      ({ owner }) => server.request(CreateStackDocument, { input: { name: long } }, owner.token),
    ],
    [
      'a blank stack environment',
      'environment',
      ({ owner }) =>
        server.request(CreateStackDocument, { input: { name: 'x', environment: ' ' } }, owner.token),
    ],
    [
      'a 10,000-character stack environment',
      'environment',
      ({ owner }) =>
        server.request(CreateStackDocument, { input: { name: 'x', environment: long } }, owner.token),
    ],
    [
      'renaming a stack to a blank name',
      'name',
      ({ owner, stackId }) =>
        server.request(UpdateStackDocument, { id: stackId, input: { name: '  ' } }, owner.token),
    ],
    [
      'renaming a stack to a 10,000-character name',
      'name',
      ({ owner, stackId }) =>
        server.request(UpdateStackDocument, { id: stackId, input: { name: long } }, owner.token),
    ],
    [
      'a 10,000-character user name',
      'name',
      ({ owner }) =>
        server.request(AddUserDocument, { input: { email: 'new@example.com', name: long } }, owner.token),
    ],
    [
      'a 10,000-character token name',
      'name',
      ({ owner }) =>
        server.request(
          CreateApiTokenDocument,
          { input: { name: long, scopes: ['SETTINGS_READ'] } },
          owner.token,
        ),
    ],
    [
      'an APNs token that is not hex',
      'token',
      ({ owner }) =>
        server.request(RegisterIosDeviceDocument, { input: { token: 'z'.repeat(64) } }, owner.token),
    ],
    [
      'an APNs token that is too short',
      'token',
      ({ owner }) =>
        server.request(RegisterIosDeviceDocument, { input: { token: 'ab'.repeat(16) } }, owner.token),
    ],
    [
      'a 10,000-character APNs token',
      'token',
      ({ owner }) =>
        server.request(RegisterIosDeviceDocument, { input: { token: 'a'.repeat(10_000) } }, owner.token),
    ],
    [
      'a 10,000-character device name',
      'deviceName',
      ({ owner }) =>
        server.request(
          RegisterIosDeviceDocument,
          { input: { token: apnsToken(), deviceName: long } },
          owner.token,
        ),
    ],
    ['a Web Push p256dh key that is too short', 'keys.p256dh', webPush((i) => (i.keys.p256dh = 'BAAA'))],
    [
      'a Web Push p256dh key that is not on the P-256 curve',
      'keys.p256dh',
      webPush((i) => (i.keys.p256dh = offCurveKey)),
    ],
    [
      'a compressed Web Push p256dh key',
      'keys.p256dh',
      webPush((i) => {
        const key = Buffer.from(i.keys.p256dh, 'base64url');
        i.keys.p256dh = Buffer.concat([Buffer.from([2 + (key[64] & 1)]), key.subarray(1, 33)]).toString(
          'base64url',
        );
      }),
    ],
    [
      'a Web Push auth secret of 15 bytes',
      'keys.auth',
      webPush((i) => (i.keys.auth = randomBytes(15).toString('base64url'))),
    ],
    [
      'a Web Push auth secret that is not base64url',
      'keys.auth',
      webPush((i) => (i.keys.auth = 'not/base64+url!!!!!!!')),
    ],
    [
      'removing the personal EMAIL channel',
      'kind',
      ({ owner, stackId }) => server.request(RemoveChannelDocument, { stackId, kind: 'EMAIL' }, owner.token),
    ],
  ];

  it.each(cases)('refuses %s, naming %s, and writes nothing', async (_name, field, attempt) => {
    const seeded = await seededAccount();
    await expectNothingWritten(server, [seeded.owner], async () => {
      expectError(await attempt(seeded), 'BAD_USER_INPUT', field);
    });
  });

  // Apollo coerces variables before any resolver runs and answers BAD_USER_INPUT with HTTP 400; the message names
  // the variable and the path inside it.
  const coercionCases: [
    name: string,
    names: string,
    attempt: (seeded: Seeded) => Promise<GraphQLResponse<unknown>>,
  ][] = [
    [
      'an unknown event type',
      '$eventType',
      ({ owner, stackId }) =>
        server.request(
          SetEventPreferenceDocument,
          {
            stackId,
            eventType: unknownEnumValue<EventType>('JOB_EXPLODED'),
            channel: 'EMAIL',
            enabled: false,
          },
          owner.token,
        ),
    ],
    [
      'an unknown channel kind',
      '$channel',
      ({ owner, stackId }) =>
        server.request(
          SetEventPreferenceDocument,
          { stackId, eventType: 'JOB_FAIL', channel: unknownEnumValue<ChannelKind>('SMS'), enabled: false },
          owner.token,
        ),
    ],
    [
      'an unknown channel kind to remove',
      '$kind',
      ({ owner, stackId }) =>
        server.request(
          RemoveChannelDocument,
          { stackId, kind: unknownEnumValue<ChannelKind>('FAX') },
          owner.token,
        ),
    ],
    [
      'an unknown role',
      '$role',
      ({ owner, member }) =>
        server.request(
          SetUserRoleDocument,
          { userId: member.userId, role: unknownEnumValue<RoleName>('ROOT') },
          owner.token,
        ),
    ],
    [
      'an unknown role for a new user',
      'input.role',
      ({ owner }) =>
        server.request(
          AddUserDocument,
          { input: { email: 'x@example.com', name: 'X', role: unknownEnumValue<RoleName>('GOD') } },
          owner.token,
        ),
    ],
    [
      'an unknown scope',
      'input.scopes',
      ({ owner }) =>
        server.request(
          CreateApiTokenDocument,
          { input: { name: 'x', scopes: [unknownEnumValue<ScopeName>('admin:all')] } },
          owner.token,
        ),
    ],
    [
      'an invalid email address',
      'input.email',
      ({ owner }) =>
        server.request(AddUserDocument, { input: { email: 'not-an-email', name: 'X' } }, owner.token),
    ],
    [
      'a missing required field',
      'input',
      ({ owner, stackId }) =>
        server.request(
          ConfigureHipchatDocument,
          { stackId, input: { token: 'hipchat0token' } as never },
          owner.token,
        ),
    ],
  ];

  it.each(coercionCases)(
    'refuses %s sent as a variable, naming %s, and writes nothing',
    async (_name, names, attempt) => {
      const seeded = await seededAccount();
      await expectNothingWritten(server, [seeded.owner], async () => {
        const response = await attempt(seeded);
        expectError(response, 'BAD_USER_INPUT');
        expect(response.status).toBe(400);
        expect(response.errors![0].message).toContain(names);
      });
    },
  );
});

describe('malformed GraphQL', () => {
  // Deliberately hand-written: no code generator emits these.
  it('answers a syntax error with GRAPHQL_PARSE_FAILED', async () => {
    const owner = await server.createAccount();
    expectError(await server.request('query { me { id }', {}, owner.token), 'GRAPHQL_PARSE_FAILED');
  });

  it('answers an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const owner = await server.createAccount();
    expectError(
      await server.request('query { me { password } }', {}, owner.token),
      'GRAPHQL_VALIDATION_FAILED',
    );
  });

  it('answers an enum literal the schema does not know with GRAPHQL_VALIDATION_FAILED and writes nothing', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(server, owner);
    await expectNothingWritten(server, [owner], async () => {
      const mutation = `mutation { removeChannel(stackId: "${stackId}", kind: SMS) { kind } }`;
      expectError(await server.request(mutation, {}, owner.token), 'GRAPHQL_VALIDATION_FAILED');
    });
  });
});

describe('CSRF prevention', () => {
  const get = (query: string, headers: Record<string, string> = {}) =>
    fetch(`${server.url}?query=${encodeURIComponent(query)}`, { headers }).then(async (response) => ({
      status: response.status,
      ...((await response.json()) as Omit<GraphQLResponse<unknown>, 'status'>),
    }));

  it('answers a plain GET that carries a bearer token, as urql sends queries', async () => {
    const owner = await server.createAccount();
    const response = await get('{ me { id } }', { authorization: `Bearer ${owner.token}` });
    expect(response.status).toBe(200);
    expect(dataOf(response)).toEqual({ me: { id: expect.any(String) } });
  });

  it('lets a GET with another Authorization scheme past CSRF prevention, to be refused as UNAUTHENTICATED', async () => {
    const response = await get('{ me { id } }', { authorization: 'Basic dXNlcjpwYXNzd29yZA==' });
    expectError(response, 'UNAUTHENTICATED');
  });

  it('refuses a plain GET without Authorization as a possible CSRF, even for a public query', async () => {
    const response = await get('{ eventTypes { description } }');
    expect(response.status).toBe(400);
    expectError(response, 'BAD_REQUEST');
    expect(response.errors![0].message).toContain('Cross-Site Request Forgery');
  });

  it('refuses a text/plain POST without Authorization as a possible CSRF', async () => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ eventTypes { description } }' }),
    });
    const body = (await response.json()) as Omit<GraphQLResponse<unknown>, 'status'>;
    expect(response.status).toBe(400);
    expectError({ status: response.status, ...body }, 'BAD_REQUEST');
    expect(body.errors![0].message).toContain('Cross-Site Request Forgery');
  });
});

describe('the same codes over HTTP and WebSocket', () => {
  const deep = (depth: number) => {
    let selection = 'id';
    for (let level = 0; level < depth; level += 1) selection = `account { users { ${selection} } }`;
    return `{ me { ${selection} } }`;
  };
  const aliases = Array.from({ length: 40 }, (_, index) => `a${index}: stacks(first: 100) { nodes { id } }`);
  const slack = print(ConfigureSlackDocument);
  const cases: [string, string, Record<string, unknown>, { code: string; field?: string }][] = [
    ['a syntax error', 'query { me { id }', {}, { code: 'GRAPHQL_PARSE_FAILED' }],
    ['an unknown field', 'query { me { password } }', {}, { code: 'GRAPHQL_VALIDATION_FAILED' }],
    [
      'a variable of the wrong type',
      slack,
      { stackId: randomUUID(), input: { url: 42 } },
      { code: 'BAD_USER_INPUT', field: 'input.url' },
    ],
    [
      'a missing required variable',
      slack,
      { input: { url: 'https://hooks.slack.com/s/T/B/x' } },
      { code: 'BAD_USER_INPUT', field: 'stackId' },
    ],
    ['a query too deep', deep(25), {}, { code: 'QUERY_TOO_DEEP' }],
    ['a query too complex', `{ ${aliases.join(' ')} }`, {}, { code: 'QUERY_TOO_COMPLEX' }],
  ];

  it.each(cases)('answers %s with the same code', async (_name, query, variables, expected) => {
    const owner = await server.createAccount();
    const first = (errors: GraphQLResponse<unknown>['errors']) => {
      const extensions = errors?.[0]?.extensions ?? {};
      return { code: extensions.code, ...(extensions.field ? { field: extensions.field } : {}) };
    };
    const overHttp = await graphqlRequest(server.url, query, variables, owner.token);
    const overSocket = await socketRequest(server.wsUrl, query, variables, owner.token);
    expect({ http: first(overHttp.errors), ws: first(overSocket.errors) }).toEqual({
      http: expected,
      ws: expected,
    });
  });
});
