// The delivery log as an audit trail: each attempt keeps the request as sent (secrets masked) and the answer, for
// every channel, through the real server and real peers; only those who may read the stack's deliveries see it.
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import { MAX_EVENT_DATA_BYTES } from '../src/modules/events/events.service';
import {
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  DeliveryAttemptExchangeDocument,
  PublishEventDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  StackDeliveryLogDocument,
  TestChannelExchangeDocument,
  type DeliveryExchangeFragment,
  type StackDeliveryLogQuery,
} from './generated/graphql';
import { deviceToken, HIPCHAT_TOKEN, startChannelPeers, type ChannelPeers } from './helpers/channel-peers';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { socketRequest } from './helpers/ws';

type DeliveryNode = NonNullable<StackDeliveryLogQuery['stack']>['deliveries']['edges'][number]['node'];
type ChannelKind = DeliveryNode['channel'];

/** The secret part of the Slack peer's incoming-webhook path. */
const SLACK_SECRET = 'XXXXXXXXXXXXXXXXXXXXXXXX';
const KIB = 1024;

let peers: ChannelPeers;
let server: TestServer;
/** Every line the server logged, at every level. */
const logLines: string[] = [];

beforeAll(async () => {
  peers = await startChannelPeers();
  server = await startTestServer(
    {
      ...peers.env,
      DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4',
      DELIVERY_POLL_INTERVAL_MS: '50',
      SHUTDOWN_TIMEOUT_MS: '2000',
      LOG_LEVEL: 'debug',
    },
    { logDestination: { write: (line: string) => void logLines.push(line) } },
  );
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
});

async function stackFor(owner: Session): Promise<string> {
  const { createStack } = dataOf(
    await server.request(
      CreateStackDocument,
      { input: { name: 'shop', environment: 'production' } },
      owner.token,
    ),
  );
  return createStack.id;
}

async function publish(
  owner: Session,
  stackId: string,
  data: Record<string, unknown> = { commit: 'abc123' },
) {
  const token = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
  return dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType: 'STACK_REDEPLOY_OK', data } },
      token,
    ),
  ).publishEvent;
}

async function configureWebhook(owner: Session, stackId: string, url = peers.webhook.url) {
  const { configureWebhook } = dataOf(
    await server.request(ConfigureWebhookDocument, { stackId, input: { url } }, owner.token),
  );
  // Only the first configuration generates a secret; a new URL keeps it.
  if (configureWebhook.signingSecret) peers.webhook.useSecrets([configureWebhook.signingSecret]);
  return configureWebhook.signingSecret!;
}

async function log(session: Session, stackId: string, channel?: ChannelKind) {
  return server.request(StackDeliveryLogDocument, { id: stackId, first: 100, channel }, session.token);
}

