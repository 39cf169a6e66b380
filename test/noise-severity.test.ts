// Severity and outcome: the catalogue's defaults, a stack's own severities, and the severity each notification keeps,
// seen in the API, the history, the subscription and the webhook body. SQLite, or PostgreSQL with TEST_DATABASE_URL.
import { Scope } from '../src/modules/accounts/api-token.entity';
import { Role } from '../src/modules/accounts/user.entity';
import {
  ClearEventSeverityDocument,
  ConfigureWebhookDocument,
  CreateStackDocument,
  EventTypeSeveritiesDocument,
  NoiseNotificationReceivedDocument,
  PublishNoiseEventDocument,
  SetEventSeverityDocument,
  StackEventSeveritiesDocument,
  StackNoiseNotificationsDocument,
  type EventType,
} from './generated/graphql';
import { dataOf, errorCode } from './helpers/graphql';
import { startTestServer, type Session, type TestServer } from './helpers/server';
import { eventually, subscribe } from './helpers/ws';
import { WebhookPeer } from './peers/webhook-peer';

let server: TestServer;
let webhook: WebhookPeer;

beforeAll(async () => {
  webhook = await WebhookPeer.start([]);
  server = await startTestServer({ DELIVERY_POLL_INTERVAL_MS: '50' });
}, 60_000);
afterAll(async () => {
  await server?.close();
  await webhook?.close();
});

async function webhookStack(owner: Session): Promise<string> {
  const { createStack } = dataOf(
    await server.request(
      CreateStackDocument,
      { input: { name: 'web', environment: 'production' } },
      owner.token,
    ),
  );
  const { configureWebhook } = dataOf(
    await server.request(
      ConfigureWebhookDocument,
      { stackId: createStack.id, input: { url: webhook.url } },
      owner.token,
    ),
  );
  webhook.useSecrets([configureWebhook.signingSecret!]);
  return createStack.id;
}

async function publish(token: string, stackId: string, eventType: EventType, data: Record<string, unknown>) {
  return dataOf(
    await server.request(PublishNoiseEventDocument, { input: { stackId, eventType, data } }, token),
  ).publishEvent;
}

async function webhookBodyOf(notificationId: string): Promise<Record<string, unknown>> {
  await eventually(() => webhook.verified.some((message) => message.id === notificationId), 20_000);
  return webhook.verified.find((message) => message.id === notificationId)!.payload;
}

