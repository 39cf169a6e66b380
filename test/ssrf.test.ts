// With the guard on (the default), a channel cannot be pointed at this machine or a private network.
import {
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateChannelDocument,
  CreateStackDocument,
  RegisterWebPushSubscriptionDocument,
  StackDocument,
} from './generated/graphql';
import { StackChannel } from '../src/modules/channels/stack-channel.entity';
import { dataOf } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';
import { webPushSubscription } from './helpers/settings-fixtures';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ ALLOW_PRIVATE_NETWORK_TARGETS: 'false' });
});
afterAll(async () => {
  await server?.close();
});

const hostile = [
  'http://127.0.0.1/hook',
  'http://[::1]/hook',
  'http://10.0.0.1/hook',
  'http://172.16.0.1/hook',
  'http://192.168.1.1/hook',
  'http://169.254.169.254/latest/meta-data/',
  'http://100.64.0.1/hook',
  'http://[fd00::1]/hook',
  'http://[::ffff:127.0.0.1]/hook',
  'http://0.0.0.0/hook',
  'http://localhost/hook',
  'http://[2002:7f00:1::1]:8080/hook',
  'http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/hook',
  'http://[64:ff9b::a00:1]/hook',
  'http://[64:ff9b:1::7f00:1]/hook',
  'http://[::ffff:0:7f00:1]/hook',
  'http://[fec0::1]/hook',
  'http://192.0.2.1/hook',
];

async function createStack(token: string): Promise<string> {
  const { createStack } = dataOf(
    await server.request(CreateStackDocument, { input: { name: 'web', environment: 'production' } }, token),
  );
  return createStack.id;
}

describe('configuring a channel with a private target', () => {
  it.each(hostile)('refuses a webhook URL of %s with BAD_USER_INPUT and writes nothing', async (url) => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner.token);
    const response = await server.request(ConfigureWebhookDocument, { stackId, input: { url } }, owner.token);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    const slack = await server.request(ConfigureSlackDocument, { stackId, input: { url } }, owner.token);
    expect(slack.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    for (const kind of ['teams', 'discord', 'slack', 'webhook'] as const) {
      const created = await server.request(
        CreateChannelDocument,
        { stackId, input: { [kind]: { url } } },
        owner.token,
      );
      expect(created.errors?.[0].extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: `input.${kind}.url`,
      });
    }
    const { stack } = dataOf(await server.request(StackDocument, { id: stackId }, owner.token));
    expect(stack.channels.filter((channel) => channel.configured && channel.scope === 'SHARED')).toEqual([]);
    expect(await server.app.dataSource.getRepository(StackChannel).countBy({ stackId })).toBe(0);
  });

  it('says which IPv4 address a 6to4 webhook URL carries and why it is refused', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner.token);
    const response = await server.request(
      ConfigureWebhookDocument,
      { stackId, input: { url: 'http://[2002:7f00:1::1]:8080/hook' } },
      owner.token,
    );
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
    expect(response.errors?.[0].message).toMatch(
      /2002:7f00:1::1 is a 6to4 address of 127\.0\.0\.1, which is a loopback address/,
    );
  });
});

describe('configuring a channel whose host does not resolve', () => {
  const unresolvable = 'https://hooks.example.invalid/services/T/B/X';
  const warning =
    'hooks.example.invalid does not resolve from this server now; deliveries will be tried when it does';

  it('accepts a Slack and a webhook URL, saying the host does not resolve now', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner.token);
    const { configureSlack } = dataOf(
      await server.request(ConfigureSlackDocument, { stackId, input: { url: unresolvable } }, owner.token),
    );
    expect(configureSlack).toMatchObject({ configured: true, warning });
    const { configureWebhook } = dataOf(
      await server.request(ConfigureWebhookDocument, { stackId, input: { url: unresolvable } }, owner.token),
    );
    expect(configureWebhook).toMatchObject({ channel: { url: unresolvable }, warning });
  });

  it('accepts a Web Push endpoint, saying the host does not resolve now', async () => {
    const owner = await server.createAccount();
    const input = webPushSubscription(unresolvable);
    const { registerWebPushSubscription } = dataOf(
      await server.request(RegisterWebPushSubscriptionDocument, { input }, owner.token),
    );
    expect(registerWebPushSubscription).toMatchObject({ endpoint: unresolvable, warning });
  });

  it.each([
    'https://intranet/hook',
    'https:///x',
    'https://printer.local/hook',
    'https://build.internal/hook',
    'https://box.home.arpa/hook',
    'https://app.localhost/hook',
  ])('refuses %s: a name the public DNS never holds is not waited for', async (url) => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner.token);
    const response = await server.request(ConfigureWebhookDocument, { stackId, input: { url } }, owner.token);
    expect(response.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.url' });
  });

  it('runs both configure calls of the README tour in one request, resolvable or not', async () => {
    const owner = await server.createAccount();
    const stackId = await createStack(owner.token);
    const tour = `mutation {
      configureSlack(
        stackId: "${stackId}"
        input: { url: "https://hooks.slack.com/services/T000/B000/XXXX", channel: "#deploys" }
      ) { urlHint warning }
      configureWebhook(stackId: "${stackId}", input: { url: "https://example.com/hooks/stacks" }) {
        signingSecret warning channel { url secretHint }
      }
    }`;
    const data = dataOf(
      await server.request<
        {
          configureSlack: { urlHint: string };
          configureWebhook: { signingSecret: string; channel: { url: string } };
        },
        Record<string, never>
      >(tour, {}, owner.token),
    );
    expect(data.configureSlack.urlHint).toContain('hooks.slack.com');
    expect(data.configureWebhook.signingSecret).toMatch(/^whsec_/);
    expect(data.configureWebhook.channel.url).toBe('https://example.com/hooks/stacks');
  });
});
