// The eight channel transports, built once from configuration and closed together.
import { SafeHttpClient, type SafeHttpClientOptions } from '../lib/safe-http';
import { ChannelKind } from '../modules/events/event-types';
import { ApnsTransport, type ApnsTarget, type ApnsTransportOptions } from './apns.transport';
import { EmailTransport, type EmailTransportOptions } from './email.transport';
import { HipchatTransport, type HipchatTransportOptions } from './hipchat.transport';
import { DiscordTransport } from './discord.transport';
import { SlackTransport } from './slack.transport';
import type { TemplateFailureReporter } from './message-templates';
import { TeamsTransport } from './teams.transport';
import type { DeliveryOutcome, Transport } from './transport';
import { WebhookTransport } from './webhook.transport';
import { WebPushTransport, type WebPushTarget, type WebPushTransportOptions } from './webpush.transport';

export * from './transport';
export * from './apns.transport';
export * from './email.transport';
export * from './hipchat.transport';
export * from './discord.transport';
export * from './slack.transport';
export * from './teams.transport';
export * from './webhook.transport';
export * from './webpush.transport';

export interface TransportsOptions {
  /** The one safe HTTP client that webhook, Slack, Hipchat, Teams, Discord and Web Push share. */
  http: SafeHttpClientOptions;
  email: EmailTransportOptions;
  /** @default { apiUrl: 'https://api.hipchat.com' } */
  hipchat?: HipchatTransportOptions;
  /** null when iOS push is not configured: iOS deliveries then fail permanently, saying so. */
  apns: ApnsTransportOptions | null;
  /** null when no VAPID keys are configured: browser deliveries then fail permanently, saying so. */
  webPush: WebPushTransportOptions | null;
  /** Told when a stack's message template failed on a notification and the built-in text was sent instead. */
  onTemplateFailure?: TemplateFailureReporter;
}

/** One transport per channel, keyed like the delivery rows, plus the HTTP client six of them share. */
export interface Transports {
  [ChannelKind.WEBHOOK]: WebhookTransport;
  [ChannelKind.SLACK]: SlackTransport;
  [ChannelKind.HIPCHAT]: HipchatTransport;
  [ChannelKind.TEAMS]: TeamsTransport;
  [ChannelKind.DISCORD]: DiscordTransport;
  [ChannelKind.EMAIL]: EmailTransport;
  [ChannelKind.IOS]: Transport<ApnsTarget>;
  [ChannelKind.BROWSER]: Transport<WebPushTarget>;
  readonly httpClient: SafeHttpClient;
}

/** Stands in for a channel this server has no credentials for, so the worker needs no special case. */
export class UnconfiguredTransport<Target> implements Transport<Target> {
  constructor(private readonly reason: string) {}

  async send(): Promise<DeliveryOutcome> {
    return {
      ok: false,
      retryable: false,
      statusCode: null,
      responseExcerpt: null,
      error: this.reason,
      durationMs: 0,
    };
  }
}

export function createTransports(options: TransportsOptions): Transports {
  const httpClient = new SafeHttpClient(options.http);
  return {
    [ChannelKind.WEBHOOK]: new WebhookTransport(httpClient),
    [ChannelKind.SLACK]: new SlackTransport(httpClient, options.onTemplateFailure),
    [ChannelKind.HIPCHAT]: new HipchatTransport(httpClient, options.hipchat, options.onTemplateFailure),
    [ChannelKind.TEAMS]: new TeamsTransport(httpClient, options.onTemplateFailure),
    [ChannelKind.DISCORD]: new DiscordTransport(httpClient, options.onTemplateFailure),
    [ChannelKind.EMAIL]: new EmailTransport({
      onTemplateFailure: options.onTemplateFailure,
      ...options.email,
    }),
    [ChannelKind.IOS]: options.apns
      ? new ApnsTransport(options.apns)
      : new UnconfiguredTransport<ApnsTarget>('iOS push is not configured on this server (no APNs key)'),
    [ChannelKind.BROWSER]: options.webPush
      ? new WebPushTransport(httpClient, options.webPush)
      : new UnconfiguredTransport<WebPushTarget>(
          'browser push is not configured on this server (no VAPID keys)',
        ),
    httpClient,
  };
}

export async function closeTransports(transports: Transports): Promise<void> {
  await Promise.all([
    transports[ChannelKind.EMAIL].close(),
    transports[ChannelKind.IOS].close?.(),
    transports.httpClient.close(),
  ]);
}
