// A stack's own message templates: set, previewed and then sent through the real Slack, Hipchat and SMTP peers, the
// event type's own template winning over the one for all event types, bad templates refused with where they go
// wrong (over HTTP and WebSocket), and channels of other accounts as unknown as ids that name nothing.
import { randomBytes, randomUUID } from 'node:crypto';
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  ConfigureHipchatDocument,
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateChannelDocument,
  CreateStackDocument,
  PreviewMessageDocument,
  PublishEventDocument,
  RemoveChannelDocument,
  RemoveMessageTemplateDocument,
  SetMessageTemplateDocument,
  StackMessageTemplatesDocument,
  TestChannelByIdDocument,
  TestChannelDocument,
  type PreviewMessageQueryVariables,
  type SetMessageTemplateMutationVariables,
} from './generated/graphql';
import { HIPCHAT_TOKEN, startChannelPeers, type ChannelPeers } from './helpers/channel-peers';
import { databaseFingerprint } from './helpers/database-fingerprint';
import { dataOf, type GraphQLResponse } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { eventually, socketRequest } from './helpers/ws';

let peers: ChannelPeers;
let server: TestServer;

beforeAll(async () => {
  peers = await startChannelPeers();
  server = await startTestServer({ ...peers.env, DELIVERY_POLL_INTERVAL_MS: '50' });
});
afterAll(async () => {
  await server?.close();
  await peers?.close();
});

/** A stack with Slack (on its own Slack channel name, to find its messages) and Hipchat, and a publisher token. */
async function stackWithChat(owner?: Session) {
  const session = owner ?? (await server.createAccount());
  const tag = randomBytes(4).toString('hex');
  const request = <R, V>(document: Parameters<typeof server.request<R, V>>[0], variables: V) =>
    server.request(document, variables, session.token).then(dataOf);
  const { createStack } = await request(CreateStackDocument, {
    input: { name: `shop-${tag}`, environment: 'production' },
  });
  const stackId = createStack.id;
  const { configureSlack } = await request(ConfigureSlackDocument, {
    stackId,
    input: { url: peers.slack.url, channel: `#t-${tag}` },
  });
  await request(ConfigureHipchatDocument, { stackId, input: { token: HIPCHAT_TOKEN, room: `room-${tag}` } });
  const publisher = await server.createToken(session, [Scope.EVENTS_PUBLISH]);
  return { owner: session, tag, stackId, slackChannelId: configureSlack.id, publisher };
}

function setTemplate(token: string, input: SetMessageTemplateMutationVariables['input']) {
  return server.request(SetMessageTemplateDocument, { input }, token);
}

function preview(token: string, input: PreviewMessageQueryVariables['input']) {
  return server.request(PreviewMessageDocument, { input }, token);
}

async function publish(token: string, stackId: string, eventType: string, data: Record<string, unknown>) {
  return dataOf(
    await server.request(
      PublishEventDocument,
      { input: { stackId, eventType: eventType as never, data } },
      token,
    ),
  ).publishEvent;
}

async function slackMessageTo(channel: string) {
  await eventually(() => peers.slack.messages.some((message) => message.channel === channel), 10_000);
  return peers.slack.messages.find((message) => message.channel === channel)!;
}

async function hipchatMessageTo(room: string) {
  await eventually(() => peers.hipchat.messages.some((message) => message.roomId === room), 10_000);
  return peers.hipchat.messages.find((message) => message.roomId === room)!;
}

async function mailTo(address: string) {
  await eventually(() => peers.smtp.mails.some((mail) => mail.envelope.to.includes(address)), 10_000);
  return peers.smtp.mails.find((mail) => mail.envelope.to.includes(address))!;
}

/** The single error of a refused request. */
function refusal(response: GraphQLResponse<unknown>) {
  expect(response.data ?? null).toBeNull();
  expect(response.errors).toHaveLength(1);
  return response.errors![0];
}

const SLACK_TEMPLATE =
  '*{{ stack.name }}* deployed `{{ data.commit }}` by {{ data.deployedBy }}' +
  '{% if data.note %}\n> {{ data.note }}{% endif %}\n<{{ links.deliveries }}|deliveries>';