/** Polls the log until every delivery of `channel` has left PENDING. */
async function settled(session: Session, stackId: string, channel: ChannelKind): Promise<DeliveryNode[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const rows = dataOf(await log(session, stackId, channel)).stack.deliveries.edges.map((edge) => edge.node);
    if (rows.length > 0 && rows.every((row) => row.status !== 'PENDING')) return rows;
    if (Date.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(rows, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function header(headers: { name: string; value: string }[] | undefined, name: string): string[] {
  return (headers ?? []).filter((entry) => entry.name === name).map((entry) => entry.value);
}

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const listener = createServer().listen(0, '127.0.0.1');
  await once(listener, 'listening');
  const { port } = listener.address() as AddressInfo;
  await new Promise((resolve) => listener.close(resolve));
  return port;
}

describe('the request and the answer of each attempt', () => {
  it('shows a webhook as the receiver got it, with its signature masked, and what it answered', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    await configureWebhook(owner, stackId);
    peers.webhook.script({
      status: 202,
      headers: {
        'content-type': 'application/json',
        'x-receiver': 'shop-hooks',
        'set-cookie': 'sid=abc123456789',
      },
      body: '{"received":true}',
    });
    const notification = await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'WEBHOOK');
    const received = peers.webhook.http.requests.find(
      (request) => request.headers['webhook-id'] === notification.id,
    )!;
    const [attempt] = row.attempts;
    const origin = new URL(peers.webhook.url).origin;

    expect(attempt.request).toMatchObject({
      method: 'POST',
      url: `${origin}/…`,
      body: received.body.toString('utf8'),
      bodyTruncated: false,
      bodySize: received.body.length,
    });
    const sent = attempt.request!.headers;
    expect(header(sent, 'webhook-id')).toEqual([notification.id]);
    expect(header(sent, 'webhook-timestamp')).toEqual([received.headers['webhook-timestamp']]);
    expect(header(sent, 'content-type')).toEqual(['application/json']);
    expect(header(sent, 'webhook-signature')).toEqual(['v1,…']);
    expect(JSON.stringify(attempt)).not.toContain(String(received.headers['webhook-signature']).slice(3));

    expect(attempt.response).toMatchObject({ status: 202, body: '{"received":true}', bodyTruncated: false });
    expect(header(attempt.response!.headers, 'x-receiver')).toEqual(['shop-hooks']);
    expect(header(attempt.response!.headers, 'set-cookie')).toEqual(['sid=…']);
  });

  it('masks the secret path of a Slack webhook URL and keeps its host and a hint', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    dataOf(
      await server.request(ConfigureSlackDocument, { stackId, input: { url: peers.slack.url } }, owner.token),
    );
    await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'SLACK');
    const [attempt] = row.attempts;
    expect(attempt.request!.url).toBe(`${new URL(peers.slack.url).origin}/…${SLACK_SECRET.slice(-4)}`);
    expect(JSON.parse(attempt.request!.body!)).toEqual(peers.slack.messages.at(-1));
    expect(attempt.response).toMatchObject({ status: 200, body: 'ok' });
    expect(header(attempt.response!.headers, 'content-type')).toEqual(['text/plain']);
  });

  it('masks the Hipchat token in the query and keeps the API path', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    dataOf(
      await server.request(
        ConfigureHipchatDocument,
        { stackId, input: { token: HIPCHAT_TOKEN, room: 'ops' } },
        owner.token,
      ),
    );
    await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'HIPCHAT');
    expect(row.attempts[0].request!.url).toBe(
      `${peers.env.HIPCHAT_API_URL}/v1/rooms/message?format=json&auth_token=…${HIPCHAT_TOKEN.slice(-4)}`,
    );
    expect(row.attempts[0].request!.body).toContain('room_id=ops');
    expect(row.attempts[0].response).toMatchObject({ status: 200, body: '{"status":"sent"}' });
  });

  it("shows an email's envelope, subject and text, and the SMTP server's replies", async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'EMAIL');
    const [attempt] = row.attempts;
    const mail = peers.smtp.mails.find((candidate) => candidate.envelope.to.includes(owner.email))!;
    expect(attempt.request).toMatchObject({
      method: 'SMTP',
      url: peers.smtp.url,
      headers: [
        { name: 'mail-from', value: mail.envelope.from },
        { name: 'rcpt-to', value: owner.email },
        { name: 'subject', value: mail.parsed.subject },
      ],
      bodyTruncated: false,
    });
    expect(attempt.request!.body!.trim()).toBe(mail.parsed.text!.trim());
    expect(attempt.response!.status).toBe(250);
    expect(attempt.response!.body).toMatch(/^250 /);
  });

  it("shows a refused recipient's reply line", async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    peers.smtp.refuseRecipient(owner.email, { code: 550, message: 'No such user here' });
    await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'EMAIL');
    expect(row.status).toBe('FAILED');
    const [attempt] = row.attempts;
    expect(header(attempt.request!.headers, 'rcpt-to')).toEqual([owner.email]);
    expect(attempt.response!.status).toBe(550);
    expect(attempt.response!.body).toContain('550 No such user here');
  });

  it('shows an iOS push without its provider token and the device token as a hint', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    const device = deviceToken();
    dataOf(await server.request(RegisterIosDeviceDocument, { input: { token: device } }, owner.token));
    peers.apns.replyTo(device, { status: 429, reason: 'TooManyRequests' });
    await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'IOS');
    const [refused, delivered] = row.attempts;
    const push = peers.apns.pushes.find((candidate) => candidate.deviceToken === device)!;
    expect(refused.request!.url).toMatch(new RegExp(`^https://[^/]+/3/device/…${device.slice(-6)}$`));
    expect(JSON.parse(refused.request!.body!)).toEqual(push.payload);
    expect(header(refused.request!.headers, 'apns-topic')).toEqual([peers.env.APNS_TOPIC]);
    expect(header(refused.request!.headers, 'authorization')).toEqual([]);
    expect(refused.response).toMatchObject({ status: 429, headers: [] });
    expect(JSON.parse(refused.response!.body!)).toMatchObject({ reason: 'TooManyRequests' });
    expect(delivered.response).toMatchObject({ status: 200 });
    expect(JSON.stringify(row)).not.toContain(device);
  });

  it("shows a Web Push endpoint's origin and a hint, the encrypted size and the push service's answer", async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    const subscription = peers.webPush.subscribe();
    dataOf(
      await server.request(
        RegisterWebPushSubscriptionDocument,
        {
          input: {
            endpoint: subscription.endpoint,
            keys: { p256dh: subscription.p256dh, auth: subscription.auth },
          },
        },
        owner.token,
      ),
    );
    await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'BROWSER');
    const [attempt] = row.attempts;
    const received = peers.webPush.http.requests.find(
      (request) => `${peers.webPush.http.url}${request.url}` === subscription.endpoint,
    )!;
    expect(attempt.request).toMatchObject({
      method: 'POST',
      url: `${new URL(subscription.endpoint).origin}/…${subscription.endpoint.slice(-4)}`,
      body: null,
      bodySize: received.body.length,
    });
    expect(header(attempt.request!.headers, 'authorization')).toEqual(['vapid …']);
    expect(header(attempt.request!.headers, 'content-encoding')).toEqual(['aes128gcm']);
    expect(attempt.response!.status).toBe(201);
    expect(header(attempt.response!.headers, 'location')).toHaveLength(1);
  });
});

