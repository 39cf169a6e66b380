// What a channel would be sent for a notification, built by the transports' own message builders but not sent: the
// preview of a message template.
import type { NotificationPayload } from '../modules/events/notification-payload';
import { discordMessage } from './discord.transport';
import { notificationEmail } from './email.transport';
import { hipchatFields } from './hipchat.transport';
import {
  type MessageFormat,
  type MessageLinks,
  type MessageTemplate,
  renderMessageText,
} from './message-templates';
import { slackMessage } from './slack.transport';
import { teamsMessage } from './teams.transport';

export interface PreviewedMessage {
  /** The text the template wrote, as sent (an email's with its footer). */
  text: string;
  /** Email only. */
  subject: string | null;
  /** The message as the transport sends it: Slack's JSON, Hipchat's form fields, the email's parts. */
  body: unknown;
}

/** The channel's settings that shape its message (Slack channel, Hipchat room). */
export interface PreviewChannel {
  slackChannel?: string | null;
  hipchatRoom?: string;
}

/** Throws MessageTemplateError for a template that does not parse or render with this notification. */
export function previewMessage(
  format: MessageFormat,
  notification: NotificationPayload,
  template: MessageTemplate | null,
  links: MessageLinks,
  channel: PreviewChannel,
): PreviewedMessage {
  // Strict first: delivery falls back to the built-in text where this throws.
  const rendered = renderMessageText(format, notification, template, links);
  switch (format) {
    case 'SLACK': {
      const message = slackMessage(notification, channel.slackChannel ?? null, template, links);
      return { text: message.text, subject: null, body: message };
    }
    case 'HIPCHAT': {
      const fields = hipchatFields({ room: channel.hipchatRoom ?? '', template, links }, notification);
      return { text: fields.message, subject: null, body: fields };
    }
    case 'EMAIL': {
      const content = notificationEmail(notification, links.settings, template, links);
      return { text: content.text, subject: content.subject, body: content };
    }
    case 'TEAMS':
      return { text: rendered.text, subject: null, body: teamsMessage(notification, template, links) };
    case 'DISCORD':
      return { text: rendered.text, subject: null, body: discordMessage(notification, template, links) };
  }
}
