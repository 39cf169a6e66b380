// A stack whose JOB_FAIL events go only to a webhook peer (personal channels off), through the API of any server:
// the outbox then holds exactly one delivery per event, for tests that count deliveries across processes.
import { randomBytes } from 'node:crypto';
import {
  ConfigureWebhookDocument,
  CreateStackDocument,
  SetEventPreferencesDocument,
} from '../generated/graphql';
import type { WebhookPeer } from '../peers/webhook-peer';
import { dataOf, graphqlRequest } from './graphql';

export async function webhookOnlyStack(
  url: string,
  token: string,
  peer: Pick<WebhookPeer, 'url' | 'useSecrets'>,
): Promise<string> {
  const { createStack } = dataOf(
    await graphqlRequest(
      url,
      CreateStackDocument,
      { input: { name: `stack-${randomBytes(2).toString('hex')}`, environment: 'production' } },
      token,
    ),
  );
  const stackId = createStack.id;
  const { configureWebhook } = dataOf(
    await graphqlRequest(url, ConfigureWebhookDocument, { stackId, input: { url: peer.url } }, token),
  );
  peer.useSecrets([configureWebhook.signingSecret!]);
  dataOf(
    await graphqlRequest(
      url,
      SetEventPreferencesDocument,
      {
        stackId,
        changes: (['EMAIL', 'BROWSER', 'IOS'] as const).map((channel) => ({
          eventType: 'JOB_FAIL' as const,
          channel,
          enabled: false,
        })),
      },
      token,
    ),
  );
  return stackId;
}