describe('testing a channel', () => {
  it('shows what the test sent, masked as in the log, and what came back', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    dataOf(
      await server.request(
        ConfigureHipchatDocument,
        { stackId, input: { token: HIPCHAT_TOKEN, room: 'ops' } },
        owner.token,
      ),
    );
    const answer = await server.request(
      TestChannelExchangeDocument,
      { stackId, kind: 'HIPCHAT' },
      owner.token,
    );
    const { testChannel } = dataOf(answer);
    expect(testChannel.ok).toBe(true);
    expect(testChannel.request).toMatchObject({
      method: 'POST',
      url: `${peers.env.HIPCHAT_API_URL}/v1/rooms/message?format=json&auth_token=…${HIPCHAT_TOKEN.slice(-4)}`,
    });
    expect(testChannel.response).toMatchObject({ status: 200, body: '{"status":"sent"}' });
    expect(JSON.stringify(answer)).not.toContain(HIPCHAT_TOKEN);
  });
});

describe('long answers and failed attempts', () => {
  it('records an answer with a NUL byte (which PostgreSQL text refuses) instead of sending again', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    await configureWebhook(owner, stackId);
    peers.webhook.script({ status: 400, body: 'bad\u0000input' });
    const notification = await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'WEBHOOK');
    expect(row.status).toBe('FAILED');
    expect(row.attempts).toHaveLength(1);
    expect(row.attempts[0].response).toMatchObject({ status: 400, body: 'bad\u0000input' });
    expect(peers.webhook.deliveriesOf(notification.id)).toBe(1);
  });

  it('keeps the first 64 KiB of a 100 KiB answer and says it was cut', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    await configureWebhook(owner, stackId);
    peers.webhook.script({ status: 200, body: 'z'.repeat(100 * KIB) });
    await publish(owner, stackId);
    const [row] = await settled(owner, stackId, 'WEBHOOK');
    const { response } = row.attempts[0];
    expect(response!.bodyTruncated).toBe(true);
    expect(response!.body).toBe('z'.repeat(64 * KIB));
  });

  it('keeps the first 64 KiB of a request body larger than that and says it was cut', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    await configureWebhook(owner, stackId);
    // Event data of (nearly) the 64 KiB it may have: with the notification around it, the body is longer.
    await publish(owner, stackId, { log: 'y'.repeat(MAX_EVENT_DATA_BYTES - 20) });
    const [row] = await settled(owner, stackId, 'WEBHOOK');
    const { request } = row.attempts[0];
    expect(request!.bodyTruncated).toBe(true);
    expect(Buffer.byteLength(request!.body!)).toBe(64 * KIB);
    expect(request!.bodySize).toBeGreaterThan(64 * KIB);
  });

  it('records what was sent and what came back of a 500 with headers, and what was sent to a closed port', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    await configureWebhook(owner, stackId);
    peers.webhook.script({
      status: 500,
      headers: { 'content-type': 'text/plain', 'x-request-id': 'req-42', 'retry-after': '0' },
      body: 'database is down',
    });
    const first = await publish(owner, stackId);
    const [failedOnce] = await settled(owner, stackId, 'WEBHOOK');
    const [serverError, delivered] = failedOnce.attempts;
    expect(serverError).toMatchObject({ ok: false, statusCode: 500 });
    // Each attempt as the receiver got it (a retry is signed with its own timestamp).
    const received = peers.webhook.http.requests.filter(
      (request) => request.headers['webhook-id'] === first.id,
    );
    expect([serverError, delivered].map((attempt) => attempt.request!.body)).toEqual(
      received.map((request) => request.body.toString('utf8')),
    );
    expect(serverError.response).toMatchObject({
      status: 500,
      body: 'database is down',
      bodyTruncated: false,
    });
    expect(header(serverError.response!.headers, 'x-request-id')).toEqual(['req-42']);
    expect(header(serverError.response!.headers, 'content-type')).toEqual(['text/plain']);

    const port = await closedPort();
    await configureWebhook(owner, stackId, `http://127.0.0.1:${port}/refused-hook`);
    const notification = await publish(owner, stackId, { commit: 'refused' });
    const rows = await settled(owner, stackId, 'WEBHOOK');
    const dead = rows.find((row) => row.notification.id === notification.id)!;
    expect(dead.status).toBe('DEAD');
    expect(dead.attempts).toHaveLength(3);
    for (const attempt of dead.attempts) {
      expect(attempt).toMatchObject({ ok: false, statusCode: null, response: null });
      expect(attempt.error).toMatch(/ECONNREFUSED|refused/i);
      expect(attempt.request).toMatchObject({ method: 'POST', url: `http://127.0.0.1:${port}/…hook` });
      expect(JSON.parse(attempt.request!.body!)).toMatchObject({ id: notification.id });
    }
  });
});

