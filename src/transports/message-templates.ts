// The text of chat and email messages as Liquid templates: the variables a template sees, the built-in templates
// (today's texts) and, per target, how output is escaped and how long it may be. A stack may override the built-in
// template of a channel (stored by the templates module and handed to the transport with its target).
import { LiquidSandbox, TemplateError } from '../lib/liquid-sandbox';
import { formatDuration } from '../modules/incidents/incident-families';
import type { NotificationPayload } from '../modules/events/notification-payload';
import { detailFields, escapeHtml, incidentLine, stackLine, truncate } from './notification-text';

export { TemplateError } from '../lib/liquid-sandbox';

/** The targets whose text a template writes. */
export type MessageFormat = 'SLACK' | 'HIPCHAT' | 'EMAIL' | 'TEAMS' | 'DISCORD';

/** A stack's own template for a channel and event type. `subject` is for email only. */
export interface MessageTemplate {
  body: string;
  subject: string | null;
}

/** Pages of the stack a message may link to. */
export interface MessageLinks {
  /** Where a recipient changes which notifications they get (the stack's notifications page). */
  settings: string;
  notifications: string;
  deliveries: string;
}

export function stackLinks(publicUrl: string, stackId: string): MessageLinks {
  const stack = `${publicUrl}/stacks/${stackId}`;
  return {
    settings: `${stack}/notifications`,
    notifications: `${stack}/notifications`,
    deliveries: `${stack}/deliveries`,
  };
}

/** Slack's mrkdwn treats &, < and > as control characters. */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** What a template sees; README "Message templates" lists them. */
export function templateVariables(notification: NotificationPayload, links: MessageLinks | null): object {
  const { incident } = notification;
  return {
    notification_id: notification.id,
    event_type: notification.eventType,
    event_key: notification.eventKey,
    title: notification.title,
    severity: notification.severity,
    outcome: notification.outcome,
    stack: { ...notification.stack },
    stack_line: stackLine(notification),
    data: notification.data,
    fields: detailFields(notification.data),
    incident: incident
      ? {
          id: incident.id,
          family: incident.family,
          subject: incident.subject,
          state: incident.state,
          opened_at: incident.openedAt,
          resolved_at: incident.resolvedAt,
          duration: incident.duration,
          duration_text: incident.duration === null ? null : formatDuration(incident.duration),
        }
      : null,
    incident_line: incidentLine(notification),
    occurred_at: notification.occurredAt,
    created_at: notification.createdAt,
    links,
  };
}

interface FormatRules {
  /** The built-in template: today's text. */
  body: string;
  subject?: string;
  escape?: (text: string) => string;
  /** The target's limit for the text, in characters; longer output is cut. */
  maxChars: number;
  /** Cuts output longer than maxChars (an ellipsis at the end unless given). */
  cut?: (text: string, maxChars: number) => string;
}

/** A section block's text; a stack's own template is sent as one. */
const SLACK_TEXT_MAX_CHARS = 3_000;
const HIPCHAT_MESSAGE_MAX_CHARS = 10_000;
const HIPCHAT_FIELD_VALUE_MAX_CHARS = 500;
const EMAIL_TEXT_MAX_CHARS = 100_000;
const EMAIL_SUBJECT_MAX_CHARS = 250;
/** A Teams TextBlock has no documented limit; the whole card must stay under 28 KB. */
const TEAMS_TEXT_MAX_CHARS = 4_000;
const DISCORD_DESCRIPTION_MAX_CHARS = 4_096;

/**
 * Hipchat HTML is cut at the last line break (<br>) that fits, so no tag or entity is cut in half: today's rule of
 * leaving out the details that do not fit.
 */
function cutAtLineBreak(html: string, maxChars: number): string {
  const end = html.lastIndexOf('<br>', maxChars);
  return end > 0 ? html.slice(0, end) : truncate(html, maxChars);
}

export const MESSAGE_FORMATS: Record<MessageFormat, FormatRules> = {
  // The message's `text` (its notification and fallback line). The built-in message's Block Kit blocks are built in
  // code; a stack's own template is sent as the text and as one section block.
  SLACK: {
    body: '[{{ stack.name }}] {{ title }}{% if incident_line %}: {{ incident_line }}{% endif %}',
    escape: escapeSlack,
    maxChars: SLACK_TEXT_MAX_CHARS,
  },
  // The whole room message, in Hipchat's HTML subset.
  HIPCHAT: {
    body:
      '<strong>{{ stack.name }}</strong> ({{ stack.environment }}): {{ title }}' +
      '{% if incident_line %}<br>{{ incident_line }}{% endif %}' +
      '{% for field in fields %}<br><em>{{ field.label }}</em>: ' +
      `{{ field.value | truncate: ${HIPCHAT_FIELD_VALUE_MAX_CHARS}, "…" }}{% endfor %}`,
    escape: escapeHtml,
    maxChars: HIPCHAT_MESSAGE_MAX_CHARS,
    cut: cutAtLineBreak,
  },
  // The text body above the footer (which links to the settings and is always added), and the subject.
  EMAIL: {
    body:
      '{{ title }}\n' +
      '{% if incident_line %}{{ incident_line }}\n{% endif %}' +
      '\n' +
      'Stack: {{ stack_line }}\n' +
      'When: {{ occurred_at }}\n' +
      '{% for field in fields %}{{ field.label }}: {{ field.value }}\n{% endfor %}',
    subject: '[{{ stack.name }}] {{ title }}',
    maxChars: EMAIL_TEXT_MAX_CHARS,
  },
  // The card's second text block (the title and the facts are built in code).
  TEAMS: { body: '{{ stack_line }} · {{ occurred_at }}', maxChars: TEAMS_TEXT_MAX_CHARS },
  // The embed's description (its title, fields and footer are built in code).
  DISCORD: { body: '{{ stack_line }}', maxChars: DISCORD_DESCRIPTION_MAX_CHARS },
};

