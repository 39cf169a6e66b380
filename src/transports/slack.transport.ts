// Slack incoming webhooks: one Block Kit message per notification.
import type { HttpResponse, SafeHttpClient } from '../lib/safe-http';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { attemptPost, httpOutcome } from './http-outcome';
import {
  deliveredMessageText,
  escapeSlack,
  type MessageLinks,
  type MessageTemplate,
  type TemplateFailureReporter,
} from './message-templates';
import { detailFields, incidentLine, notificationTitle, truncate } from './notification-text';
import type { DeliveryOutcome, Transport } from './transport';

export { escapeSlack } from './message-templates';

export interface SlackTarget {
  /** The incoming-webhook URL (https://hooks.slack.com/services/...). */
  url: string;
  /** Overrides the webhook's default channel when set, e.g. "#deploys". */
  channel: string | null;
  /** The stack's template for this channel and event type; the built-in text when absent. */
  template?: MessageTemplate | null;
  links?: MessageLinks | null;
}

/** Block Kit limits: https://api.slack.com/reference/block-kit/blocks */
const HEADER_MAX_CHARS = 150;
const SECTION_MAX_FIELDS = 10;
const FIELD_MAX_CHARS = 2000;

type TextObject = { type: 'plain_text' | 'mrkdwn'; text: string };
type Block =
  | { type: 'header'; text: TextObject }
  | { type: 'section'; text: TextObject; fields?: TextObject[] }
  | { type: 'context'; elements: TextObject[] };

export interface SlackMessage {
  /** Shown in notifications and where blocks cannot be. */
  text: string;
  blocks: Block[];
  channel?: string;
}

/**
 * The message: the built-in one is Block Kit (header, stack, details as fields, time) with the template's text as
 * its `text`; a stack's own template is the whole message: its text, shown as written (mrkdwn) in one section.
 */
export function slackMessage(
  notification: NotificationPayload,
  channel: string | null,
  template: MessageTemplate | null = null,
  links: MessageLinks | null = null,
  onTemplateFailure?: TemplateFailureReporter,
): SlackMessage {
  const rendered = deliveredMessageText('SLACK', notification, template, links, onTemplateFailure);
  if (rendered.custom) {
    return {
      text: rendered.text,
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: rendered.text } }],
      ...(channel ? { channel } : {}),
    };
  }
  const title = notificationTitle(notification);
  const { stack } = notification;
  const fields = detailFields(notification.data)
    .slice(0, SECTION_MAX_FIELDS)
    .map((field): TextObject => ({
      type: 'mrkdwn',
      text: truncate(`*${escapeSlack(field.label)}*\n${escapeSlack(field.value)}`, FIELD_MAX_CHARS),
    }));
  const resolved = incidentLine(notification);
  const epochSeconds = Math.floor(Date.parse(notification.occurredAt) / 1000);
  const blocks: Block[] = [
    { type: 'header', text: { type: 'plain_text', text: truncate(title, HEADER_MAX_CHARS) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text:
          `*${escapeSlack(stack.name)}* · ${escapeSlack(stack.environment)}` +
          (resolved ? `\n${escapeSlack(resolved)}` : ''),
      },
      ...(fields.length > 0 ? { fields } : {}),
    },
    {
      type: 'context',
      // Slack renders the date in each reader's time zone; the text after | is the fallback.
      elements: [
        {
          type: 'mrkdwn',
          text: `<!date^${epochSeconds}^{date_short_pretty} at {time}|${notification.occurredAt}>`,
        },
      ],
    },
  ];
  return {
    text: rendered.text,
    blocks,
    ...(channel ? { channel } : {}),
  };
}

/** Slack answers in plain text: "ok", or an error code such as invalid_payload or channel_not_found. */
function slackOutcome(response: HttpResponse, durationMs: number): DeliveryOutcome {
  const outcome = httpOutcome(response, durationMs);
  if (outcome.ok) return outcome;
  const answer = response.body.toString('utf8').trim();
  return { ...outcome, error: answer ? `${outcome.error}: ${truncate(answer, 200)}` : outcome.error };
}

export class SlackTransport implements Transport<SlackTarget> {
  constructor(
    private readonly http: SafeHttpClient,
    private readonly onTemplateFailure?: TemplateFailureReporter,
  ) {}

  send(target: SlackTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    const body = JSON.stringify(
      slackMessage(
        notification,
        target.channel,
        target.template ?? null,
        target.links ?? null,
        this.onTemplateFailure,
      ),
    );
    return attemptPost(
      this.http,
      target.url,
      { headers: { 'content-type': 'application/json' }, body },
      slackOutcome,
    );
  }
}
