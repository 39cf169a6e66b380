// A stack's own templates in the transports' message builders: each channel's escaping and limits, and the built-in
// text sent (and the failure reported) when a template fails on a notification.
import { EventType } from '../../src/modules/events/event-types';
import { notificationEmail } from '../../src/transports/email.transport';
import { hipchatMessage } from '../../src/transports/hipchat.transport';
import { type MessageTemplateError } from '../../src/transports/message-templates';
import { slackMessage } from '../../src/transports/slack.transport';
import { sampleNotification } from '../peers/notification-fixture';

const own = (body: string, subject: string | null = null) => ({ body, subject });

describe("a stack's own template", () => {
  it('is the whole Slack message, cut to what one section block holds', () => {
    const notification = sampleNotification({ data: { note: 'x'.repeat(5000) } });
    const message = slackMessage(notification, '#ops', own('{{ title }}: {{ data.note }}'));
    expect(message.text).toHaveLength(3000);
    expect(message.text.endsWith('…')).toBe(true);
    expect(message.blocks).toEqual([{ type: 'section', text: { type: 'mrkdwn', text: message.text } }]);
    expect(message.channel).toBe('#ops');
  });

  it('is cut for Hipchat at the last line break that fits, never inside a tag', () => {
    const data = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f${i}`, 'v'.repeat(400)]));
    const html = hipchatMessage(
      sampleNotification({ data }),
      own(
        '<b>{{ title }}</b>{% for field in fields %}<br><i>{{ field.label }}</i> {{ field.value }}{% endfor %}',
      ),
    );
    expect(html.length).toBeLessThanOrEqual(10_000);
    expect(html).toMatch(/<\/i> v+$/);
  });

  it('writes an email subject on one line, and the footer stays', () => {
    const mail = notificationEmail(
      sampleNotification({ stackName: 'web\nBcc: x@evil.example' }),
      'https://stacks.example/settings',
      own('Body for {{ stack.name }}', '{{ stack.name }}\n{{ title }}'),
    );
    expect(mail.subject).toBe('web Bcc: x@evil.example Stack redeployed successfully');
    expect(mail.text).toBe(
      'Body for web\nBcc: x@evil.example\n-- \nYou receive this because of your notification settings: ' +
        'https://stacks.example/settings\n',
    );
    expect(mail.html).toContain('<div style="white-space:pre-wrap">Body for web\nBcc: x@evil.example</div>');
  });

  it('that fails on a notification sends the built-in text, and says so', () => {
    const failures: [string, MessageTemplateError][] = [];
    const notification = sampleNotification({ eventType: EventType.JOB_FAIL, data: { job: 'nightly' } });
    const message = slackMessage(notification, null, own('{{ data.server }}'), null, (format, error) =>
      failures.push([format, error]),
    );
    expect(message).toEqual(slackMessage(notification, null));
    expect(failures).toHaveLength(1);
    expect(failures[0][0]).toBe('SLACK');
    expect(failures[0][1]).toMatchObject({ part: 'template', line: 1, column: 4 });
  });
});