describe('severity and outcome', () => {
  it('are in the catalogue with the documented defaults', async () => {
    const { eventTypes } = dataOf(await server.request(EventTypeSeveritiesDocument, {}));
    const byType = new Map(eventTypes.map((info) => [info.type, info]));
    for (const type of [
      'STACK_PROVISION_FAIL',
      'STACK_REDEPLOY_FAIL',
      'STACK_REDEPLOY_HOOK_FAIL',
      'SERVER_STOPPED',
      'PROCESS_DOWN',
      'CONTAINER_DOWN',
    ] as const) {
      expect(byType.get(type)).toEqual({ type, severity: 'CRITICAL', outcome: 'FAILURE' });
    }
    expect(byType.get('JOB_FAIL')).toEqual({ type: 'JOB_FAIL', severity: 'WARNING', outcome: 'FAILURE' });
    expect(byType.get('SERVER_BACKON')).toEqual({
      type: 'SERVER_BACKON',
      severity: 'INFO',
      outcome: 'RECOVERY',
    });
    expect(byType.get('JOB_BACKON')).toEqual({ type: 'JOB_BACKON', severity: 'INFO', outcome: 'RECOVERY' });
    expect(byType.get('STACK_REDEPLOY_OK')).toEqual({
      type: 'STACK_REDEPLOY_OK',
      severity: 'INFO',
      outcome: 'SUCCESS',
    });
    expect(byType.get('APP_AUTH')).toEqual({ type: 'APP_AUTH', severity: 'INFO', outcome: 'INFORMATIONAL' });
  });

  it('travel with a notification: its API object, the history, the subscription and the webhook body', async () => {
    const owner = await server.createAccount();
    const stackId = await webhookStack(owner);
    const subscriber = await subscribe(server.wsUrl, owner.token, NoiseNotificationReceivedDocument, {
      stackId,
    });
    try {
      const published = await publish(owner.token, stackId, 'JOB_FAIL', { job: 'nightly' });
      expect(published).toMatchObject({ severity: 'WARNING', outcome: 'FAILURE' });
      const [live] = await subscriber.waitFor(1, 20_000);
      expect(live.notificationReceived).toEqual(published);
      const { stack } = dataOf(
        await server.request(StackNoiseNotificationsDocument, { id: stackId }, owner.token),
      );
      expect(stack.notifications.nodes).toEqual([published]);
      const body = await webhookBodyOf(published.id);
      expect(body).toMatchObject({
        severity: 'WARNING',
        outcome: 'FAILURE',
        event_type: 'job.fail',
      });
      expect(body).toHaveProperty('incident_id');
      expect(body).toHaveProperty('incident_state');
    } finally {
      await subscriber.dispose();
    }
  });

  it("a stack's own severity applies to notifications published after it is set, not to earlier ones", async () => {
    const owner = await server.createAccount();
    const stackId = await webhookStack(owner);
    const before = await publish(owner.token, stackId, 'JOB_BACKON', { job: 'nightly' });
    expect(before.severity).toBe('INFO');

    const set = dataOf(
      await server.request(
        SetEventSeverityDocument,
        { stackId, eventType: 'JOB_BACKON', severity: 'CRITICAL' },
        owner.token,
      ),
    ).setEventSeverity;
    expect(set).toEqual({
      eventType: 'JOB_BACKON',
      severity: 'CRITICAL',
      defaultSeverity: 'INFO',
      overridden: true,
    });
    const { stack } = dataOf(
      await server.request(StackEventSeveritiesDocument, { id: stackId }, owner.token),
    );
    expect(stack.eventSeverities).toHaveLength(14);
    expect(stack.eventSeverities.find((row) => row.eventType === 'JOB_BACKON')).toEqual(set);
    expect(stack.eventSeverities.find((row) => row.eventType === 'SERVER_STOPPED')).toEqual({
      eventType: 'SERVER_STOPPED',
      severity: 'CRITICAL',
      defaultSeverity: 'CRITICAL',
      overridden: false,
    });

    const after = await publish(owner.token, stackId, 'JOB_BACKON', { job: 'nightly' });
    expect(after.severity).toBe('CRITICAL');
    expect((await webhookBodyOf(after.id)).severity).toBe('CRITICAL');

    const cleared = dataOf(
      await server.request(ClearEventSeverityDocument, { stackId, eventType: 'JOB_BACKON' }, owner.token),
    ).clearEventSeverity;
    expect(cleared).toEqual({
      eventType: 'JOB_BACKON',
      severity: 'INFO',
      defaultSeverity: 'INFO',
      overridden: false,
    });
    const third = await publish(owner.token, stackId, 'JOB_BACKON', { job: 'nightly' });
    expect(third.severity).toBe('INFO');

    // The history shows each notification with the severity it was published with.
    const history = dataOf(
      await server.request(StackNoiseNotificationsDocument, { id: stackId }, owner.token),
    );
    expect(history.stack.notifications.nodes.map((node) => node.severity)).toEqual([
      'INFO',
      'CRITICAL',
      'INFO',
    ]);
  });

  it("refuses a MEMBER, another account's stack and an unknown severity, changing nothing", async () => {
    const owner = await server.createAccount();
    const stackId = await webhookStack(owner);
    const member = await server.addUser(owner, Role.MEMBER);
    const stranger = await server.createAccount();
    const variables = { stackId, eventType: 'JOB_FAIL' as const, severity: 'INFO' as const };
    expect(errorCode(await server.request(SetEventSeverityDocument, variables, member.token))).toBe(
      'FORBIDDEN',
    );
    expect(errorCode(await server.request(SetEventSeverityDocument, variables, stranger.token))).toBe(
      'NOT_FOUND',
    );
    const reader = await server.createToken(owner, [Scope.SETTINGS_READ]);
    expect(errorCode(await server.request(SetEventSeverityDocument, variables, reader))).toBe('FORBIDDEN');
    const unknown = await server.request(
      SetEventSeverityDocument,
      { ...variables, severity: 'LOUD' as never },
      owner.token,
    );
    expect(errorCode(unknown)).toBe('BAD_USER_INPUT');
    const { stack } = dataOf(
      await server.request(StackEventSeveritiesDocument, { id: stackId }, owner.token),
    );
    expect(stack.eventSeverities.every((row) => !row.overridden)).toBe(true);
    expect((await publish(owner.token, stackId, 'JOB_FAIL', { job: 'x' })).severity).toBe('WARNING');
  });
});
