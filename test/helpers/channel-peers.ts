// Every channel's real peer on loopback, and the server environment that points the channels at them.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import webpush from 'web-push';
import { ApnsPeer } from '../peers/apns-peer';
import { HipchatPeer } from '../peers/hipchat-peer';
import { SlackPeer } from '../peers/slack-peer';
import { SmtpPeer } from '../peers/smtp-peer';
import { localCertificate } from '../peers/tls-certificate';
import { WebhookPeer } from '../peers/webhook-peer';
import { WebPushPeer } from '../peers/webpush-peer';

export const HIPCHAT_TOKEN = 'hipchat-room-token-1234';
export const APNS_KEY_ID = 'KEY1234567';
export const APNS_TEAM_ID = 'TEAM123456';
export const APNS_TOPIC = 'com.example.stacks';

export interface ChannelPeers {
  smtp: SmtpPeer;
  webhook: WebhookPeer;
  slack: SlackPeer;
  hipchat: HipchatPeer;
  apns: ApnsPeer;
  webPush: WebPushPeer;
  /** The server's environment for these peers. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startChannelPeers(): Promise<ChannelPeers> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stack-notifications-peers-'));
  const apnsKey = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const keyFile = path.join(dir, 'apns.p8');
  fs.writeFileSync(keyFile, apnsKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  const caFile = path.join(dir, 'ca.pem');
  fs.writeFileSync(caFile, (await localCertificate()).cert);
  const vapid = webpush.generateVAPIDKeys();

  const [smtp, webhook, slack, hipchat, apns, webPush] = await Promise.all([
    SmtpPeer.start(),
    WebhookPeer.start([]),
    SlackPeer.start(),
    HipchatPeer.start([HIPCHAT_TOKEN]),
    ApnsPeer.start({ publicKey: apnsKey.publicKey, keyId: APNS_KEY_ID, teamId: APNS_TEAM_ID }),
    WebPushPeer.start(vapid.publicKey),
  ]);
  return {
    smtp,
    webhook,
    slack,
    hipchat,
    apns,
    webPush,
    env: {
      SMTP_URL: smtp.url,
      HIPCHAT_API_URL: hipchat.apiUrl,
      APNS_KEY_FILE: keyFile,
      APNS_KEY_ID,
      APNS_TEAM_ID,
      APNS_TOPIC,
      APNS_ADDRESS: apns.address,
      APNS_PORT: String(apns.port),
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: vapid.privateKey,
      EXTRA_CA_FILE: caFile,
    },
    async close() {
      await Promise.all([
        smtp.close(),
        webhook.close(),
        slack.close(),
        hipchat.close(),
        apns.close(),
        webPush.close(),
      ]);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A device token as APNs issues them: 32 random bytes in hex. */
export function deviceToken(): string {
  return randomBytes(32).toString('hex');
}
