// Microsoft Teams through an incoming webhook or a Workflows (Power Automate) URL: one Adaptive Card per
// notification. Neither kind of URL verifies signatures: the URL itself is the secret.
import type { SafeHttpClient } from '../lib/safe-http';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { attemptPost } from './http-outcome';
import { detailFields, notificationOutcome, notificationTitle, truncate } from './notification-text';
import {
  deliveredMessageText,
  type MessageLinks,
  type MessageTemplate,
  type TemplateFailureReporter,
} from './message-templates';
import type { DeliveryOutcome, Transport } from './transport';

export interface TeamsTarget {
  /** The incoming-webhook or Workflows URL. */
  url: string;
  /** The stack's template for this channel and event type; the built-in text when absent. */
  template?: MessageTemplate | null;
  links?: MessageLinks | null;
}

const MAX_FACTS = 20;
const FACT_VALUE_MAX_CHARS = 1000;
/** What Teams' Workflows and incoming webhooks render. */
const ADAPTIVE_CARD_VERSION = '1.4';

type CardElement =
  | {
      type: 'TextBlock';
      text: string;
      wrap: true;
      weight?: 'Bolder';
      size?: 'Medium';
      color?: string;
      isSubtle?: true;
    }
  | { type: 'FactSet'; facts: { title: string; value: string }[] };

export interface TeamsMessage {
  type: 'message';
  attachments: {
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: { $schema: string; type: 'AdaptiveCard'; version: string; body: CardElement[] };
  }[];
}

const COLOR_BY_OUTCOME: Record<string, string> = {
  failure: 'Attention',
  ok: 'Good',
  recovery: 'Good',
  success: 'Good',
};

export function teamsMessage(
  notification: NotificationPayload,
  template: MessageTemplate | null = null,
  links: MessageLinks | null = null,
  onTemplateFailure?: TemplateFailureReporter,
): TeamsMessage {
  const facts = detailFields(notification.data)
    .slice(0, MAX_FACTS)
    .map((field) => ({ title: field.label, value: truncate(field.value, FACT_VALUE_MAX_CHARS) }));
  const body: CardElement[] = [
    {
      type: 'TextBlock',
      text: notificationTitle(notification),
      wrap: true,
      weight: 'Bolder',
      size: 'Medium',
      color: COLOR_BY_OUTCOME[String(notificationOutcome(notification)).toLowerCase()] ?? 'Warning',
    },
    {
      type: 'TextBlock',
      // The template's text (MESSAGE_FORMATS.TEAMS); the title and facts are built here.
      text: deliveredMessageText('TEAMS', notification, template, links, onTemplateFailure).text,
      wrap: true,
      isSubtle: true,
    },
  ];
  if (facts.length > 0) body.push({ type: 'FactSet', facts });
  return {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: ADAPTIVE_CARD_VERSION,
          body,
        },
      },
    ],
  };
}

export class TeamsTransport implements Transport<TeamsTarget> {
  constructor(
    private readonly http: SafeHttpClient,
    private readonly onTemplateFailure?: TemplateFailureReporter,
  ) {}

  send(target: TeamsTarget, notification: NotificationPayload): Promise<DeliveryOutcome> {
    return attemptPost(this.http, target.url, {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        teamsMessage(notification, target.template ?? null, target.links ?? null, this.onTemplateFailure),
      ),
    });
  }
}
