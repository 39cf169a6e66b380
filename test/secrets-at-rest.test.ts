// Secrets at rest: channel secrets and the generated VAPID private key are stored encrypted (no secret readable in
// any table, nor in the SQLite file), API tokens only as hashes; deliveries still work; legacy plaintext rows are
// read and `secrets rotate` encrypts them; a SECRET_KEY rotation as the README describes it; nothing secret in logs.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { startApp, type App } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/lib/logger';
import { SecretBox, secretKeyId } from '../src/lib/secret-box';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { StackChannel } from '../src/modules/channels/stack-channel.entity';
import {
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateApiTokenDocument,
  CreateStackDocument,
  PublishEventDocument,
  RotateWebhookSecretDocument,
  StackDeliveriesDocument,
  TestChannelDocument,
  VapidPublicKeyDocument,
  type StackDeliveriesQuery,
} from './generated/graphql';
import { HIPCHAT_TOKEN, startChannelPeers, type ChannelPeers } from './helpers/channel-peers';
import { runCli } from './helpers/cli';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { dataOf, graphqlRequest } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';

type DeliveryNode = NonNullable<StackDeliveriesQuery['stack']>['deliveries']['edges'][number]['node'];
type Request = TestServer['request'];

/** Fast retries, so a scripted failure settles within the test. */
const DELIVERY_ENV = {
  DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4',
  DELIVERY_POLL_INTERVAL_MS: '50',
  SHUTDOWN_TIMEOUT_MS: '2000',
};

let peers: ChannelPeers;

beforeAll(async () => {
  peers = await startChannelPeers();
});
afterAll(async () => {
  await peers?.close();
});

/** A stack with Hipchat, Slack and a webhook pointed at the peers; the webhook's secret rotated once. */
async function stackWithSharedChannels(request: Request, ownerToken: string) {
  const { createStack } = dataOf(
    await request(CreateStackDocument, { input: { name: 'vault' } }, ownerToken),
  );
  const stackId = createStack.id;
  dataOf(
    await request(
      ConfigureHipchatDocument,
      { stackId, input: { token: HIPCHAT_TOKEN, room: 'ops' } },
      ownerToken,
    ),
  );
  dataOf(
    await request(
      ConfigureSlackDocument,
      { stackId, input: { url: peers.slack.url, channel: '#ops' } },
      ownerToken,
    ),
  );
  const { configureWebhook } = dataOf(
    await request(ConfigureWebhookDocument, { stackId, input: { url: peers.webhook.url } }, ownerToken),
  );
  const { rotateWebhookSecret } = dataOf(await request(RotateWebhookSecretDocument, { stackId }, ownerToken));
  const webhookSecrets = [configureWebhook.signingSecret!, rotateWebhookSecret.signingSecret];
  peers.webhook.useSecrets(webhookSecrets);
  return { stackId, webhookSecrets };
}