describe('a Slack template', () => {
  it('is what Slack receives, exactly as previewed, with event data escaped', async () => {
    const { owner, tag, stackId, slackChannelId, publisher } = await stackWithChat();
    const { setMessageTemplate } = dataOf(
      await setTemplate(owner.token, {
        stackId,
        channelId: slackChannelId,
        eventType: 'STACK_REDEPLOY_OK',
        template: SLACK_TEMPLATE,
      }),
    );
    expect(setMessageTemplate).toMatchObject({
      channel: 'SLACK',
      eventType: 'STACK_REDEPLOY_OK',
      subject: null,
    });
    const data = { commit: 'f00ba12', deployedBy: 'ada@example.com', note: 'ping <!channel> & go' };
    const { previewMessage } = dataOf(
      await preview(owner.token, {
        stackId,
        channelId: slackChannelId,
        eventType: 'STACK_REDEPLOY_OK',
        data,
      }),
    );
    expect(previewMessage.source).toBe('STORED');
    expect(previewMessage.text).toBe(
      `*shop-${tag}* deployed \`f00ba12\` by ada@example.com\n> ping &lt;!channel&gt; &amp; go\n` +
        `<${server.config.publicUrl}/stacks/${stackId}/deliveries|deliveries>`,
    );

    await publish(publisher, stackId, 'STACK_REDEPLOY_OK', data);
    const received = await slackMessageTo(`#t-${tag}`);
    expect(received).toEqual(previewMessage.body);
    expect(received.text).toBe(previewMessage.text);
  });

  it('for one event type wins over the one for all event types, and removing each falls back in turn', async () => {
    const { owner, stackId, slackChannelId } = await stackWithChat();
    const key = { stackId, channelId: slackChannelId };
    dataOf(await setTemplate(owner.token, { ...key, template: 'ALL {{ title }}' }));
    dataOf(await setTemplate(owner.token, { ...key, eventType: 'JOB_FAIL', template: 'JOB {{ data.job }}' }));
    const textFor = async (eventType: 'JOB_FAIL' | 'SERVER_STOPPED') =>
      dataOf(await preview(owner.token, { ...key, eventType })).previewMessage;

    expect(await textFor('JOB_FAIL')).toMatchObject({ text: 'JOB nightly-backup', source: 'STORED' });
    expect(await textFor('SERVER_STOPPED')).toMatchObject({
      text: 'ALL Server heartbeat stopped',
      source: 'STORED',
    });
    const { stack } = dataOf(
      await server.request(
        StackMessageTemplatesDocument,
        { id: stackId, channelId: slackChannelId },
        owner.token,
      ),
    );
    expect(stack.messageTemplates.map((template) => template.eventType).sort()).toEqual(['JOB_FAIL', null]);

    dataOf(
      await server.request(
        RemoveMessageTemplateDocument,
        { input: { ...key, eventType: 'JOB_FAIL' } },
        owner.token,
      ),
    );
    expect(await textFor('JOB_FAIL')).toMatchObject({ text: 'ALL Job run failed', source: 'STORED' });
    dataOf(await server.request(RemoveMessageTemplateDocument, { input: key }, owner.token));
    const builtIn = await textFor('JOB_FAIL');
    expect(builtIn).toMatchObject({ source: 'BUILT_IN', text: expect.stringContaining('] Job run failed') });
  });

  it('that names a data field the event lacks sends the built-in text instead of losing the notification', async () => {
    const { owner, tag, stackId, slackChannelId, publisher } = await stackWithChat();
    // Accepted: the sample has no "branch" either, and shows a placeholder for it.
    dataOf(
      await setTemplate(owner.token, {
        stackId,
        channelId: slackChannelId,
        template: 'branch {{ data.branch }}',
      }),
    );
    const sampled = dataOf(
      await preview(owner.token, { stackId, channelId: slackChannelId, eventType: 'APP_AUTH' }),
    ).previewMessage;
    expect(sampled.text).toBe('branch ‹branch›');
    // With the event's own data, strictly: refused with where.
    const strict = refusal(
      await preview(owner.token, {
        stackId,
        channelId: slackChannelId,
        eventType: 'APP_AUTH',
        data: { app: 'bot' },
      }),
    );
    expect(strict.extensions).toMatchObject({ code: 'BAD_USER_INPUT', line: 1, column: 11 });

    await publish(publisher, stackId, 'APP_AUTH', { app: 'bot' });
    const received = await slackMessageTo(`#t-${tag}`);
    expect(received.text).toBe(`[shop-${tag}] App authorized to access the account`);
    expect(received.blocks?.[0].type).toBe('header');
  });

  it('goes with its channel when the channel is removed', async () => {
    const { owner, stackId, slackChannelId } = await stackWithChat();
    dataOf(await setTemplate(owner.token, { stackId, channelId: slackChannelId, template: '{{ title }}' }));
    dataOf(await server.request(RemoveChannelDocument, { stackId, kind: 'SLACK' }, owner.token));
    const { stack } = dataOf(
      await server.request(StackMessageTemplatesDocument, { id: stackId }, owner.token),
    );
    expect(stack.messageTemplates).toEqual([]);
  });
});

