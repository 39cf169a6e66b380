import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  RedeliverDeliveriesDocument,
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  PublishEventDocument,
  RedeliverDocument,
  RegisterIosDeviceDocument,
  RegisterWebPushSubscriptionDocument,
  RotateWebhookSecretDocument,
  StackDeliveriesDocument,
  StackDocument,
  TestChannelDocument,
  type StackDeliveriesQuery,
} from './generated/graphql';
import { deviceToken, HIPCHAT_TOKEN, startChannelPeers, type ChannelPeers } from './helpers/channel-peers';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';

type DeliveryNode = NonNullable<StackDeliveriesQuery['stack']>['deliveries']['edges'][number]['node'];

let peers: ChannelPeers;
let server: TestServer;

beforeAll(async () => {
  peers = await startChannelPeers();
  server = await startTestServer({
    ...peers.env,
    DELIVERY_RETRY_SCHEDULE: '0,0.2,0.4',
    DELIVERY_POLL_INTERVAL_MS: '50',
    SHUTDOWN_TIMEOUT_MS: '2000',
  });
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
});

async function stackFor(owner: Session, name = 'web') {
  const { createStack } = dataOf(
    await server.request(CreateStackDocument, { input: { name, environment: 'production' } }, owner.token),
  );
  return createStack.id;
}

/** A stack with a webhook pointed at the webhook peer (its owner's emails go to the SMTP peer). */
async function webhookStack() {
  const owner = await server.createAccount();
  const stackId = await stackFor(owner);
  const { configureWebhook } = dataOf(
    await server.request(
      ConfigureWebhookDocument,
      { stackId, input: { url: peers.webhook.url } },
      owner.token,
    ),
  );
  peers.webhook.useSecrets([configureWebhook.signingSecret!]);
  const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
  return { owner, stackId, publisher, secret: configureWebhook.signingSecret! };
}

async function publish(token: string, stackId: string, data: Record<string, unknown> = { commit: 'abc123' }) {
  return dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType: 'STACK_REDEPLOY_OK', data } },
      token,
    ),
  ).publishEvent;
}

async function deliveries(
  owner: Session,
  stackId: string,
  channel?: DeliveryNode['channel'],
): Promise<DeliveryNode[]> {
  const { stack } = dataOf(
    await server.request(StackDeliveriesDocument, { id: stackId, first: 100, channel }, owner.token),
  );
  return stack.deliveries.edges.map((edge) => edge.node);
}

