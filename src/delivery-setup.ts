// Builds the channel transports, the SSRF policy and the owners' notifier from configuration.
import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { BadUserInputError } from './lib/errors';
import type { Logger } from './lib/logger';
import { checkUrlTarget } from './lib/url-targets';
import type { OwnerNotifier, TargetPolicy } from './modules/channels/channels.service';
import type { VapidKeys } from './modules/channels/vapid-keys';
import { ChannelKind } from './modules/events/event-types';
import { createTransports, type Transports } from './transports';

export function createTransportsFromConfig(config: Config, vapid: VapidKeys, log: Logger): Transports {
  const ca = config.extraCaFile ? fs.readFileSync(config.extraCaFile) : undefined;
  const { apns } = config;
  return createTransports({
    http: {
      allowPrivateNetworkTargets: config.allowPrivateNetworkTargets,
      timeoutMs: config.delivery.httpTimeoutMs,
      ca,
    },
    email: {
      smtpUrl: config.smtpUrl,
      smtpFallbackUrl: config.smtpFallbackUrl,
      mailDir: path.join(config.dataDir, 'mail'),
      from: config.mailFrom,
      timeoutMs: config.delivery.httpTimeoutMs,
      logger: {
        info: (details, message) => log.info(details, message),
        warn: (details, message) => log.warn(details, message),
      },
    },
    hipchat: { apiUrl: config.hipchatApiUrl },
    apns:
      apns.keyFile && apns.keyId && apns.teamId && apns.topic
        ? {
            keyFile: apns.keyFile,
            keyId: apns.keyId,
            teamId: apns.teamId,
            topic: apns.topic,
            production: apns.production,
            address: apns.address ?? undefined,
            port: apns.port ?? undefined,
            ca,
            timeoutMs: config.delivery.httpTimeoutMs,
          }
        : null,
    webPush: {
      vapidPublicKey: vapid.publicKey,
      vapidPrivateKey: vapid.privateKey,
      vapidSubject: vapid.subject,
    },
    onTemplateFailure: (format, error) =>
      log.warn(
        { format, part: error.part, line: error.line, column: error.column, reason: error.message },
        "a stack's message template failed on a notification: the built-in text was sent",
      ),
  });
}

/**
 * Refuses, when a channel is configured, a URL whose host is (or resolves to) a private address; warns of one that
 * does not resolve.
 */
export function targetPolicy(config: Config): TargetPolicy {
  return {
    async assertAllowed(url, field) {
      try {
        return await checkUrlTarget(url.href, config.allowPrivateNetworkTargets);
      } catch (error) {
        throw new BadUserInputError(error instanceof Error ? error.message : String(error), field);
      }
    },
  };
}

export function ownerNotifier(transports: Transports, log: Logger): OwnerNotifier {
  return {
    async sendNotice(to, subject, text) {
      if (to.length === 0) return;
      const outcome = await transports[ChannelKind.EMAIL].sendNotice(to, subject, text);
      if (!outcome.ok) log.warn({ subject, error: outcome.error }, 'could not email the account owners');
    },
  };
}