describe('a Hipchat template', () => {
  it('is the room message, HTML with the event data escaped, exactly as previewed', async () => {
    const { owner, tag, stackId, publisher } = await stackWithChat();
    const { setMessageTemplate } = dataOf(
      await setTemplate(owner.token, {
        stackId,
        channelId: `HipchatChannel:${stackId}`,
        eventType: 'JOB_FAIL',
        template: '<b>{{ data.job | upcase }}</b> failed with {{ data.exitCode | plus: 0 }}: {{ data.why }}',
      }),
    );
    expect(setMessageTemplate.channelId).toMatch(/^[0-9a-f-]{36}$/);
    const data = { job: 'backup', exitCode: 3, why: '<disk full>' };
    const { previewMessage } = dataOf(
      await preview(owner.token, {
        stackId,
        channelId: setMessageTemplate.channelId,
        eventType: 'JOB_FAIL',
        data,
      }),
    );
    expect(previewMessage.text).toBe('<b>BACKUP</b> failed with 3: &lt;disk full&gt;');
    await publish(publisher, stackId, 'JOB_FAIL', data);
    const received = await hipchatMessageTo(`room-${tag}`);
    expect(received.message).toBe(previewMessage.text);
    expect(previewMessage.body).toMatchObject({ message: received.message, room_id: `room-${tag}` });
  });
});

describe('an email template', () => {
  it('sets the subject and the text body, the footer kept, exactly as previewed', async () => {
    const owner = await server.createAccount();
    const { tag, stackId, publisher } = await stackWithChat(owner);
    dataOf(
      await setTemplate(owner.token, {
        stackId,
        channel: 'EMAIL',
        eventType: 'SERVER_BACKON',
        subject: '{{ stack.name | upcase }}: {{ data.server }} is back',
        template: 'Fields:\n{% for field in fields %}- {{ field.label }} = {{ field.value }}\n{% endfor %}',
      }),
    );
    const data = { server: 'db-1', region: 'eu <1>' };
    const { previewMessage } = dataOf(
      await preview(owner.token, { stackId, channel: 'EMAIL', eventType: 'SERVER_BACKON', data }),
    );
    expect(previewMessage.subject).toBe(`SHOP-${tag.toUpperCase()}: db-1 is back`);
    expect(previewMessage.text).toMatch(
      /^Fields:\n- Server = db-1\n- Region = eu <1>\n\n-- \nYou receive this because/,
    );

    await publish(publisher, stackId, 'SERVER_BACKON', data);
    const mail = await mailTo(owner.email);
    expect(mail.parsed.subject).toBe(previewMessage.subject);
    expect(mail.parsed.text?.trimEnd()).toBe(previewMessage.text.trimEnd());
    expect(mail.parsed.html).toContain('eu &lt;1&gt;');
  });

  it('previews the built-in subject and text when the stack has none', async () => {
    const { owner, tag, stackId } = await stackWithChat();
    const { previewMessage } = dataOf(
      await preview(owner.token, { stackId, channel: 'EMAIL', eventType: 'SERVER_BACKON' }),
    );
    expect(previewMessage).toMatchObject({
      source: 'BUILT_IN',
      subject: `[shop-${tag}] Server heartbeat restored`,
      subjectTemplate: '[{{ stack.name }}] {{ title }}',
    });
    expect(previewMessage.text).toMatch(
      /^Server heartbeat restored\ndb-1 heartbeat restored after 14 min\n\nStack:/,
    );
  });
});