describe('who sees the log, and what never appears in it', () => {
  it('shows no Slack secret path, Hipchat token, signing secret or signature in the API or the logs', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    const signingSecret = await configureWebhook(owner, stackId);
    dataOf(
      await server.request(ConfigureSlackDocument, { stackId, input: { url: peers.slack.url } }, owner.token),
    );
    dataOf(
      await server.request(
        ConfigureHipchatDocument,
        { stackId, input: { token: HIPCHAT_TOKEN, room: 'ops' } },
        owner.token,
      ),
    );
    peers.webhook.script({ status: 500, body: 'try again' });
    const notification = await publish(owner, stackId);
    for (const channel of ['WEBHOOK', 'SLACK', 'HIPCHAT'] as const) await settled(owner, stackId, channel);

    const answer = JSON.stringify(await log(owner, stackId));
    const signatures = peers.webhook.http.requests
      .filter((request) => request.headers['webhook-id'] === notification.id)
      .flatMap((request) => String(request.headers['webhook-signature']).split(' '))
      .map((signature) => signature.slice('v1,'.length));
    expect(signatures.length).toBeGreaterThanOrEqual(2);
    const secrets = [
      SLACK_SECRET,
      HIPCHAT_TOKEN,
      signingSecret,
      signingSecret.slice('whsec_'.length),
      ...signatures,
    ];
    // The log shows each attempt (so the answer is not empty of what is searched around).
    expect(answer).toContain('auth_token=…');
    expect(answer).toContain('"webhook-signature"');
    const logs = logLines.join('\n');
    for (const secret of secrets) {
      expect(answer).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
  });

  it('refuses another account the log and its attempts, and hides personal attempts from a member', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    await configureWebhook(owner, stackId);
    const member = await server.addUser(owner, Role.MEMBER);
    await publish(owner, stackId);
    const [webhook] = await settled(owner, stackId, 'WEBHOOK');
    const [email] = (await settled(owner, stackId, 'EMAIL')).filter((row) => row.target === owner.email);
    const attemptOf = async (session: Session, id: string) =>
      server.request(DeliveryAttemptExchangeDocument, { id }, session.token);

    const stranger = await server.createAccount();
    expect(errorCode(await log(stranger, stackId))).toBe('NOT_FOUND');
    // Over WebSocket alike: the same log for the owner, the same refusal for another account.
    const variables = { id: stackId, first: 100, channel: 'WEBHOOK' as const };
    const overSocket = await socketRequest(server.wsUrl, StackDeliveryLogDocument, variables, owner.token);
    expect(overSocket.data?.stack.deliveries.edges[0].node).toEqual(webhook);
    const strangerSocket = await socketRequest(
      server.wsUrl,
      StackDeliveryLogDocument,
      variables,
      stranger.token,
    );
    expect(strangerSocket.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    for (const id of [webhook.attempts[0].id, email.attempts[0].id]) {
      expect(dataOf(await attemptOf(stranger, id)).node).toBeNull();
    }

    // A member sees the shared channel's attempts as the owner does, and not the owner's email.
    const exchange = (attempt: DeliveryExchangeFragment) => ({
      request: attempt.request,
      response: attempt.response,
    });
    expect(
      exchange(dataOf(await attemptOf(member, webhook.attempts[0].id)).node as DeliveryExchangeFragment),
    ).toEqual(exchange(webhook.attempts[0]));
    expect(dataOf(await attemptOf(member, email.attempts[0].id)).node).toBeNull();
    const seen = JSON.stringify(await log(member, stackId));
    expect(seen).not.toContain(owner.email);
  });
});
