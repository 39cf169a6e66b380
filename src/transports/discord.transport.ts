// Discord channel webhooks: one message with an embed per notification. Discord pings nobody from it (event data may
// contain "@everyone"), and its 429 answers say in the body how long to wait.
import type { HttpResponse, SafeHttpClient } from '../lib/safe-http';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { attemptPost, httpOutcome } from './http-outcome';
import { detailFields, notificationOutcome, notificationTitle, truncate } from './notification-text';
import {
  deliveredMessageText,
  type MessageLinks,
  type MessageTemplate,
  type TemplateFailureReporter,
} from './message-templates';
import type { DeliveryOutcome, Transport } from './transport';

export interface DiscordTarget {
  /** The channel webhook URL (https://discord.com/api/webhooks/<id>/<token>). */
  url: string;
  /** The stack's template for this channel and event type; the built-in text when absent. */
  template?: MessageTemplate | null;
  links?: MessageLinks | null;
}

/** Embed limits: https://discord.com/developers/docs/resources/message#embed-object-embed-limits */
const TITLE_MAX_CHARS = 256;
const FIELD_NAME_MAX_CHARS = 256;
const FIELD_VALUE_MAX_CHARS = 1024;
const MAX_FIELDS = 25;
const EMBED_MAX_CHARS = 6000;
const CONTENT_MAX_CHARS = 2000;

const COLOR_BY_OUTCOME: Record<string, number> = {
  failure: 0xd92d20,
  ok: 0x2e7d32,
  recovery: 0x2e7d32,
  success: 0x2e7d32,
};
const NEUTRAL_COLOR = 0xb58900;

interface EmbedField {
  name: string;
  value: string;
  inline: boolean;
}

export interface DiscordMessage {
  content: string;
  embeds: {
    title: string;
    description: string;
    color: number;
    fields: EmbedField[];
    timestamp: string;
    footer: { text: string };
  }[];
  allowed_mentions: { parse: never[] };
}

export function discordMessage(
  notification: NotificationPayload,
  template: MessageTemplate | null = null,
  links: MessageLinks | null = null,
  onTemplateFailure?: TemplateFailureReporter,
): DiscordMessage {
  const title = truncate(notificationTitle(notification), TITLE_MAX_CHARS);
  // The template's text (MESSAGE_FORMATS.DISCORD); the title, fields and footer are built here.
  const description = deliveredMessageText('DISCORD', notification, template, links, onTemplateFailure).text;
  const footer = notification.eventKey;
  // The embed's characters together stay within Discord's total; fields that do not fit are left out.
  let budget = EMBED_MAX_CHARS - title.length - description.length - footer.length;
  const fields: EmbedField[] = [];
  for (const field of detailFields(notification.data).slice(0, MAX_FIELDS)) {
    const name = truncate(field.label, FIELD_NAME_MAX_CHARS) || '—';
    const value = truncate(field.value, FIELD_VALUE_MAX_CHARS) || '—';
    if (name.length + value.length > budget) break;
    budget -= name.length + value.length;
    fields.push({ name, value, inline: value.length <= 40 });
  }
  return {
    content: truncate(`[${notification.stack.name}] ${title}`, CONTENT_MAX_CHARS),
    embeds: [
      {
        title,
        description,
        color: COLOR_BY_OUTCOME[String(notificationOutcome(notification)).toLowerCase()] ?? NEUTRAL_COLOR,
        fields,
        timestamp: notification.occurredAt,
        footer: { text: footer },
      },
    ],
    allowed_mentions: { parse: [] },
  };
}

/** Discord's rate-limit answer carries `retry_after` in seconds (with a fraction) in its JSON body. */
function discordOutcome(response: HttpResponse, durationMs: number): DeliveryOutcome {
  const outcome = httpOutcome(response, durationMs);
  if (outcome.ok) return outcome;
  let answer: { message?: unknown; retry_after?: unknown } | null = null;
  try {
    answer = JSON.parse(response.body.toString('utf8')) as { message?: unknown; retry_after?: unknown };
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  const message =
    typeof answer?.message === 'string' ? `${outcome.error}: ${truncate(answer.message, 200)}` : null;
  const retryAfter =
    response.statusCode === 429 && typeof answer?.retry_after === 'number' && answer.retry_after >= 0
      ? Math.ceil(answer.retry_after * 1000)
      : undefined;
  return {
    ...outcome,
    error: message ?? outcome.error,
    // The body's figure is the precise one; the Retry-After header rounds it up to whole seconds.
    ...(retryAfter !== undefined ? { retryAfterMs: retryAfter } : {}),
  };
}

export class DiscordTransport implements Transport<DiscordTarget> {
  constructor(
    private readonly http: SafeHttpClient,
    private readonly onTemplateFailure?: TemplateFailureReporter,
  ) {}

  send(target: DiscordTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    const url = new URL(target.url);
    // Without wait=true Discord answers 204 before it has checked the message; with it, errors come back.
    url.searchParams.set('wait', 'true');
    return attemptPost(
      this.http,
      url.href,
      {
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(
          discordMessage(notification, target.template ?? null, target.links ?? null, this.onTemplateFailure),
        ),
      },
      discordOutcome,
      { url: { keepQuery: ['wait'] } },
    );
  }
}
