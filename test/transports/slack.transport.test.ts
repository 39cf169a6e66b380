import { SafeHttpClient } from '../../src/lib/safe-http';
import { EventType } from '../../src/modules/events/event-types';
import { sampleNotification } from '../peers/notification-fixture';
import { SlackPeer, type SlackError } from '../peers/slack-peer';
import { SlackTransport, slackMessage } from '../../src/transports/slack.transport';

describe('SlackTransport', () => {
  let peer: SlackPeer;
  let http: SafeHttpClient;
  let transport: SlackTransport;

  beforeEach(async () => {
    peer = await SlackPeer.start();
    http = new SafeHttpClient({ allowPrivateNetworkTargets: true, timeoutMs: 2_000 });
    transport = new SlackTransport(http);
  });

  afterEach(async () => {
    await http.close();
    await peer.close();
  });

  it('posts a Block Kit message with the stack, the event title, the details and the time', async () => {
    const notification = sampleNotification({ data: { commitSha: 'a1b2c3d', deployedBy: 'ada' } });
    const outcome = await transport.send({ url: peer.url, channel: null }, notification);
    expect(outcome).toMatchObject({ ok: true, statusCode: 200, responseExcerpt: 'ok', error: null });
    const [message] = peer.messages;
    expect(message.text).toBe('[web] Stack redeployed successfully');
    expect(message.channel).toBeUndefined();
    expect(message.blocks?.map((block) => block.type)).toEqual(['header', 'section', 'context']);
    expect(message.blocks?.[0]).toMatchObject({
      text: { type: 'plain_text', text: 'Stack redeployed successfully' },
    });
    expect(message.blocks?.[1]).toMatchObject({
      text: { type: 'mrkdwn', text: '*web* · production' },
      fields: [
        { type: 'mrkdwn', text: '*Commit sha*\na1b2c3d' },
        { type: 'mrkdwn', text: '*Deployed by*\nada' },
      ],
    });
    expect(JSON.stringify(message.blocks?.[2])).toContain(notification.occurredAt);
  });

  it('names the channel when the target has one', async () => {
    await transport.send({ url: peer.url, channel: '#deploys' }, sampleNotification());
    expect(peer.messages[0].channel).toBe('#deploys');
  });

  it('escapes Slack control characters from event data', () => {
    const message = slackMessage(
      sampleNotification({ stackName: '<!channel>', data: { note: 'a & b <@U123>' } }),
      null,
    );
    const json = JSON.stringify(message);
    expect(json).not.toContain('<!channel>');
    expect(json).not.toContain('<@U123>');
    expect(json).toContain('a &amp; b &lt;@U123&gt;');
  });

  it('keeps at most ten fields, as Block Kit allows', () => {
    const data = Object.fromEntries(Array.from({ length: 14 }, (_, index) => [`key${index}`, index]));
    const section = slackMessage(sampleNotification({ data, eventType: EventType.JOB_FAIL }), null).blocks[1];
    expect(section.type === 'section' && section.fields).toHaveLength(10);
  });

  it.each<[SlackError, number]>([
    ['invalid_payload', 400],
    ['action_prohibited', 403],
    ['channel_not_found', 404],
    ['no_service', 404],
    ['channel_is_archived', 410],
  ])('records Slack\'s "%s" (%i) and does not retry it', async (error, status) => {
    peer.failWith(error);
    const outcome = await transport.send({ url: peer.url, channel: '#gone' }, sampleNotification());
    expect(outcome).toMatchObject({
      ok: false,
      retryable: false,
      statusCode: status,
      responseExcerpt: error,
    });
    expect(outcome.error).toContain(error);
  });

  it('retries a Slack server error', async () => {
    peer.failWith('rollup_error');
    const outcome = await transport.send({ url: peer.url, channel: null }, sampleNotification());
    expect(outcome).toMatchObject({
      ok: false,
      retryable: true,
      statusCode: 500,
      responseExcerpt: 'rollup_error',
    });
  });

  it('honours Retry-After when rate limited', async () => {
    peer.rateLimit(17);
    const outcome = await transport.send({ url: peer.url, channel: null }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: 429, retryAfterMs: 17_000 });
    expect(outcome.error).toBe('HTTP 429 Too Many Requests: rate_limited');
  });

  it('treats a timeout as retryable', async () => {
    const impatient = new SafeHttpClient({ allowPrivateNetworkTargets: true, timeoutMs: 200 });
    peer.script({ hang: true });
    try {
      const outcome = await new SlackTransport(impatient).send(
        { url: peer.url, channel: null },
        sampleNotification(),
      );
      expect(outcome).toMatchObject({
        ok: false,
        retryable: true,
        statusCode: null,
        error: 'no answer within 200 ms',
      });
    } finally {
      await impatient.close();
    }
  });
});