/** One sandbox per escaping rule: outputs are escaped by the engine, not by the template's author. */
const sandboxes = {
  plain: new LiquidSandbox(),
  slack: new LiquidSandbox({ escape: escapeSlack }),
  html: new LiquidSandbox({ escape: escapeHtml }),
};

function sandboxFor(rules: FormatRules): LiquidSandbox {
  if (rules.escape === escapeSlack) return sandboxes.slack;
  if (rules.escape === escapeHtml) return sandboxes.html;
  return sandboxes.plain;
}

function limited(text: string, maxChars: number, cut = truncate): string {
  return text.length <= maxChars ? text : cut(text, maxChars);
}

/** Headers cannot carry line breaks; a stack name with one must not add headers. */
export function singleLine(text: string): string {
  return text.replace(/[\r\n]+/g, ' ');
}

export interface RenderedText {
  text: string;
  /** Email only. */
  subject: string | null;
}

/** Which part failed, for errors shown to people: the body or the subject. */
export class MessageTemplateError extends TemplateError {
  constructor(
    readonly part: 'template' | 'subject',
    error: TemplateError,
  ) {
    super(error.message, error.line, error.column);
  }
}

function renderPart(
  rules: FormatRules,
  part: 'template' | 'subject',
  source: string | null | undefined,
  variables: object,
): string {
  try {
    const fallback = part === 'template' ? rules.body : rules.subject!;
    return source
      ? sandboxFor(rules).render(source, variables)
      : sandboxFor(rules).renderOwn(fallback, variables);
  } catch (error) {
    throw error instanceof TemplateError ? new MessageTemplateError(part, error) : error;
  }
}

/**
 * Renders a format's text with a stack's template (the built-in one where `template` is null or has no subject),
 * within the target's limits. Throws MessageTemplateError for a template that does not parse or render.
 */
export function renderMessageText(
  format: MessageFormat,
  notification: NotificationPayload,
  template: MessageTemplate | null,
  links: MessageLinks | null,
): RenderedText {
  const rules = MESSAGE_FORMATS[format];
  const variables = templateVariables(notification, links);
  const body = renderPart(rules, 'template', template?.body, variables);
  if (body.trim() === '') {
    throw new MessageTemplateError(
      'template',
      new TemplateError('the template renders an empty message', null, null),
    );
  }
  const text = limited(body, rules.maxChars, rules.cut);
  const subject =
    rules.subject === undefined
      ? null
      : truncate(
          singleLine(renderPart(rules, 'subject', template?.subject, variables)),
          EMAIL_SUBJECT_MAX_CHARS,
        );
  return { text, subject };
}

/** The paths of the variables a stack's template reads (['data', 'server'], ['title']...). */
export function templateVariablePaths(
  format: MessageFormat,
  template: MessageTemplate,
): (string | number)[][] {
  const rules = MESSAGE_FORMATS[format];
  const paths: (string | number)[][] = [];
  for (const [part, source] of [
    ['template', template.body],
    ['subject', template.subject],
  ] as const) {
    if (!source) continue;
    try {
      paths.push(...sandboxFor(rules).variablePaths(source));
    } catch (error) {
      throw error instanceof TemplateError ? new MessageTemplateError(part, error) : error;
    }
  }
  return paths;
}

/** Told when a stored template failed at delivery and the built-in text was sent instead. */
export type TemplateFailureReporter = (format: MessageFormat, error: MessageTemplateError) => void;

/**
 * For delivery: a stack's template that fails on this notification (its data lacks a field the template names)
 * must not lose the notification, so the built-in text is sent and the failure reported.
 */
export function deliveredMessageText(
  format: MessageFormat,
  notification: NotificationPayload,
  template: MessageTemplate | null | undefined,
  links: MessageLinks | null | undefined,
  onFailure?: TemplateFailureReporter,
): RenderedText & { custom: boolean } {
  if (template) {
    try {
      return { ...renderMessageText(format, notification, template, links ?? null), custom: true };
    } catch (error) {
      if (!(error instanceof MessageTemplateError)) throw error;
      onFailure?.(format, error);
    }
  }
  return { ...renderMessageText(format, notification, null, links ?? null), custom: false };
}
