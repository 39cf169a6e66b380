// Input fuzz: thousands of generated invalid inputs (fast-check, fixed seed) over every mutation, sent over HTTP in
// parallel. Each is refused with a client error code (never INTERNAL_SERVER_ERROR), the server keeps serving, and
// the database is exactly as it was. Every case makes one field invalid (or breaks the shape of the input) and
// leaves the rest valid, so a case that is accepted is a validation gap, reported with its input.
import { Weekday } from '../src/modules/noise/quiet-hours';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import fc from 'fast-check';
import { print } from 'graphql';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { ChannelKind, EventType } from '../src/modules/events/event-types';
import { createSchema } from '../src/schema';
import {
  AddUserDocument,
  ClearDigestDocument,
  ClearFlappingDocument,
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateApiTokenDocument,
  CreateChannelDocument,
  CreateStackDocument,
  DeleteChannelDocument,
  DeleteStackDocument,
  MarkNotificationsReadDocument,
  MeDocument,
  PublishEventDocument,
  RedeliverDeliveriesDocument,
  RedeliverDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RemoveChannelDocument,
  RemoveMessageTemplateDocument,
  RemoveIosDeviceDocument,
  RemoveUserDocument,
  RevokeApiTokenDocument,
  RotateChannelSigningSecretDocument,
  RotateWebhookSecretDocument,
  ClearEventSeverityDocument,
  PublishNoiseEventDocument,
  ResolveIncidentDocument,
  SetEventPreferenceDocument,
  SetEventSeverityDocument,
  SetEventPreferencesDocument,
  SetDigestDocument,
  SetFlappingDocument,
  SetMessageTemplateDocument,
  SetQuietHoursDocument,
  SetUserRoleDocument,
  StackDeliveriesDocument,
  TestChannelDocument,
  UnregisterIosDeviceDocument,
  UnregisterWebPushSubscriptionDocument,
  UpdateChannelDocument,
  UpdateStackDocument,
} from './generated/graphql';
import { databaseFingerprint } from './helpers/database-fingerprint';
import { dataOf } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';
import { apnsToken, webPushSubscription } from './helpers/settings-fixtures';

const SEED = 20261127;
const CASES_PER_MUTATION = 230;
const PARALLEL_REQUESTS = 24;
/** A public address (no DNS needed, nothing is sent at configuration time) that passes the SSRF guard. */
const PUBLIC = 'https://8.8.8.8';

let server: TestServer;

beforeAll(async () => {
  // The SSRF guard is on, so private and loopback targets are invalid too; no worker, so no row moves by itself.
  server = await startTestServer({ WORKERS: '0', ALLOW_PRIVATE_NETWORK_TARGETS: 'false' });
});
afterAll(async () => {
  await server?.close();
});

/** Account F, whose valid ids fill the fields a case leaves valid, and account G, whose ids are foreign to F. */
async function fixture() {
  const owner = await server.createAccount();
  const member = await server.addUser(owner, Role.MEMBER);
  const request = <R, V>(document: TypedDocumentNode<R, V>, variables: V, token = owner.token) =>
    server.request(document, variables, token).then(dataOf);
  const stackId = (await request(CreateStackDocument, { input: { name: 'fuzzed' } })).createStack.id;
  const published = (
    await request(PublishNoiseEventDocument, {
      input: { stackId, eventType: 'JOB_FAIL', data: { job: 'nightly' } },
    })
  ).publishEvent;
  const notificationId = published.id;
  const { stack } = await request(StackDeliveriesDocument, { id: stackId, first: 1 });
  const tokenId = (
    await request(CreateApiTokenDocument, { input: { name: 'spare', scopes: ['SETTINGS_READ'] } })
  ).createApiToken.token.id;

  await request(SetMessageTemplateDocument, {
    input: { stackId, channel: 'EMAIL', eventType: 'JOB_FAIL', template: '{{ title }}' },
  });
  // The member's, so that F's owner has no iOS device (testChannel on IOS stays refused): removeIosDevice with its id
  // is refused as well, and every case keeps the shape of a real device id.
  const deviceId = (
    await request(
      RegisterIosDeviceDocument,
      { input: { token: 'ab'.repeat(32), deviceName: 'phone' } },
      member.token,
    )
  ).registerIosDevice.id;

  const other = await server.createAccount();
  const otherStack = (await request(CreateStackDocument, { input: { name: 'other' } }, other.token))
    .createStack.id;
  const otherPublished = (
    await request(
      PublishNoiseEventDocument,
      { input: { stackId: otherStack, eventType: 'JOB_FAIL', data: {} } },
      other.token,
    )
  ).publishEvent;
  const otherNotification = otherPublished.id;
  const otherDevice = (
    await request(
      RegisterIosDeviceDocument,
      { input: { token: 'cd'.repeat(32), deviceName: 'theirs' } },
      other.token,
    )
  ).registerIosDevice.id;
  return {
    token: owner.token,
    stackId,
    notificationId,
    incidentId: published.incident!.id,
    deliveryId: stack.deliveries.edges[0].node.id,
    memberId: member.userId,
    tokenId,
    deviceId,
    /** Ids that exist, in account G: to F they must be as unknown as random ones. */
    foreignIds: [
      other.accountId,
      other.userId,
      otherStack,
      otherNotification,
      otherPublished.incident!.id,
      otherDevice,
    ],
  };
}