describe('a channel test', () => {
  it("is written with the channel's template and the stack's email template, as a real event would be", async () => {
    const owner = await server.createAccount();
    const { tag, stackId } = await stackWithChat(owner);
    const { createChannel } = dataOf(
      await server.request(
        CreateChannelDocument,
        {
          stackId,
          input: { name: 'Slack #tests', slack: { url: peers.slack.url, channel: `#tests-${tag}` } },
        },
        owner.token,
      ),
    );
    const slackChannelId = createChannel.channel.channelId!;
    dataOf(
      await setTemplate(owner.token, {
        stackId,
        channelId: slackChannelId,
        template: 'Test of *{{ stack.name }}*: {{ data.message }}',
      }),
    );
    dataOf(
      await setTemplate(owner.token, {
        stackId,
        channel: 'EMAIL',
        subject: '{{ stack.name }} says hello',
        template: 'From the template: {{ data.message }}',
      }),
    );

    const slack = dataOf(
      await server.request(TestChannelByIdDocument, { stackId, channelId: slackChannelId }, owner.token),
    );
    expect(slack.testChannel.ok).toBe(true);
    expect((await slackMessageTo(`#tests-${tag}`)).text).toBe(
      `Test of *shop-${tag}*: A test notification: this channel works.`,
    );

    const email = dataOf(await server.request(TestChannelDocument, { stackId, kind: 'EMAIL' }, owner.token));
    expect(email.testChannel.ok).toBe(true);
    const mail = await mailTo(owner.email);
    expect(mail.parsed.subject).toBe(`shop-${tag} says hello`);
    expect(mail.parsed.text).toMatch(/^From the template: A test notification: this channel works\./);

    // The Hipchat channel has no template: the built-in text.
    const { testChannel } = dataOf(
      await server.request(TestChannelDocument, { stackId, kind: 'HIPCHAT' }, owner.token),
    );
    expect(testChannel.ok).toBe(true);
    expect((await hipchatMessageTo(`room-${tag}`)).message).toContain(`shop-${tag}`);
  });
});