/** Publishes one event and waits until each of its deliveries has left PENDING. */
async function publishAndSettle(request: Request, ownerToken: string, publisher: string, stackId: string) {
  const { publishEvent } = dataOf(
    await request(
      PublishEventDocument,
      {
        input: { stackId, eventType: 'STACK_REDEPLOY_OK', data: { commit: randomBytes(4).toString('hex') } },
      },
      publisher,
    ),
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const { stack } = dataOf(await request(StackDeliveriesDocument, { id: stackId, first: 100 }, ownerToken));
    const rows: DeliveryNode[] = stack.deliveries.edges
      .map((edge) => edge.node)
      .filter((node) => node.notification.id === publishEvent.id);
    if (rows.length > 0 && rows.every((row) => row.status !== 'PENDING'))
      return { notification: publishEvent, rows };
    if (Date.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(rows)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function expectEveryChannelDelivered(rows: DeliveryNode[]): void {
  const shared = rows.filter((row) => ['HIPCHAT', 'SLACK', 'WEBHOOK'].includes(row.channel));
  expect(shared.map((row) => [row.channel, row.status]).sort()).toEqual([
    ['HIPCHAT', 'SUCCEEDED'],
    ['SLACK', 'SUCCEEDED'],
    ['WEBHOOK', 'SUCCEEDED'],
  ]);
}

/** Every row of every table, as text: what someone holding a copy of the database reads. */
async function databaseDump(app: App): Promise<string> {
  const { dataSource } = app;
  const tables: { name: string }[] =
    dataSource.options.type === 'postgres'
      ? await dataSource.query(`SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public'`)
      : await dataSource.query(`SELECT name FROM sqlite_master WHERE type = 'table'`);
  expect(tables.map((table) => table.name)).toEqual(
    expect.arrayContaining(['stack_channels', 'server_secrets']),
  );
  const parts: string[] = [];
  for (const { name } of tables) {
    parts.push(name, JSON.stringify(await dataSource.query(`SELECT * FROM "${name}"`)));
  }
  return parts.join('\n');
}

/** The SQLite database as bytes on disk (with its journal), or '' on PostgreSQL. */
function sqliteFiles(app: App): string {
  const { database } = app.services.config;
  if (database.type !== 'sqlite') return '';
  return ['', '-wal', '-journal']
    .map((suffix) => `${database.path}${suffix}`)
    .filter((file) => fs.existsSync(file))
    .map((file) => fs.readFileSync(file).toString('latin1'))
    .join('\n');
}

async function rawChannels(
  app: App,
): Promise<{ kind: string; secret: string; previous_secret: string | null }[]> {
  return app.dataSource.query(`SELECT kind, secret, previous_secret FROM stack_channels ORDER BY kind`);
}

/** The secret itself and its parts that would give it away alone: the Slack path, the webhook key. */
function revealingParts(secret: string): string[] {
  const parts = [secret];
  if (secret.startsWith('whsec_')) parts.push(secret.slice('whsec_'.length));
  if (secret.startsWith('http')) parts.push(new URL(secret).pathname);
  return parts;
}

function expectNoneIn(text: string, secrets: string[]): void {
  for (const secret of secrets.flatMap(revealingParts)) {
    if (text.includes(secret)) throw new Error(`found a secret in clear: ${secret.slice(0, 12)}…`);
  }
}

/** The base64 body of a PEM file, without headers or line breaks. */
function pemBody(file: string): string {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line && !line.startsWith('-----'))
    .join('');
}

describe('secrets in the database', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...peers.env, ...DELIVERY_ENV });
  });
  afterAll(async () => {
    await server?.close();
  });

  it('stores Hipchat tokens, Slack URLs and webhook secrets encrypted, API tokens as hashes, and still delivers', async () => {
    const owner = await server.createAccount();
    const { stackId, webhookSecrets } = await stackWithSharedChannels(server.request, owner.token);
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    const { createApiToken } = dataOf(
      await server.request(
        CreateApiTokenDocument,
        { input: { name: 'ci', scopes: ['SETTINGS_READ'] } },
        owner.token,
      ),
    );

    const { notification, rows } = await publishAndSettle(server.request, owner.token, publisher, stackId);
    expectEveryChannelDelivered(rows);
    expect(peers.webhook.deliveriesOf(notification.id)).toBe(1);
    expect(peers.hipchat.messages.at(-1)!.token).toBe(HIPCHAT_TOKEN);

    const box = server.app.services.secrets;
    const channels = await rawChannels(server.app);
    expect(channels.map((row) => row.kind)).toEqual(['HIPCHAT', 'SLACK', 'WEBHOOK']);
    for (const row of channels) {
      expect(row.secret.startsWith(`v1:${box.keyId}:`)).toBe(true);
      expect(row.previous_secret === null || row.previous_secret.startsWith(`v1:${box.keyId}:`)).toBe(true);
    }
    expect(channels.map((row) => box.decrypt(row.secret))).toEqual([
      HIPCHAT_TOKEN,
      peers.slack.url,
      webhookSecrets[1],
    ]);
    expect(box.decrypt(channels[2].previous_secret!)).toBe(webhookSecrets[0]);

    const secrets = [
      HIPCHAT_TOKEN,
      peers.slack.url,
      ...webhookSecrets,
      owner.token,
      publisher,
      createApiToken.secret,
      peers.env.VAPID_PRIVATE_KEY,
      pemBody(peers.env.APNS_KEY_FILE),
    ];
    expectNoneIn(await databaseDump(server.app), secrets);
    expectNoneIn(sqliteFiles(server.app), secrets);
  });

  it('tests each shared channel with its decrypted secret', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithSharedChannels(server.request, owner.token);
    for (const kind of ['HIPCHAT', 'SLACK', 'WEBHOOK'] as const) {
      const { testChannel } = dataOf(
        await server.request(TestChannelDocument, { stackId, kind }, owner.token),
      );
      expect({ kind, ok: testChannel.ok }).toEqual({ kind, ok: true });
    }
  });
});

describe('the generated VAPID key pair', () => {
  it('is stored with its private key encrypted and its public key readable', async () => {
    const server = await startTestServer();
    try {
      const [row] = (await server.app.dataSource.query(
        `SELECT value FROM server_secrets WHERE name = 'vapid'`,
      )) as { value: string }[];
      const stored = JSON.parse(row.value) as { publicKey: string; privateKey: string };
      const owner = await server.createAccount();
      const { vapidPublicKey } = dataOf(await server.request(VapidPublicKeyDocument, {}, owner.token));
      expect(stored.publicKey).toBe(vapidPublicKey);
      expect(stored.privateKey.startsWith(`v1:${server.app.services.secrets.keyId}:`)).toBe(true);
      expect(server.app.services.secrets.decrypt(stored.privateKey)).toBe(
        server.app.services.vapid.privateKey,
      );
      expectNoneIn(await databaseDump(server.app), [server.app.services.vapid.privateKey]);
    } finally {
      await server.close();
    }
  });
});