type Fixture = Awaited<ReturnType<typeof fixture>>;

// ---- Invalid values, by what a field expects ----------------------------------------------------------------

const SPECIAL_STRINGS = [
  "' OR '1'='1",
  '"; DROP TABLE stacks; --',
  '../../../etc/passwd',
  '%00',
  '\u0000',
  'a\u0000b',
  '${jndi:ldap://127.0.0.1/a}',
  '<script>alert(1)</script>',
  '\u202e\u200b',
  '\ud800',
  '🔥'.repeat(40),
  'null',
  'undefined',
  '-1',
  '1e309',
  'NaN',
  '{}',
  '[]',
];

const junkString = (maxLength = 60) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.constantFrom(...SPECIAL_STRINGS),
  );

/** Longer than `max` characters (code points, as the validators count), sometimes far longer. */
const oversize = (max: number) =>
  fc
    .oneof(
      {
        weight: 9,
        arbitrary: fc.tuple(fc.integer({ min: 1, max: 300 }), fc.constantFrom('x', 'é', '🔑', 'a ')),
      },
      { weight: 1, arbitrary: fc.tuple(fc.constant(100_000), fc.constant('y')) },
    )
    .map(([extra, unit]) => unit.repeat(Math.ceil((max + extra) / [...unit].length)));

/** Text that holds U+0000 but is otherwise fine: PostgreSQL cannot store it. */
const withNul = (max: number) =>
  fc.string({ maxLength: Math.max(0, max - 2) }).map((text) => `${text}\u0000x`);

/** Values of the wrong JSON type for a field; `null` only where the field is non-null. */
const wrongType = (options: { nullable?: boolean; numbers?: boolean; booleans?: boolean } = {}) =>
  fc.oneof(
    ...(options.numbers === false ? [] : [fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true })]),
    ...(options.booleans === false ? [] : [fc.boolean()]),
    fc.array(fc.integer(), { minLength: 2, maxLength: 3 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 5 }), fc.string({ maxLength: 5 }), {
      minKeys: 1,
      maxKeys: 3,
    }),
    ...(options.nullable ? [] : [fc.constant(null)]),
  );

/** An id that names nothing of the caller's: unknown, malformed, oversize, another account's, the wrong type. */
const badId = (foreignIds: string[]) =>
  fc.oneof(
    fc.uuid(),
    junkString(),
    oversize(36),
    fc.constant(''),
    fc.constantFrom(...foreignIds),
    wrongType({ numbers: false }),
  );

/** Free text of min..max characters; `blank` when the service also refuses whitespace only. */
const badText = (max: number, options: { nullable?: boolean; blank?: boolean } = {}) =>
  fc.oneof(
    fc.constant(''),
    oversize(max),
    withNul(max),
    wrongType({ nullable: options.nullable }),
    ...(options.blank ? [fc.constantFrom(' ', '   ', '\t\n')] : []),
  );

/** A string the pattern refuses. */
const badPattern = (pattern: RegExp, options: { nullable?: boolean; max?: number } = {}) =>
  fc.oneof(
    junkString().filter((value) => !pattern.test(value)),
    oversize(options.max ?? 300),
    wrongType({ nullable: options.nullable }),
  );

function isAcceptedUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return ['http:', 'https:'].includes(url.protocol) && Boolean(url.hostname);
  } catch {
    return false;
  }
}

const PRIVATE_TARGETS = [
  'http://127.0.0.1/hook',
  'http://[::1]/hook',
  'http://10.1.2.3/',
  'http://172.16.0.1/',
  'http://192.168.1.1/',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/',
  'http://[fd00::1]/',
  'http://[::ffff:127.0.0.1]/',
  'http://0.0.0.0/',
  'http://localhost:4000/graphql',
];

