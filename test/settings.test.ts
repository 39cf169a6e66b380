// The README's two-minute tour, end to end: create a stack, configure Slack and a webhook, toggle a cell, read the
// matrix. The other settings*.test.ts files cover each operation in depth.
import {
  ConfigureSlackDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  SetEventPreferenceDocument,
  StackDocument,
} from './generated/graphql';
import { dataOf } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('a stack owner on the two-minute tour', () => {
  it('creates a stack, configures Slack and a webhook, turns one cell off and reads the matrix', async () => {
    const owner = await server.createAccount();
    const { createStack } = dataOf(
      await server.request(
        CreateStackDocument,
        { input: { name: 'web', environment: 'production' } },
        owner.token,
      ),
    );
    const stackId = createStack.id;

    const slack = dataOf(
      await server.request(
        ConfigureSlackDocument,
        { stackId, input: { url: 'https://hooks.slack.com/services/T000/B000/XXXX', channel: '#deploys' } },
        owner.token,
      ),
    ).configureSlack;
    expect(slack).toMatchObject({
      configured: true,
      channelName: '#deploys',
      urlHint: 'hooks.slack.com/…XXXX',
    });

    const webhook = dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId, input: { url: 'https://hooks.example.com/in' } },
        owner.token,
      ),
    ).configureWebhook;
    expect(webhook.signingSecret).toMatch(/^whsec_/);

    const cell = dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId, eventType: 'STACK_REDEPLOY_OK', channel: 'SLACK', enabled: false },
        owner.token,
      ),
    ).setEventPreference;
    expect(cell).toMatchObject({ enabled: false, scope: 'SHARED', isDefault: false });

    const { stack } = dataOf(await server.request(StackDocument, { id: stackId }, owner.token));
    expect(stack).toMatchObject({ name: 'web', environment: 'production' });
    expect(stack.channels.filter((channel) => channel.configured).map((channel) => channel.kind)).toEqual([
      'BROWSER',
      'EMAIL',
      'SLACK',
      'WEBHOOK',
    ]);
    expect(stack.preferences).toHaveLength(14);
    const enabledCells = (key: string) =>
      stack.preferences
        .find((row) => row.key === key)!
        .cells.filter((c) => c.enabled)
        .map((c) => c.channel);
    expect(enabledCells('stack.redeploy.ok')).toEqual(['BROWSER', 'EMAIL', 'HIPCHAT', 'IOS', 'WEBHOOK']);
    expect(enabledCells('stack.deploy.started')).toEqual([]);
    expect(enabledCells('job.fail')).toEqual(['BROWSER', 'EMAIL', 'HIPCHAT', 'IOS', 'SLACK', 'WEBHOOK']);
  });
});