describe('secrets stored before encryption', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ ...peers.env, ...DELIVERY_ENV });
  });
  afterAll(async () => {
    await server?.close();
  });

  const cliEnv = () => ({
    DATABASE_URL: server.database.url,
    DATA_DIR: server.database.dir,
    LOG_LEVEL: 'silent',
  });

  it('are still read as plaintext, and `secrets rotate` encrypts them in place', async () => {
    const owner = await server.createAccount();
    const { stackId } = await stackWithSharedChannels(server.request, owner.token);
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    // As an earlier version wrote them: in clear.
    const box = server.app.services.secrets;
    const repository = server.app.dataSource.getRepository(StackChannel);
    for (const row of await repository.findBy({ stackId })) {
      await repository.update(
        { id: row.id },
        {
          secret: box.decrypt(row.secret),
          previousSecret: row.previousSecret && box.decrypt(row.previousSecret),
        },
      );
    }
    const plaintext = (await rawChannels(server.app)).filter((row) => !row.secret.startsWith('v1:'));
    expect(plaintext).toHaveLength(3);

    expectEveryChannelDelivered(
      (await publishAndSettle(server.request, owner.token, publisher, stackId)).rows,
    );

    const rotated = JSON.parse(await runCli(['secrets', 'rotate', '--json'], cliEnv())) as unknown;
    expect(rotated).toEqual({ rewritten: 4, unchanged: 0, keyId: box.keyId });
    const after = await rawChannels(server.app);
    for (const row of after) expect(row.secret.startsWith(`v1:${box.keyId}:`)).toBe(true);
    expect(after.find((row) => row.kind === 'WEBHOOK')!.previous_secret!.startsWith(`v1:${box.keyId}:`)).toBe(
      true,
    );
    expectNoneIn(
      JSON.stringify(after),
      plaintext.flatMap((row) => [row.secret, row.previous_secret ?? row.secret]),
    );

    expectEveryChannelDelivered(
      (await publishAndSettle(server.request, owner.token, publisher, stackId)).rows,
    );
    const again = await runCli(['secrets', 'rotate'], cliEnv());
    expect(again).toBe(`Re-encrypted 0 stored secret(s) with key ${box.keyId}; 4 already used it.\n`);
  });
});