const badUrl = fc.oneof(
  junkString(120).filter((value) => !isAcceptedUrl(value)),
  fc
    .tuple(
      fc.webUrl(),
      fc.constantFrom('ftp', 'file', 'javascript', 'data', 'gopher', 'ws', 'mailto', 'HTTP+unix'),
    )
    .map(([url, scheme]) => url.replace(/^https?/, scheme)),
  fc.webUrl().map((url) => url.replace('://', '://user:secret@')),
  fc.constantFrom(...PRIVATE_TARGETS),
  fc.constantFrom(
    '/relative/path',
    '//no-scheme.example.com/x',
    'http://',
    'https:///x',
    'http:// spaced.example/',
  ),
  fc.webUrl().map((url) => `${url}/${'a'.repeat(2100)}`),
  wrongType(),
);

const EMAIL_LIKE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const badEmail = fc.oneof(
  junkString().filter((value) => !EMAIL_LIKE.test(value)),
  fc.constant(`${'a'.repeat(250)}@example.com`),
  fc.constantFrom('a@', '@example.com', 'a b@example.com', 'a@@example.com', 'a@example'),
  wrongType(),
);

const badEnum = (values: readonly string[], options: { nullable?: boolean } = {}) =>
  fc.oneof(
    junkString().filter((value) => !values.includes(value)),
    fc.constantFrom(...values.map((value) => value.toLowerCase()), ...values.map((value) => ` ${value}`)),
    wrongType({ nullable: options.nullable }),
  );

const EVENT_TYPES = Object.keys(EventType);
const CHANNELS = Object.keys(ChannelKind);
const ROLES = Object.keys(Role);
const SCOPES = Object.keys(Scope);

/** Templates that do not parse, name what does not exist, read files or exceed the render limits. */
const badTemplate = fc.oneof(
  fc.constantFrom(
    '{% if %}x{% endif %}',
    '{{ titel }}',
    '{{ title | shout }}',
    '{{ title',
    '{% include "x" %}',
    '{% render "x" %}',
    '{% layout "x" %}',
    '{% for i in (1..100000000) %}x{% endfor %}',
    '{{ stack.owner.password }}',
  ),
  fc.constantFrom(' ', '\n\t'),
);

const validChange = fc.record({
  eventType: fc.constantFrom(...EVENT_TYPES),
  channel: fc.constantFrom(...CHANNELS),
  enabled: fc.boolean(),
});

const badChanges = fc.oneof(
  fc.constant([]),
  validChange.map((change) => [change, change]),
  fc.array(validChange, { minLength: 85, maxLength: 90 }),
  fc.tuple(validChange, badEnum(EVENT_TYPES)).map(([change, eventType]) => [{ ...change, eventType }]),
  fc.tuple(validChange, badEnum(CHANNELS)).map(([change, channel]) => [{ ...change, channel }]),
  fc.tuple(validChange, wrongType({ booleans: false })).map(([change, enabled]) => [{ ...change, enabled }]),
  validChange.map(({ enabled: _enabled, ...partial }) => [partial]),
  validChange.map((change) => [{ ...change, extra: true }]),
  wrongType(),
);

const badScopes = fc.oneof(
  fc.constant([]),
  fc.array(fc.constantFrom(...SCOPES), { minLength: 4, maxLength: 8 }),
  fc.array(badEnum(SCOPES), { minLength: 1, maxLength: 3 }),
  fc.constantFrom(['settings:read'], ['SETTINGS_READ', 'ADMIN']),
);

/** Nested `depth` levels deep, as objects or as arrays under one key. */
function nested(depth: number, arrays: boolean): Record<string, unknown> {
  let value: unknown = 'leaf';
  for (let level = 1; level < depth; level += 1) value = arrays ? [value] : { a: value };
  return arrays ? { a: value } : (value as Record<string, unknown>);
}

const badData = fc.oneof(
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 5 }),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.integer({ min: 1, max: 4000 }).map((extra) => ({ padding: 'x'.repeat(64 * 1024 + extra) })),
  fc.tuple(fc.integer({ min: 34, max: 1500 }), fc.boolean()).map(([depth, arrays]) => nested(depth, arrays)),
  fc.constant({ padding: 'z'.repeat(1_200_000) }),
  fc.jsonValue({ maxDepth: 2 }).map((value) => ({ 'key\u0000': value })),
  fc.string({ maxLength: 20 }).map((text) => ({ message: `${text}\u0000` })),
);

const badDate = fc.oneof(
  junkString().filter((value) => !/^\d{4}-\d{2}-\d{2}T/.test(value)),
  fc.constantFrom(
    '2024-13-01T00:00:00Z',
    '2024-02-30T10:00:00Z',
    '2024-01-01T25:00:00Z',
    '275760-09-13T00:00:00.001Z',
    '2024-01-01',
    'yesterday',
    '2024-01-01T00:00:00+25:00',
  ),
  wrongType({ nullable: true, numbers: false }),
);

// ---- What each mutation is called with ----------------------------------------------------------------------