describe('a bad template', () => {
  const cases: [string, string, { line: number | null; column: number | null }, RegExp][] = [
    ['a syntax error', 'Hello\n  {% if %}x{% endif %}', { line: 2, column: 8 }, /invalid value expression/],
    ['an unknown variable', 'Hi {{ titel }}', { line: 1, column: 7 }, /undefined variable: titel/],
    [
      'an unknown filter',
      '{{ title }}\n{{ title | shout }}',
      { line: 2, column: 1 },
      /undefined filter: shout/,
    ],
    ['an include', '{% include "secrets" %}', { line: 1, column: 1 }, /include.*not available/],
    [
      'a render over the memory limit',
      '{% for i in (1..100000000) %}x{% endfor %}',
      { line: 1, column: 1 },
      /limit/,
    ],
    [
      'one that fails on some event type only',
      'Incident: {{ incident.subject | append: incident.nope }}',
      { line: 1, column: 41 },
      /incident\.nope.*rendering a STACK_PROVISION_FAIL notification/,
    ],
  ];

  it.each(cases)(
    'is refused over HTTP and WebSocket, with its line and column: %s',
    async (_name, template, at, message) => {
      const { owner, stackId, slackChannelId } = await stackWithChat();
      const input = { stackId, channelId: slackChannelId, template };
      const before = await databaseFingerprint(server.app.dataSource);
      const overHttp = refusal(await setTemplate(owner.token, input));
      const overSocket = await socketRequest(
        server.wsUrl,
        SetMessageTemplateDocument,
        { input },
        owner.token,
      );
      expect(await databaseFingerprint(server.app.dataSource)).toEqual(before);
      for (const error of [overHttp, refusal(overSocket as GraphQLResponse<unknown>)]) {
        expect(error.message).toMatch(message);
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.template', ...at });
        if (at.line !== null) expect(error.message).toContain(`line:${at.line}, col:${at.column}`);
      }
      const previewed = refusal(await preview(owner.token, { ...input, eventType: 'STACK_PROVISION_FAIL' }));
      expect(previewed.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.template' });
    },
  );

  it('is refused when longer than the limit, and so is a subject anywhere but email', async () => {
    const { owner, stackId, slackChannelId } = await stackWithChat();
    const tooLong = refusal(
      await setTemplate(owner.token, { stackId, channelId: slackChannelId, template: 'x'.repeat(10_001) }),
    );
    expect(tooLong.extensions?.code).toBe('BAD_USER_INPUT');
    const subject = refusal(
      await setTemplate(owner.token, { stackId, channelId: slackChannelId, template: 'x', subject: 'y' }),
    );
    expect(subject.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subject' });
    const badSubject = refusal(
      await setTemplate(owner.token, { stackId, channel: 'EMAIL', template: 'x', subject: '{{ nope }}' }),
    );
    expect(badSubject.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.subject', line: 1 });
  });

  it('cannot be set on a webhook, which sends the notification object itself', async () => {
    const { owner, stackId } = await stackWithChat();
    dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: peers.webhook.url } },
        owner.token,
      ),
    );
    const refused = refusal(
      await setTemplate(owner.token, {
        stackId,
        channelId: `WebhookChannel:${stackId}`,
        template: '{{ title }}',
      }),
    );
    expect(refused.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('who may change and preview templates', () => {
  it('lets a MEMBER preview but not set or remove, and a settings:read token neither change', async () => {
    const { owner, stackId, slackChannelId } = await stackWithChat();
    const member = await server.addUser(owner, Role.MEMBER);
    const reader = await server.createToken(owner, [Scope.SETTINGS_READ]);
    const input = { stackId, channelId: slackChannelId, template: '{{ title }}' };
    expect(refusal(await setTemplate(member.token, input)).extensions?.code).toBe('FORBIDDEN');
    expect(refusal(await setTemplate(reader, input)).extensions?.code).toBe('FORBIDDEN');
    dataOf(await setTemplate(owner.token, input));
    const removal = { input: { stackId, channelId: slackChannelId } };
    expect(
      refusal(await server.request(RemoveMessageTemplateDocument, removal, member.token)).extensions?.code,
    ).toBe('FORBIDDEN');
    const { previewMessage } = dataOf(
      await preview(member.token, { stackId, channelId: slackChannelId, eventType: 'JOB_FAIL' }),
    );
    expect(previewMessage).toMatchObject({ text: 'Job run failed', source: 'STORED' });
  });

  it("answers another account's channel as it answers an id that names nothing", async () => {
    const other = await stackWithChat();
    const { setMessageTemplate } = dataOf(
      await setTemplate(other.owner.token, {
        stackId: other.stackId,
        channelId: other.slackChannelId,
        template: 'x',
      }),
    );
    const theirs = setMessageTemplate.channelId!;
    const { owner, stackId } = await stackWithChat();
    const before = await databaseFingerprint(server.app.dataSource);
    for (const [channelId, missing] of [
      [theirs, randomUUID()],
      [other.slackChannelId, `SlackChannel:${randomUUID()}`],
    ]) {
      const foreign = refusal(await setTemplate(owner.token, { stackId, channelId, template: 'mine' }));
      const nothing = refusal(
        await setTemplate(owner.token, { stackId, channelId: missing, template: 'mine' }),
      );
      expect(foreign).toEqual(nothing);
      expect(foreign.extensions?.code).toBe('NOT_FOUND');
      const previewed = refusal(await preview(owner.token, { stackId, channelId, eventType: 'JOB_FAIL' }));
      expect(previewed.extensions?.code).toBe('NOT_FOUND');
    }
    // Their stack, named with their channel: their stack is not found for this caller.
    const theirStack = refusal(
      await preview(owner.token, { stackId: other.stackId, channelId: theirs, eventType: 'JOB_FAIL' }),
    );
    expect(theirStack.extensions?.code).toBe('NOT_FOUND');
    expect(await databaseFingerprint(server.app.dataSource)).toEqual(before);
  });
});