describe('rotating SECRET_KEY', () => {
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  let database: TestDatabase;
  let app: App | null = null;

  beforeEach(async () => {
    database = await createTestDatabase();
  });
  afterEach(async () => {
    await app?.close();
    app = null;
    await database.drop();
  });

  function environment(keys: { SECRET_KEY: Buffer; SECRET_KEY_PREVIOUS?: Buffer }): Record<string, string> {
    return {
      ...peers.env,
      ...DELIVERY_ENV,
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: database.url,
      DATA_DIR: database.dir,
      LOG_LEVEL: 'silent',
      LOCAL_MODE: 'false',
      ALLOW_PRIVATE_NETWORK_TARGETS: 'true',
      SECRET_KEY: keys.SECRET_KEY.toString('base64'),
      ...(keys.SECRET_KEY_PREVIOUS ? { SECRET_KEY_PREVIOUS: keys.SECRET_KEY_PREVIOUS.toString('hex') } : {}),
    };
  }

  /** (Re)starts the server on the same database with these keys. */
  async function restart(keys: { SECRET_KEY: Buffer; SECRET_KEY_PREVIOUS?: Buffer }) {
    await app?.close();
    app = null;
    app = await startApp(loadConfig(environment(keys)), { log: createLogger('silent') });
    const url = app.server.url;
    const request: Request = (document, variables, token) => graphqlRequest(url, document, variables, token);
    return { app, request };
  }

  /** A stack with the three shared channels under the old key, and tokens to read and publish. */
  async function configuredUnderOldKey() {
    const { app: first, request } = await restart({ SECRET_KEY: oldKey });
    const { secret: ownerToken, user } = await first.services.accounts.bootstrap(
      'rotation',
      'owner@rotation.test',
    );
    const publisher = (await first.services.tokens.create(user, 'deployer', [Scope.EVENTS_PUBLISH])).secret;
    const { stackId } = await stackWithSharedChannels(request, ownerToken);
    return { ownerToken, publisher, stackId };
  }

  it('follows the README: new key with the old one previous, restart, rotate, then drop the old key', async () => {
    const { ownerToken, publisher, stackId } = await configuredUnderOldKey();

    const during = await restart({ SECRET_KEY: newKey, SECRET_KEY_PREVIOUS: oldKey });
    expectEveryChannelDelivered(
      (await publishAndSettle(during.request, ownerToken, publisher, stackId)).rows,
    );
    // New writes use the new key at once, old rows are read with the previous one.
    expect(
      (await rawChannels(during.app)).every((row) => row.secret.startsWith(`v1:${secretKeyId(oldKey)}:`)),
    ).toBe(true);

    const output = await runCli(
      ['secrets', 'rotate'],
      environment({ SECRET_KEY: newKey, SECRET_KEY_PREVIOUS: oldKey }),
    );
    expect(output).toBe(
      `Re-encrypted 4 stored secret(s) with key ${secretKeyId(newKey)}; 0 already used it.\n`,
    );
    const rows = await rawChannels(during.app);
    for (const value of rows.flatMap((row) => [row.secret, row.previous_secret ?? row.secret])) {
      expect(value.startsWith(`v1:${secretKeyId(newKey)}:`)).toBe(true);
    }

    const after = await restart({ SECRET_KEY: newKey });
    expectEveryChannelDelivered((await publishAndSettle(after.request, ownerToken, publisher, stackId)).rows);
    expect(new SecretBox(newKey).decrypt(rows.find((row) => row.kind === 'HIPCHAT')!.secret)).toBe(
      HIPCHAT_TOKEN,
    );
  });

  it('rewrites nothing, and names the missing key, when a secret opens with no configured key', async () => {
    const { ownerToken, publisher, stackId } = await configuredUnderOldKey();
    const before = await rawChannels(app!);
    await app!.close();
    app = null;

    const refused = await runCli(['secrets', 'rotate'], environment({ SECRET_KEY: newKey })).then(
      () => null,
      (error: { code: number; stderr: string }) => error,
    );
    expect(refused).toMatchObject({ code: 1 });
    expect(refused!.stderr).toBe(
      `Error: a stored secret was encrypted with key ${secretKeyId(oldKey)}, which is neither SECRET_KEY ` +
        `(${secretKeyId(newKey)}) nor one of SECRET_KEY_PREVIOUS. Nothing was rewritten.\n`,
    );

    // The server without the old key fails those deliveries (retried, so adding the key back recovers them).
    const without = await restart({ SECRET_KEY: newKey });
    expect(await rawChannels(without.app)).toEqual(before);
    const { rows } = await publishAndSettle(without.request, ownerToken, publisher, stackId);
    for (const row of rows.filter((candidate) => candidate.channel !== 'EMAIL')) {
      expect(row.status).toBe('DEAD');
      expect(row.attempts[0].error).toMatch(/^The channel's secret cannot be read: .*encrypted with key/);
    }
  });
});

describe('the logs', () => {
  it('never carry tokens, webhook secrets, Slack URLs or Hipchat tokens, at debug level', async () => {
    const lines: string[] = [];
    const server = await startTestServer(
      { ...peers.env, ...DELIVERY_ENV, LOG_LEVEL: 'debug' },
      { logDestination: { write: (line: string) => void lines.push(line) } },
    );
    try {
      const owner = await server.createAccount();
      const { stackId, webhookSecrets } = await stackWithSharedChannels(server.request, owner.token);
      const { createApiToken } = dataOf(
        await server.request(
          CreateApiTokenDocument,
          { input: { name: 'deployer', scopes: ['EVENTS_PUBLISH'] } },
          owner.token,
        ),
      );
      const publisher = createApiToken.secret;
      // Failures and retries are logged too: one of each shared channel's first attempts fails.
      peers.slack.failWith('rollup_error');
      peers.webhook.answerServerError();
      peers.hipchat.failWith(500, 'Internal Server Error', 'try again');
      const { rows } = await publishAndSettle(server.request, owner.token, publisher, stackId);
      expectEveryChannelDelivered(rows);
      for (const kind of ['HIPCHAT', 'SLACK', 'WEBHOOK'] as const) {
        dataOf(await server.request(TestChannelDocument, { stackId, kind }, owner.token));
      }
      // A token that almost is one, and a revoked-looking unknown one, are secrets too.
      const unknownToken = `sn_${randomBytes(32).toString('base64url')}`;
      await server.request(VapidPublicKeyDocument, {}, unknownToken);
      await server.request(CreateStackDocument, { input: { name: 'x' } }, unknownToken);

      const log = lines.join('');
      expect(log).toContain('delivery attempt');
      expectNoneIn(log, [
        owner.token,
        publisher,
        unknownToken,
        HIPCHAT_TOKEN,
        peers.slack.url,
        ...webhookSecrets,
        peers.env.VAPID_PRIVATE_KEY,
        pemBody(peers.env.APNS_KEY_FILE),
      ]);
    } finally {
      await server.close();
    }
  });
});