interface FuzzTarget {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  document: TypedDocumentNode<any, any>;
  /** Valid variables: every case changes one part of them. */
  valid(f: Fixture): Record<string, unknown>;
  /** Dotted paths into the variables, and the values that make each invalid. */
  invalid(f: Fixture): Record<string, fc.Arbitrary<unknown>>;
  /** Paths that must be present; a case drops one of them. */
  required: string[];
}

const DEVICE_TOKEN = /^[0-9a-fA-F]{64,200}$/;
const HIPCHAT_TOKEN = /^[A-Za-z0-9_-]{8,100}$/;
const SLACK_CHANNEL = /^[#@]?[\w.-]{1,80}$/;
const P256DH = /^[A-Za-z0-9_-]{80,100}={0,2}$/;
const AUTH = /^[A-Za-z0-9_-]{16,30}={0,2}$/;

const targets: Record<string, FuzzTarget> = {
  addUser: {
    document: AddUserDocument,
    valid: () => ({ input: { email: 'fresh.person@example.com', name: 'Fresh Person', role: 'MEMBER' } }),
    invalid: () => ({ 'input.email': badEmail, 'input.name': badText(100), 'input.role': badEnum(ROLES) }),
    required: ['input', 'input.email', 'input.name'],
  },
  configureHipchat: {
    document: ConfigureHipchatDocument,
    valid: (f) => ({ stackId: f.stackId, input: { token: 'validToken123', room: 'ops' } }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      'input.token': badPattern(HIPCHAT_TOKEN),
      'input.room': badText(100, { blank: true }),
    }),
    required: ['stackId', 'input', 'input.token', 'input.room'],
  },
  configureSlack: {
    document: ConfigureSlackDocument,
    valid: (f) => ({ stackId: f.stackId, input: { url: `${PUBLIC}/services/T0/B0/X0`, channel: '#ops' } }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      'input.url': badUrl,
      'input.channel': fc.oneof(fc.constant(''), badPattern(SLACK_CHANNEL, { nullable: true, max: 80 })),
    }),
    required: ['stackId', 'input', 'input.url'],
  },
  configureWebhook: {
    document: ConfigureWebhookDocument,
    valid: (f) => ({ stackId: f.stackId, input: { url: `${PUBLIC}/hook` } }),
    invalid: (f) => ({ stackId: badId(f.foreignIds), 'input.url': badUrl }),
    required: ['stackId', 'input', 'input.url'],
  },
  createChannel: {
    document: CreateChannelDocument,
    valid: (f) => ({ stackId: f.stackId, input: { name: 'Ops', teams: { url: `${PUBLIC}/teams` } } }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      // A null name is valid: the channel is named after its kind.
      'input.name': badText(80, { blank: true }).filter((value) => value !== null),
      'input.teams.url': badUrl,
    }),
    required: ['stackId', 'input', 'input.teams', 'input.teams.url'],
  },
  updateChannel: {
    document: UpdateChannelDocument,
    valid: (f) => ({ id: f.stackId, input: { name: 'renamed' } }),
    // F has no shared channel: even an id of its own (its stack's) names none.
    invalid: (f) => ({
      id: fc.oneof(badId(f.foreignIds), fc.constant(f.stackId)),
      'input.name': badText(80, { blank: true }),
    }),
    required: ['id', 'input'],
  },
  deleteChannel: {
    document: DeleteChannelDocument,
    valid: (f) => ({ id: f.stackId }),
    invalid: (f) => ({ id: fc.oneof(badId(f.foreignIds), fc.constant(f.stackId)) }),
    required: ['id'],
  },
  rotateChannelSigningSecret: {
    document: RotateChannelSigningSecretDocument,
    valid: (f) => ({ id: f.stackId }),
    invalid: (f) => ({ id: fc.oneof(badId(f.foreignIds), fc.constant(f.stackId)) }),
    required: ['id'],
  },
  createApiToken: {
    document: CreateApiTokenDocument,
    valid: () => ({ input: { name: 'deployer', scopes: ['EVENTS_PUBLISH'] } }),
    invalid: () => ({ 'input.name': badText(100, { blank: true }), 'input.scopes': badScopes }),
    required: ['input', 'input.name', 'input.scopes'],
  },
  createStack: {
    document: CreateStackDocument,
    valid: () => ({ input: { name: 'web', environment: 'staging' } }),
    invalid: () => ({
      'input.name': badText(100, { blank: true }),
      'input.environment': badText(50, { blank: true }),
    }),
    required: ['input', 'input.name'],
  },
  deleteStack: {
    document: DeleteStackDocument,
    valid: (f) => ({ id: f.stackId }),
    invalid: (f) => ({ id: badId(f.foreignIds) }),
    required: ['id'],
  },
  markNotificationsRead: {
    document: MarkNotificationsReadDocument,
    valid: (f) => ({ stackId: f.stackId, ids: [f.notificationId] }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      ids: fc.oneof(
        fc.array(badId(f.foreignIds), { minLength: 1, maxLength: 4 }),
        badId(f.foreignIds).map((id) => [f.notificationId, id]),
        fc.array(fc.uuid(), { minLength: 101, maxLength: 120 }),
      ),
    }),
    required: ['stackId'],
  },
  publishEvent: {
    document: PublishEventDocument,
    valid: (f) => ({ input: { stackId: f.stackId, eventType: 'JOB_FAIL', data: { job: 'backup' } } }),
    invalid: (f) => ({
      'input.stackId': badId(f.foreignIds),
      'input.eventType': fc.oneof(badEnum(EVENT_TYPES), fc.constantFrom('job.fail', 'stack.redeploy.ok')),
      'input.data': badData,
      'input.occurredAt': badDate,
      'input.idempotencyKey': fc.oneof(oversize(200), withNul(200), wrongType({ nullable: true })),
    }),
    required: ['input', 'input.stackId', 'input.eventType', 'input.data'],
  },
  redeliver: {
    document: RedeliverDocument,
    valid: (f) => ({ deliveryId: f.deliveryId }),
    invalid: (f) => ({ deliveryId: badId(f.foreignIds) }),
    required: ['deliveryId'],
  },
  redeliverDeliveries: {
    document: RedeliverDeliveriesDocument,
    valid: (f) => ({ filter: { stackId: f.stackId, status: 'DEAD' } }),
    invalid: (f) => ({
      'filter.stackId': badId(f.foreignIds),
      'filter.status': fc.oneof(badEnum(['FAILED', 'DEAD']), fc.constantFrom('SUCCEEDED', 'PENDING', 'HELD')),
      'filter.channel': badEnum(CHANNELS, { nullable: true }),
      'filter.since': badDate,
      'filter.limit': fc.oneof(
        fc.integer({ min: -1_000_000, max: 0 }),
        fc.integer({ min: 1001, max: 2 ** 31 - 1 }),
        wrongType({ numbers: false, nullable: true }),
      ),
    }),
    required: ['filter', 'filter.stackId', 'filter.status'],
  },
  registerIosDevice: {
    document: RegisterIosDeviceDocument,
    valid: () => ({ input: { token: apnsToken(), deviceName: 'phone' } }),
    invalid: () => ({
      'input.token': fc.oneof(
        badPattern(DEVICE_TOKEN),
        fc.integer({ min: 1, max: 63 }).map((length) => 'a'.repeat(length)),
        fc.integer({ min: 201, max: 260 }).map((length) => 'b'.repeat(length)),
      ),
      'input.deviceName': badText(100, { nullable: true }),
    }),
    required: ['input', 'input.token'],
  },
  registerWebPushSubscription: {
    document: RegisterWebPushSubscriptionDocument,
    valid: () => {
      const { keys } = webPushSubscription();
      return { input: { endpoint: `${PUBLIC}/push/abc`, keys } };
    },
    invalid: () => ({
      'input.endpoint': badUrl,
      'input.keys': wrongType(),
      'input.keys.p256dh': fc.oneof(
        badPattern(P256DH),
        // The right length and alphabet, but not a point on the curve.
        fc
          .uint8Array({ minLength: 65, maxLength: 65 })
          .map((bytes) => Buffer.from(bytes).toString('base64url')),
      ),
      'input.keys.auth': badPattern(AUTH),
    }),
    required: ['input', 'input.endpoint', 'input.keys', 'input.keys.p256dh', 'input.keys.auth'],
  },
  removeChannel: {
    document: RemoveChannelDocument,
    valid: (f) => ({ stackId: f.stackId, kind: 'WEBHOOK' }),
    // Personal channels are not removed; F has no shared channel to remove.
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      kind: fc.oneof(badEnum(CHANNELS), fc.constantFrom(...CHANNELS)),
    }),
    required: ['stackId', 'kind'],
  },
  removeUser: {
    document: RemoveUserDocument,
    valid: (f) => ({ userId: f.memberId }),
    invalid: (f) => ({ userId: badId(f.foreignIds) }),
    required: ['userId'],
  },
  removeIosDevice: {
    document: RemoveIosDeviceDocument,
    valid: (f) => ({ id: f.deviceId }),
    invalid: (f) => ({ id: badId(f.foreignIds) }),
    required: ['id'],
  },
  revokeApiToken: {
    document: RevokeApiTokenDocument,
    valid: (f) => ({ id: f.tokenId }),
    invalid: (f) => ({ id: badId(f.foreignIds) }),
    required: ['id'],
  },
  rotateWebhookSecret: {
    document: RotateWebhookSecretDocument,
    valid: (f) => ({ stackId: f.stackId }),
    // F has no webhook: even its own stack id is refused.
    invalid: (f) => ({ stackId: fc.oneof(badId(f.foreignIds), fc.constant(f.stackId)) }),
    required: ['stackId'],
  },
  setEventSeverity: {
    document: SetEventSeverityDocument,
    valid: (f) => ({ stackId: f.stackId, eventType: 'JOB_FAIL', severity: 'CRITICAL' }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      eventType: badEnum(EVENT_TYPES),
      severity: fc.oneof(badEnum(['CRITICAL', 'WARNING', 'INFO']), fc.constantFrom('critical', 'LOUD')),
    }),
    required: ['stackId', 'eventType', 'severity'],
  },
  clearEventSeverity: {
    document: ClearEventSeverityDocument,
    valid: (f) => ({ stackId: f.stackId, eventType: 'JOB_FAIL' }),
    invalid: (f) => ({ stackId: badId(f.foreignIds), eventType: badEnum(EVENT_TYPES) }),
    required: ['stackId', 'eventType'],
  },
  resolveIncident: {
    document: ResolveIncidentDocument,
    valid: (f) => ({ id: f.incidentId }),
    invalid: (f) => ({ id: badId(f.foreignIds) }),
    required: ['id'],
  },
  setEventPreference: {
    document: SetEventPreferenceDocument,
    valid: (f) => ({ stackId: f.stackId, eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      eventType: badEnum(EVENT_TYPES),
      channel: badEnum(CHANNELS),
      enabled: fc.oneof(wrongType({ booleans: false }), fc.constantFrom('true', 'false', 'yes', '')),
    }),
    required: ['stackId', 'eventType', 'channel', 'enabled'],
  },
  setEventPreferences: {
    document: SetEventPreferencesDocument,
    valid: (f) => ({
      stackId: f.stackId,
      changes: [{ eventType: 'JOB_FAIL', channel: 'EMAIL', enabled: false }],
    }),
    invalid: (f) => ({ stackId: badId(f.foreignIds), changes: badChanges }),
    required: ['stackId', 'changes'],
  },
  setDigest: {
    document: SetDigestDocument,
    valid: (f) => ({ stackId: f.stackId, channel: 'SLACK', windowMinutes: 10, allowance: 2 }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      channel: badEnum(CHANNELS),
      windowMinutes: fc.oneof(
        fc.integer({ min: -1_000_000, max: 0 }),
        fc.integer({ min: 1441, max: 2 ** 31 - 1 }),
        wrongType({ numbers: false }),
      ),
      allowance: fc.oneof(
        fc.integer({ min: -1_000_000, max: -1 }),
        fc.integer({ min: 1001, max: 2 ** 31 - 1 }),
        wrongType({ numbers: false }),
      ),
    }),
    required: ['stackId', 'channel', 'windowMinutes', 'allowance'],
  },
  clearDigest: {
    document: ClearDigestDocument,
    valid: (f) => ({ stackId: f.stackId, channel: 'SLACK' }),
    invalid: (f) => ({ stackId: badId(f.foreignIds), channel: badEnum(CHANNELS) }),
    required: ['stackId', 'channel'],
  },
  setFlapping: {
    document: SetFlappingDocument,
    valid: (f) => ({ stackId: f.stackId, input: { threshold: 3, windowMinutes: 10, settleMinutes: 15 } }),
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      'input.threshold': fc.oneof(
        fc.integer({ min: -1_000_000, max: 0 }),
        fc.integer({ min: 101, max: 2 ** 31 - 1 }),
        wrongType({ numbers: false }),
      ),
      'input.windowMinutes': fc.oneof(
        fc.integer({ min: -1_000_000, max: 0 }),
        fc.integer({ min: 1441, max: 2 ** 31 - 1 }),
        wrongType({ numbers: false }),
      ),
      // Below the window's 10 minutes, or beyond a day.
      'input.settleMinutes': fc.oneof(
        fc.integer({ min: -1_000_000, max: 9 }),
        fc.integer({ min: 1441, max: 2 ** 31 - 1 }),
        wrongType({ numbers: false }),
      ),
    }),
    required: ['stackId', 'input', 'input.threshold', 'input.windowMinutes', 'input.settleMinutes'],
  },
  clearFlapping: {
    document: ClearFlappingDocument,
    valid: (f) => ({ stackId: f.stackId }),
    invalid: (f) => ({ stackId: badId(f.foreignIds) }),
    required: ['stackId'],
  },
  setMessageTemplate: {
    document: SetMessageTemplateDocument,
    valid: (f) => ({
      input: {
        stackId: f.stackId,
        channel: 'EMAIL',
        eventType: 'JOB_FAIL',
        template: '{{ title }}',
        subject: '[{{ stack.name }}] {{ title }}',
      },
    }),
    // channelId next to channel: EMAIL is refused whatever it names.
    invalid: (f) => ({
      'input.stackId': badId(f.foreignIds),
      'input.channelId': badId(f.foreignIds).filter((value) => value !== null),
      'input.channel': fc.oneof(
        badEnum(CHANNELS),
        fc.constantFrom(...CHANNELS.filter((channel) => channel !== 'EMAIL')),
      ),
      'input.eventType': badEnum(EVENT_TYPES, { nullable: true }),
      'input.template': fc.oneof(badText(10_000), badTemplate),
      'input.subject': fc.oneof(badText(1000, { nullable: true }), badTemplate),
    }),
    required: ['input', 'input.stackId', 'input.channel', 'input.template'],
  },
  removeMessageTemplate: {
    document: RemoveMessageTemplateDocument,
    valid: (f) => ({ input: { stackId: f.stackId, channel: 'EMAIL', eventType: 'JOB_FAIL' } }),
    invalid: (f) => ({
      'input.stackId': badId(f.foreignIds),
      'input.channelId': badId(f.foreignIds).filter((value) => value !== null),
      'input.channel': fc.oneof(
        badEnum(CHANNELS),
        fc.constantFrom(...CHANNELS.filter((channel) => channel !== 'EMAIL')),
      ),
      'input.eventType': badEnum(EVENT_TYPES, { nullable: true }),
    }),
    required: ['input', 'input.stackId', 'input.channel'],
  },
  setQuietHours: {
    document: SetQuietHoursDocument,
    valid: () => ({ input: { timeZone: 'Europe/Berlin', start: '22:00', end: '07:00' } }),
    invalid: () => ({
      'input.timeZone': fc.oneof(
        junkString(),
        oversize(64),
        fc.constantFrom('', 'Europe/Atlantis', '+02:00', 'Europe/../UTC'),
        wrongType(),
      ),
      'input.start': fc.oneof(
        junkString(),
        fc.constantFrom('24:00', '7:00', '12:60', '', ' 22:00'),
        wrongType(),
      ),
      'input.end': fc.oneof(junkString(), fc.constantFrom('22:00', '07:60', '-1:00'), wrongType()),
      'input.days': fc.oneof(
        fc.constant([]),
        fc.array(badEnum(Object.values(Weekday)), { minLength: 1, maxLength: 3 }),
      ),
    }),
    required: ['input', 'input.timeZone', 'input.start', 'input.end'],
  },
  setUserRole: {
    document: SetUserRoleDocument,
    valid: (f) => ({ userId: f.memberId, role: 'ADMIN' }),
    invalid: (f) => ({ userId: badId(f.foreignIds), role: badEnum(ROLES) }),
    required: ['userId', 'role'],
  },
  testChannel: {
    document: TestChannelDocument,
    valid: (f) => ({ stackId: f.stackId, kind: 'EMAIL' }),
    // Shared channels F has not configured are refused too.
    invalid: (f) => ({
      stackId: badId(f.foreignIds),
      kind: fc.oneof(badEnum(CHANNELS), fc.constantFrom('HIPCHAT', 'SLACK', 'WEBHOOK', 'IOS', 'BROWSER')),
    }),
    required: ['stackId', 'kind'],
  },
  unregisterIosDevice: {
    document: UnregisterIosDeviceDocument,
    valid: () => ({ token: apnsToken() }),
    invalid: () => ({ token: fc.oneof(junkString(), fc.constant(apnsToken()), oversize(200), wrongType()) }),
    required: ['token'],
  },
  unregisterWebPushSubscription: {
    document: UnregisterWebPushSubscriptionDocument,
    valid: () => ({ endpoint: `${PUBLIC}/push/abc` }),
    invalid: () => ({ endpoint: fc.oneof(junkString(), badUrl, fc.webUrl()) }),
    required: ['endpoint'],
  },
  updateStack: {
    document: UpdateStackDocument,
    valid: (f) => ({ id: f.stackId, input: { name: 'renamed' } }),
    invalid: (f) => ({
      id: badId(f.foreignIds),
      'input.name': badText(100, { blank: true, nullable: true }),
      'input.environment': badText(50, { blank: true, nullable: true }),
    }),
    required: ['id', 'input'],
  },
};

