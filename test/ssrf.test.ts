// With the guard on (the default), a channel cannot be pointed at this machine or a private network.
import {
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  StackDocument,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';

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
    const { stack } = dataOf(await server.request(StackDocument, { id: stackId }, owner.token));
    expect(stack.channels.filter((channel) => channel.configured && channel.scope === 'SHARED')).toEqual([]);
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