/** Polls the deliveries API until every delivery matching `channel` has left PENDING. */
async function settled(
  owner: Session,
  stackId: string,
  channel?: DeliveryNode['channel'],
  timeoutMs = 10_000,
) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await deliveries(owner, stackId, channel);
    if (rows.length > 0 && rows.every((row) => row.status !== 'PENDING')) return rows;
    if (Date.now() > deadline) throw new Error(`deliveries still pending: ${JSON.stringify(rows, null, 1)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('delivering one event to all six channels', () => {
  it('makes six correct deliveries, each visible in the deliveries log', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner, 'shop');
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    dataOf(
      await server.request(
        ConfigureHipchatDocument,
        { stackId, input: { token: HIPCHAT_TOKEN, room: 'ops' } },
        owner.token,
      ),
    );
    dataOf(
      await server.request(
        ConfigureSlackDocument,
        { stackId, input: { url: `${peers.slack.url}`, channel: '#deploys' } },
        owner.token,
      ),
    );
    const { configureWebhook } = dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: peers.webhook.url } },
        owner.token,
      ),
    );
    peers.webhook.useSecrets([configureWebhook.signingSecret!]);
    const device = deviceToken();
    dataOf(
      await server.request(
        RegisterIosDeviceDocument,
        { input: { token: device, deviceName: 'phone' } },
        owner.token,
      ),
    );
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

    const notification = await publish(publisher, stackId, { commit: '4f2a9c1', server: 'web-1' });
    const rows = await settled(owner, stackId);
    expect(rows.map((row) => row.channel).sort()).toEqual([
      'BROWSER',
      'EMAIL',
      'HIPCHAT',
      'IOS',
      'SLACK',
      'WEBHOOK',
    ]);
    for (const row of rows) {
      expect(row).toMatchObject({
        status: 'SUCCEEDED',
        attemptCount: 1,
        notification: { id: notification.id },
      });
      expect(row.attempts).toHaveLength(1);
      expect(row.attempts[0].ok).toBe(true);
    }
    const { read: _read, browserAlert: _alert, ...selected } = notification;
    // The API object, with the fields the test's fragment leaves out.
    const apiObject = { ...selected, severity: 'INFO', outcome: 'SUCCESS', incident: null };

    const hook = peers.webhook.verified.find((message) => message.id === notification.id)!;
    // The webhook's timestamp is when the attempt was sent (the webhook-timestamp header): the same second as the
    // notification's, or a later one.
    const { timestamp: sentAt, ...hookRest } = hook.payload as { timestamp: number };
    expect(hookRest).toEqual({
      ...apiObject,
      timestamp: undefined,
      event_type: 'stack.redeploy.ok',
      incident_id: null,
      incident_state: null,
    });
    expect(sentAt - notification.timestamp).toBeGreaterThanOrEqual(0);
    expect(sentAt - notification.timestamp).toBeLessThan(30);

    const slack = peers.slack.messages.at(-1)!;
    expect(JSON.stringify(slack)).toContain('shop');

    const hipchat = peers.hipchat.messages.at(-1)!;
    expect(hipchat.token).toBe(HIPCHAT_TOKEN);

    const mail = peers.smtp.mails.find((candidate) => candidate.envelope.to.includes(owner.email))!;
    expect(mail.parsed.subject).toBe('[shop] Stack redeployed successfully');
    expect(mail.parsed.text).toContain(`/stacks/${stackId}/notifications`);

    const push = peers.apns.pushes.find((candidate) => candidate.deviceToken === device)!;
    expect(push.headers['apns-push-type']).toBe('alert');
    expect(push.headers['apns-topic']).toBe('com.example.stacks');

    const browserPush = peers.webPush.messages.find(
      (message) => message.subscription.endpoint === subscription.endpoint,
    )!;
    expect(JSON.parse(browserPush.payload.toString('utf8'))).toEqual(apiObject);
  });
});

describe('webhook deliveries', () => {
  it('retries after a 500 and a dropped connection, with the same webhook-id every time', async () => {
    const { owner, stackId, publisher } = await webhookStack();
    peers.webhook.answerServerError();
    peers.webhook.dropConnection();
    const notification = await publish(publisher, stackId);
    const [row] = await settled(owner, stackId, 'WEBHOOK');
    expect(row.status).toBe('SUCCEEDED');
    expect(row.attempts.map((attempt) => attempt.statusCode)).toEqual([500, null, 200]);
    expect(row.attempts[0].responseExcerpt).toBe('internal error');
    expect(row.attempts[1].error).toBeTruthy();
    expect(peers.webhook.deliveriesOf(notification.id)).toBe(3);
  });

  it('does not follow a redirect: a 3xx fails the delivery for good', async () => {
    const { owner, stackId, publisher } = await webhookStack();
    peers.webhook.redirectTo(`${peers.webhook.url}?followed=1`);
    const notification = await publish(publisher, stackId);
    const [row] = await settled(owner, stackId, 'WEBHOOK');
    expect(row.status).toBe('FAILED');
    expect(row.attempts.map((attempt) => attempt.statusCode)).toEqual([302]);
    expect(peers.webhook.deliveriesOf(notification.id)).toBe(1);
  });

  it('marks a delivery DEAD once the retry schedule is used up, and redeliver sends it again', async () => {
    const { owner, stackId, publisher } = await webhookStack();
    peers.webhook.script({ status: 503 }, { status: 503 }, { status: 503 });
    const notification = await publish(publisher, stackId);
    const [dead] = await settled(owner, stackId, 'WEBHOOK');
    expect(dead.status).toBe('DEAD');
    expect(dead.attempts).toHaveLength(3);
    const { redeliver } = dataOf(
      await server.request(RedeliverDocument, { deliveryId: dead.id }, owner.token),
    );
    expect(redeliver.status).toBe('PENDING');
    const [again] = await settled(owner, stackId, 'WEBHOOK');
    expect(again.status).toBe('SUCCEEDED');
    expect(again.attempts).toHaveLength(4);
    // Each attempt keeps its id: the three before the redelivery are the same objects, the fourth is new.
    expect(again.attempts.slice(0, 3).map((attempt) => attempt.id)).toEqual(
      dead.attempts.map((attempt) => attempt.id),
    );
    for (const attempt of again.attempts) expect(attempt.id).toMatch(/^DeliveryAttempt:\d+$/);
    expect(new Set(again.attempts.map((attempt) => attempt.id)).size).toBe(4);
    expect(peers.webhook.deliveriesOf(notification.id)).toBe(4);
  });

  it('signs with both secrets for 24 hours after a rotation', async () => {
    const { owner, stackId, publisher, secret: oldSecret } = await webhookStack();
    const { rotateWebhookSecret } = dataOf(
      await server.request(RotateWebhookSecretDocument, { stackId }, owner.token),
    );
    expect(rotateWebhookSecret.signingSecret).toMatch(/^whsec_/);
    for (const secrets of [[oldSecret], [rotateWebhookSecret.signingSecret]]) {
      peers.webhook.useSecrets(secrets);
      const notification = await publish(publisher, stackId);
      await settled(owner, stackId, 'WEBHOOK');
      expect(peers.webhook.deliveriesOf(notification.id)).toBe(1);
    }
    expect(peers.webhook.unverified).toHaveLength(0);
  });

  it('tests the channel on demand and shows what the endpoint answered', async () => {
    const { owner, stackId } = await webhookStack();
    peers.webhook.script({ status: 500, body: 'database is down' });
    const { testChannel: failed } = dataOf(
      await server.request(TestChannelDocument, { stackId, kind: 'WEBHOOK' }, owner.token),
    );
    expect(failed).toMatchObject({ ok: false, statusCode: 500, responseExcerpt: 'database is down' });
    const { testChannel: ok } = dataOf(
      await server.request(TestChannelDocument, { stackId, kind: 'WEBHOOK' }, owner.token),
    );
    expect(ok).toMatchObject({ ok: true, statusCode: 200 });
    // With the channel it went through, under the id the stack's channels list it with.
    expect(ok.channel).toEqual({ id: `WebhookChannel:${stackId}`, kind: 'WEBHOOK', configured: true });
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    // Where it went, as the deliveries log names it: the endpoint's host, not a hint of its secret.
    expect(ok.target).toBe(new URL(peers.webhook.url).host);
  });

  it('disables a channel that failed for CHANNEL_DISABLE_AFTER_HOURS and emails the owners why', async () => {
    const { owner, stackId, publisher } = await webhookStack();
    const channels = server.app.dataSource.getRepository('StackChannel');
    await channels.update(
      { stackId, kind: 'WEBHOOK' },
      { failingSince: new Date(Date.now() - 73 * 3600_000) },
    );
    peers.webhook.script({ status: 404 });
    await publish(publisher, stackId);
    await settled(owner, stackId, 'WEBHOOK');
    const { stack } = dataOf(await server.request(StackDocument, { id: stackId }, owner.token));
    const webhook = stack.channels.find((channel) => channel.kind === 'WEBHOOK')!;
    expect(webhook.enabled).toBe(false);
    expect(webhook.disabledReason).toMatch(/failed for more than 72 hours/);
    const deadline = Date.now() + 5000;
    let notice;
    while (
      !(notice = peers.smtp.mails.find(
        (mail) => mail.parsed.subject === '[web] WEBHOOK notifications were disabled',
      ))
    ) {
      if (Date.now() > deadline) throw new Error('no notice mail');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(notice.envelope.to).toEqual([owner.email]);
  });
});

describe('email deliveries', () => {
  it('stops at once on a 550 recipient and retries a 451', async () => {
    const owner = await server.createAccount();
    const member = await server.addUser(owner, 'MEMBER' as never);
    const stackId = await stackFor(owner);
    const publisher = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    peers.smtp.refuseRecipient(owner.email, { code: 550, message: 'No such user' });
    peers.smtp.replyToRecipient(member.email, { code: 451, message: 'Try again later' });
    await publish(publisher, stackId);
    const rows = await settled(owner, stackId, 'EMAIL');
    const byTarget = new Map(rows.map((row) => [row.target, row]));
    expect(byTarget.get(owner.email)).toMatchObject({ status: 'FAILED', attemptCount: 1 });
    expect(byTarget.get(owner.email)!.attempts[0].statusCode).toBe(550);
    expect(byTarget.get(member.email)).toMatchObject({ status: 'SUCCEEDED', attemptCount: 2 });
    expect(byTarget.get(member.email)!.attempts[0].statusCode).toBe(451);
  });
});

describe('chat deliveries', () => {
  it("records Slack's error body and stops on channel_not_found", async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    dataOf(
      await server.request(ConfigureSlackDocument, { stackId, input: { url: peers.slack.url } }, owner.token),
    );
    peers.slack.failWith('channel_not_found');
    await publish(await server.createToken(owner, [Scope.EVENTS_PUBLISH]), stackId);
    const [row] = await settled(owner, stackId, 'SLACK');
    expect(row.status).toBe('FAILED');
    expect(row.attempts[0].responseExcerpt).toContain('channel_not_found');
  });

  it('honours Retry-After on a Slack 429, up to the longest step of the retry schedule', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    dataOf(
      await server.request(ConfigureSlackDocument, { stackId, input: { url: peers.slack.url } }, owner.token),
    );
    const token = await server.createToken(owner, [Scope.EVENTS_PUBLISH]);
    // The schedule's longest step is 0.4 s: Retry-After 1 s makes a floor of 0.4 s over the 0-0.2 s of the step.
    peers.slack.rateLimit(1);
    await publish(token, stackId);
    const [row] = await settled(owner, stackId, 'SLACK');
    expect(row.status).toBe('SUCCEEDED');
    expect(row.attempts.map((attempt) => attempt.statusCode)).toEqual([429, 200]);
    const waited = Date.parse(row.attempts[1].at) - Date.parse(row.attempts[0].at);
    expect(waited).toBeGreaterThanOrEqual(400);
    // An hour is capped at the 0.4 s step: the retry comes within the test, not an hour later.
    peers.slack.rateLimit(3600);
    await publish(token, stackId);
    const rows = await settled(owner, stackId, 'SLACK');
    expect(rows).toHaveLength(2);
    expect(rows.every((delivery) => delivery.status === 'SUCCEEDED')).toBe(true);
  });

  it('posts to Hipchat and retries its 429', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    dataOf(
      await server.request(
        ConfigureHipchatDocument,
        { stackId, input: { token: HIPCHAT_TOKEN, room: 'ops' } },
        owner.token,
      ),
    );
    peers.hipchat.rateLimit(0);
    await publish(await server.createToken(owner, [Scope.EVENTS_PUBLISH]), stackId);
    const [row] = await settled(owner, stackId, 'HIPCHAT');
    expect(row.status).toBe('SUCCEEDED');
    expect(row.attempts.map((attempt) => attempt.statusCode)).toEqual([429, 200]);
  });
});

describe('push deliveries', () => {
  it('removes an iOS device that APNs reports Unregistered', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    const device = deviceToken();
    dataOf(await server.request(RegisterIosDeviceDocument, { input: { token: device } }, owner.token));
    peers.apns.replyTo(device, { status: 410, reason: 'Unregistered' });
    await publish(await server.createToken(owner, [Scope.EVENTS_PUBLISH]), stackId);
    const [row] = await settled(owner, stackId, 'IOS');
    expect(row.status).toBe('FAILED');
    expect(row.attempts[0].statusCode).toBe(410);
    const { stack } = dataOf(await server.request(StackDocument, { id: stackId }, owner.token));
    const ios = stack.channels.find((channel) => channel.kind === 'IOS');
    expect(ios).toMatchObject({ configured: false, devices: [] });
  });

  it('retries an APNs 429', async () => {
    const owner = await server.createAccount();
    const stackId = await stackFor(owner);
    const device = deviceToken();
    dataOf(await server.request(RegisterIosDeviceDocument, { input: { token: device } }, owner.token));
    peers.apns.replyTo(device, { status: 429, reason: 'TooManyRequests' });
    await publish(await server.createToken(owner, [Scope.EVENTS_PUBLISH]), stackId);
    const [row] = await settled(owner, stackId, 'IOS');
    expect(row.status).toBe('SUCCEEDED');
    expect(row.attempts.map((attempt) => attempt.statusCode)).toEqual([429, 200]);
  });

  it('removes a Web Push subscription that the push service reports gone', async () => {
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
    peers.webPush.unsubscribe(subscription);
    await publish(await server.createToken(owner, [Scope.EVENTS_PUBLISH]), stackId);
    const [row] = await settled(owner, stackId, 'BROWSER');
    expect(row.status).toBe('FAILED');
    expect(row.attempts[0].statusCode).toBe(410);
    const { stack } = dataOf(await server.request(StackDocument, { id: stackId }, owner.token));
    const browser = stack.channels.find((channel) => channel.kind === 'BROWSER');
    expect(browser).toMatchObject({ webPushSubscriptions: [] });
  });
});

describe('push deliveries to a phone or browser two people registered', () => {
  async function personal(session: Session, stackId: string) {
    const { stack } = dataOf(await server.request(StackDocument, { id: stackId }, session.token));
    const ios = stack.channels.find((channel) => channel.kind === 'IOS');
    const browser = stack.channels.find((channel) => channel.kind === 'BROWSER');
    return {
      devices: ios && 'devices' in ios ? ios.devices.length : undefined,
      subscriptions:
        browser && 'webPushSubscriptions' in browser ? browser.webPushSubscriptions.length : undefined,
    };
  }

  it("delivers to each one's registration, and removes every registration of a token or endpoint reported gone", async () => {
    const ada = await server.createAccount();
    const bob = await server.createAccount();
    const [adaStack, bobStack] = [await stackFor(ada), await stackFor(bob)];
    const device = deviceToken();
    const subscription = peers.webPush.subscribe();
    const input = {
      endpoint: subscription.endpoint,
      keys: { p256dh: subscription.p256dh, auth: subscription.auth },
    };
    for (const session of [ada, bob]) {
      dataOf(await server.request(RegisterIosDeviceDocument, { input: { token: device } }, session.token));
      dataOf(await server.request(RegisterWebPushSubscriptionDocument, { input }, session.token));
    }

    await publish(await server.createToken(bob, [Scope.EVENTS_PUBLISH]), bobStack);
    for (const channel of ['IOS', 'BROWSER'] as const) {
      expect((await settled(bob, bobStack, channel)).map((row) => row.status)).toEqual(['SUCCEEDED']);
    }
    expect(await personal(ada, adaStack)).toEqual({ devices: 1, subscriptions: 1 });
    expect(await personal(bob, bobStack)).toEqual({ devices: 1, subscriptions: 1 });

    // APNs and the push service answer for the token and the endpoint, whoever registered them.
    peers.apns.replyTo(device, { status: 410, reason: 'Unregistered' });
    peers.webPush.unsubscribe(subscription);
    await publish(await server.createToken(ada, [Scope.EVENTS_PUBLISH]), adaStack);
    for (const channel of ['IOS', 'BROWSER'] as const) {
      const [row] = await settled(ada, adaStack, channel);
      expect(row).toMatchObject({ status: 'FAILED', attempts: [{ statusCode: 410 }] });
    }
    expect(await personal(ada, adaStack)).toEqual({ devices: 0, subscriptions: 0 });
    expect(await personal(bob, bobStack)).toEqual({ devices: 0, subscriptions: 0 });
  });
});

describe('the deliveries API', () => {
  it("answers NOT_FOUND when redelivering another account's delivery", async () => {
    const { owner, stackId, publisher } = await webhookStack();
    await publish(publisher, stackId);
    const [row] = await settled(owner, stackId, 'WEBHOOK');
    const stranger = await server.createAccount();
    expect(errorCode(await server.request(RedeliverDocument, { deliveryId: row.id }, stranger.token))).toBe(
      'NOT_FOUND',
    );
  });
});

describe('redelivering in bulk', () => {
  it('starts DEAD deliveries over by channel, oldest first and a bounded number per call, each sent again', async () => {
    const { owner, stackId, publisher } = await webhookStack();
    peers.webhook.script(...Array.from({ length: 9 }, () => ({ status: 503 })));
    const published = [
      await publish(publisher, stackId),
      await publish(publisher, stackId),
      await publish(publisher, stackId),
    ];
    const dead = await settled(owner, stackId, 'WEBHOOK');
    expect(dead.map((row) => row.status)).toEqual(['DEAD', 'DEAD', 'DEAD']);
    const filter = { stackId, channel: 'WEBHOOK' as const, status: 'DEAD' as const };

    const later = new Date(Date.now() + 60_000).toISOString();
    expect(
      dataOf(
        await server.request(
          RedeliverDeliveriesDocument,
          { filter: { ...filter, since: later } },
          owner.token,
        ),
      ).redeliverDeliveries,
    ).toEqual({ count: 0, truncated: false });

    const first = dataOf(
      await server.request(RedeliverDeliveriesDocument, { filter: { ...filter, limit: 2 } }, owner.token),
    ).redeliverDeliveries;
    expect(first).toEqual({ count: 2, truncated: true });
    const rest = dataOf(
      await server.request(RedeliverDeliveriesDocument, { filter }, owner.token),
    ).redeliverDeliveries;
    expect(rest).toEqual({ count: 1, truncated: false });

    const again = await settled(owner, stackId, 'WEBHOOK');
    expect(again.map((row) => row.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
    for (const notification of published) expect(peers.webhook.deliveriesOf(notification.id)).toBe(4);
    expect(
      dataOf(await server.request(RedeliverDeliveriesDocument, { filter }, owner.token)).redeliverDeliveries,
    ).toEqual({ count: 0, truncated: false });
  });

  it('refuses bad filters, shared channels to a MEMBER and other accounts, and changes nothing', async () => {
    const { owner, stackId, publisher } = await webhookStack();
    peers.webhook.script({ status: 503 }, { status: 503 }, { status: 503 });
    await publish(publisher, stackId);
    const [dead] = await settled(owner, stackId, 'WEBHOOK');
    expect(dead.status).toBe('DEAD');
    const filter = { stackId, channel: 'WEBHOOK' as const, status: 'DEAD' as const };
    const member = await server.addUser(owner, Role.MEMBER, [Scope.SETTINGS_READ, Scope.SETTINGS_WRITE]);
    const stranger = await server.createAccount();
    const refusals: [string, Parameters<typeof server.request>[1], string, string | undefined][] = [
      [
        'a status that is not finished',
        { filter: { ...filter, status: 'SUCCEEDED' } },
        owner.token,
        'BAD_USER_INPUT',
      ],
      ['a limit of 0', { filter: { ...filter, limit: 0 } }, owner.token, 'BAD_USER_INPUT'],
      ['a limit over 1,000', { filter: { ...filter, limit: 1001 } }, owner.token, 'BAD_USER_INPUT'],
      ["a MEMBER and the stack's webhook", { filter }, member.token, 'FORBIDDEN'],
      ['another account', { filter }, stranger.token, 'NOT_FOUND'],
      ['a malformed stack id', { filter: { ...filter, stackId: 'nope' } }, owner.token, 'NOT_FOUND'],
    ];
    for (const [, variables, token, code] of refusals) {
      expect(errorCode(await server.request(RedeliverDeliveriesDocument, variables as never, token))).toBe(
        code,
      );
    }
    // A MEMBER without a channel starts over only their own deliveries: none here.
    expect(
      dataOf(
        await server.request(
          RedeliverDeliveriesDocument,
          { filter: { stackId, status: 'DEAD' } },
          member.token,
        ),
      ).redeliverDeliveries,
    ).toEqual({ count: 0, truncated: false });
    const [after] = await deliveries(owner, stackId, 'WEBHOOK');
    expect(after).toMatchObject({ status: 'DEAD', nextAttemptAt: dead.nextAttemptAt });
    expect(after.attempts).toHaveLength(3);
  });
});