interface FuzzCase {
  mutation: string;
  /** What was made invalid, for the report. */
  change: string;
  variables: Record<string, unknown>;
}

function withValue(
  variables: Record<string, unknown>,
  path: string,
  value: unknown,
): Record<string, unknown> {
  const copy = structuredClone(variables);
  const keys = path.split('.');
  let parent = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  if (value === undefined) delete parent[keys.at(-1)!];
  else parent[keys.at(-1)!] = value;
  return copy;
}

/** The arbitrary of one mutation's cases: one field made invalid, a required one dropped, or an unknown one added. */
function casesOf(name: string, target: FuzzTarget, f: Fixture): fc.Arbitrary<FuzzCase> {
  const valid = target.valid(f);
  const objectPaths = Object.keys(target.invalid(f))
    .map((path) => path.split('.').slice(0, -1).join('.'))
    .filter((path, index, all) => path && all.indexOf(path) === index);
  const fieldCases = Object.entries(target.invalid(f)).map(([path, values]) =>
    values.map((value) => ({
      mutation: name,
      change: `${path} = ${preview(value)}`,
      variables: withValue(valid, path, value),
    })),
  );
  const structural = [
    fc.constantFrom(...target.required).map((path) => ({
      mutation: name,
      change: `${path} missing`,
      variables: withValue(target.valid(f), path, undefined),
    })),
    ...(objectPaths.length
      ? [
          fc
            .tuple(fc.constantFrom(...objectPaths), fc.stringMatching(/^[a-z][a-zA-Z0-9]{0,11}$/))
            .map(([path, key]) => ({
              mutation: name,
              change: `${path}.${key}_unknown added`,
              variables: withValue(valid, `${path}.${key}_unknown`, 1),
            })),
        ]
      : []),
  ];
  return fc.oneof(
    { weight: 9, arbitrary: fc.oneof(...fieldCases) },
    { weight: 1, arbitrary: fc.oneof(...structural) },
  );
}

