import {
  ConfigureWebhookDocument,
  CreateStackDocument,
  MeDocument,
  SetEventPreferenceDocument,
  StackDocument,
} from './generated/graphql';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type TestServer } from './helpers/server';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('a stack owner managing notification settings', () => {
  it('creates a stack and reads the default matrix: all on except stack.deploy.started', async () => {
    const owner = await server.createAccount();
    const { createStack } = dataOf(
      await server.request(CreateStackDocument, { input: { name: 'web', environment: 'production' } }, owner.token),
    );
    const { stack } = dataOf(await server.request(StackDocument, { id: createStack.id }, owner.token));
    expect(stack.preferences).toHaveLength(14);
    for (const row of stack.preferences) {
      expect(row.cells.map((cell) => cell.channel)).toEqual(['BROWSER', 'EMAIL', 'HIPCHAT', 'IOS', 'SLACK', 'WEBHOOK']);
      for (const cell of row.cells) expect(cell.enabled).toBe(row.key !== 'stack.deploy.started');
    }
  });

  it('toggles a cell and reads it back', async () => {
    const owner = await server.createAccount();
    const { createStack } = dataOf(
      await server.request(CreateStackDocument, { input: { name: 'api', environment: 'staging' } }, owner.token),
    );
    dataOf(
      await server.request(
        SetEventPreferenceDocument,
        { stackId: createStack.id, eventType: 'JOB_FAIL', channel: 'SLACK', enabled: false },
        owner.token,
      ),
    );
    const { stack } = dataOf(await server.request(StackDocument, { id: createStack.id }, owner.token));
    const row = stack.preferences.find((candidate) => candidate.eventType === 'JOB_FAIL')!;
    expect(row.cells.find((cell) => cell.channel === 'SLACK')).toMatchObject({ enabled: false, isDefault: false });
  });

  it('returns the webhook signing secret once and only a hint afterwards', async () => {
    const owner = await server.createAccount();
    const { createStack } = dataOf(
      await server.request(CreateStackDocument, { input: { name: 'hooks', environment: 'production' } }, owner.token),
    );
    const first = dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId: createStack.id, input: { url: 'https://hooks.example.com/in' } },
        owner.token,
      ),
    );
    expect(first.configureWebhook.signingSecret).toMatch(/^whsec_/);
    const again = dataOf(
      await server.request(
        ConfigureWebhookDocument,
        { stackId: createStack.id, input: { url: 'https://hooks.example.com/other' } },
        owner.token,
      ),
    );
    expect(again.configureWebhook.signingSecret).toBeNull();
    expect(again.configureWebhook.channel).toMatchObject({ url: 'https://hooks.example.com/other', configured: true });
  });

  it('refuses a request without a token with UNAUTHENTICATED', async () => {
    expect(errorCode(await server.request(MeDocument, {}))).toBe('UNAUTHENTICATED');
  });
});
