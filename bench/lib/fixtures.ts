// What the benchmarks set up through the public API: a stack with every channel on, pointed at local receivers.
import { createECDH, randomBytes } from 'node:crypto';
import { graphql } from './graphql';

export interface BenchStack {
  stackId: string;
  /** whsec_... of the stack's webhook channel, when one was configured. */
  webhookSecret: string | null;
  /** The Web Push subscription's keys (base64url), for a receiver that decrypts what it gets. */
  webPush: { privateKey: string; auth: string };
}

export async function createStack(url: string, token: string, name = 'web'): Promise<string> {
  const data = await graphql<{ createStack: { id: string } }>(
    url,
    'mutation($input: CreateStackInput!) { createStack(input: $input) { id } }',
    { input: { name, environment: 'production' } },
    token,
  );
  return data.createStack.id;
}

export async function configureWebhook(
  url: string,
  token: string,
  stackId: string,
  target: string,
): Promise<string> {
  const data = await graphql<{ configureWebhook: { signingSecret: string } }>(
    url,
    'mutation($stackId: ID!, $url: String!) { configureWebhook(stackId: $stackId, input: { url: $url }) { signingSecret } }',
    { stackId, url: target },
    token,
  );
  return data.configureWebhook.signingSecret;
}

/**
 * All six channels on: Hipchat, Slack and a webhook at `receiverBase` (nothing is sent while WORKERS=0), the
 * owner's email (on by default), one iOS device and one Web Push subscription.
 */
export async function stackWithAllChannels(
  url: string,
  token: string,
  receiverBase: string,
): Promise<BenchStack> {
  const stackId = await createStack(url, token);
  await graphql(
    url,
    `
      mutation ($stackId: ID!, $slack: String!) {
        configureHipchat(stackId: $stackId, input: { token: "hipchat-bench-token", room: "deploys" }) {
          kind
        }
        configureSlack(stackId: $stackId, input: { url: $slack, channel: "#deploys" }) {
          kind
        }
      }
    `,
    { stackId, slack: `${receiverBase}/slack` },
    token,
  );
  const webhookSecret = await configureWebhook(url, token, stackId, `${receiverBase}/hook`);
  const keys = createECDH('prime256v1');
  keys.generateKeys();
  const auth = randomBytes(16).toString('base64url');
  await graphql(
    url,
    `
      mutation ($device: IosDeviceInput!, $push: WebPushSubscriptionInput!) {
        registerIosDevice(input: $device) {
          id
        }
        registerWebPushSubscription(input: $push) {
          id
        }
      }
    `,
    {
      device: { token: randomBytes(32).toString('hex'), deviceName: 'bench iPhone' },
      push: {
        endpoint: `${receiverBase}/push/${randomBytes(8).toString('hex')}`,
        keys: { p256dh: keys.getPublicKey('base64url'), auth },
      },
    },
    token,
  );
  return { stackId, webhookSecret, webPush: { privateKey: keys.getPrivateKey('base64url'), auth } };
}