function preview(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 80)}… (${text.length} characters)` : text;
}

interface Outcome {
  fuzzCase: FuzzCase;
  status: number;
  codes: string[];
  accepted: boolean;
}

async function send(fuzzCase: FuzzCase, token: string): Promise<Outcome> {
  const document = targets[fuzzCase.mutation].document;
  const response = await fetch(server.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: print(document), variables: fuzzCase.variables }),
  });
  const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
  const codes = (body.errors ?? []).map((error) => error.extensions?.code ?? 'NO_CODE');
  return { fuzzCase, status: response.status, codes, accepted: codes.length === 0 };
}

describe('every mutation, fed generated invalid input', () => {
  it('covers every mutation of the schema', async () => {
    const schema = await createSchema();
    // A mutation without arguments (clearQuietHours) has no input to get wrong.
    const fields = Object.values(schema.getMutationType()!.getFields());
    const taking = fields.filter((field) => field.args.length > 0).map((field) => field.name);
    expect(Object.keys(targets).sort()).toEqual(taking.sort());
  });

  it('refuses 5,000+ invalid inputs with client error codes, stays up, and changes nothing', async () => {
    const f = await fixture();
    const cases = Object.entries(targets).flatMap(([name, target], index) =>
      fc.sample(casesOf(name, target, f), { seed: SEED + index, numRuns: CASES_PER_MUTATION }),
    );
    expect(cases.length).toBeGreaterThanOrEqual(5000);

    const before = await databaseFingerprint(server.app.dataSource);
    const started = Date.now();
    const outcomes: Outcome[] = [];
    for (let next = 0; next < cases.length; next += PARALLEL_REQUESTS) {
      const batch = cases.slice(next, next + PARALLEL_REQUESTS);
      outcomes.push(...(await Promise.all(batch.map((fuzzCase) => send(fuzzCase, f.token)))));
    }
    const seconds = (Date.now() - started) / 1000;

    const byCode = new Map<string, number>();
    for (const outcome of outcomes) {
      for (const code of outcome.accepted ? ['(accepted)'] : outcome.codes)
        byCode.set(code, (byCode.get(code) ?? 0) + 1);
    }
    console.log(
      `${outcomes.length} invalid inputs in ${seconds.toFixed(1)} s: ` +
        [...byCode].map(([code, count]) => `${code} ${count}`).join(', '),
    );

    const wrong = outcomes.filter(
      (outcome) =>
        outcome.accepted ||
        outcome.status >= 500 ||
        outcome.codes.some((code) => !['BAD_USER_INPUT', 'NOT_FOUND'].includes(code)),
    );
    expect(
      wrong
        .slice(0, 15)
        .map(
          ({ fuzzCase, status, codes }) => `${fuzzCase.mutation}: ${fuzzCase.change} -> ${status} ${codes}`,
        ),
    ).toEqual([]);

    expect(await databaseFingerprint(server.app.dataSource)).toEqual(before);
    const health = await fetch(new URL('/healthz', server.url));
    expect(health.status).toBe(200);
    expect(dataOf(await server.request(MeDocument, {}, f.token)).me.id).toBeTruthy();
  }, 120_000);
});
