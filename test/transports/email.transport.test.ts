import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import { sampleNotification } from '../peers/notification-fixture';
import { SmtpPeer } from '../peers/smtp-peer';
import { EmailTransport, notificationEmail, type MailLogger } from '../../src/transports/email.transport';

const settingsUrl = 'http://localhost:4000/stacks/s1/notifications';

function recordingLogger(): MailLogger & { lines: { details: object; message: string }[] } {
  const lines: { details: object; message: string }[] = [];
  return {
    lines,
    info: (details, message) => lines.push({ details, message }),
    warn: (details, message) => lines.push({ details, message }),
  };
}

describe('EmailTransport over SMTP', () => {
  let peer: SmtpPeer;
  let transport: EmailTransport;

  beforeEach(async () => {
    peer = await SmtpPeer.start();
    transport = new EmailTransport({ smtpUrl: peer.url, timeoutMs: 2_000, logger: recordingLogger() });
  });

  afterEach(async () => {
    await transport.close();
    await peer.close();
  });

  it('sends a text and HTML mail titled "[stack] event" with a link to the settings', async () => {
    const outcome = await transport.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
    expect(outcome).toMatchObject({ ok: true, retryable: false, statusCode: 250, error: null });
    expect(outcome.responseExcerpt).toMatch(/^250 /);
    const [mail] = peer.mails;
    expect(mail.envelope).toEqual({ from: 'notifications@localhost', to: ['ada@example.com'] });
    expect(mail.parsed.subject).toBe('[web] Stack redeployed successfully');
    expect(mail.parsed.from?.text).toBe('"Stack notifications" <notifications@localhost>');
    expect(mail.parsed.text).toContain('Commit sha: a1b2c3d');
    expect(mail.parsed.text).toContain(settingsUrl);
    expect(mail.parsed.html).toContain(`<a href="${settingsUrl}">`);
  });

  it('uses the configured From', async () => {
    const custom = new EmailTransport({
      smtpUrl: peer.url,
      from: 'Ops <ops@example.com>',
      logger: recordingLogger(),
    });
    try {
      await custom.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
      expect(peer.mails[0].envelope.from).toBe('ops@example.com');
    } finally {
      await custom.close();
    }
  });

  it('fails permanently when the server refuses the recipient with a 5xx', async () => {
    peer.refuseRecipient('gone@example.com', { code: 550, message: 'No such user here' });
    const outcome = await transport.send({ to: ['gone@example.com'], settingsUrl }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 550 });
    expect(outcome.responseExcerpt).toContain('No such user here');
    expect(peer.mails).toHaveLength(0);
  });

  it('retries a 4xx and the next attempt goes through', async () => {
    peer.replyToRecipient('busy@example.com', { code: 451, message: 'Try again later' });
    const first = await transport.send({ to: ['busy@example.com'], settingsUrl }, sampleNotification());
    expect(first).toMatchObject({ ok: false, retryable: true, statusCode: 451 });
    const second = await transport.send({ to: ['busy@example.com'], settingsUrl }, sampleNotification());
    expect(second.ok).toBe(true);
    expect(peer.recipientAttempts.get('busy@example.com')).toBe(2);
    expect(peer.mails).toHaveLength(1);
  });

  it('delivers to the recipients the server accepts and lists those it refused', async () => {
    peer.refuseRecipient('gone@example.com', { code: 550, message: 'No such user here' });
    const outcome = await transport.send(
      { to: ['ada@example.com', 'gone@example.com'], settingsUrl },
      sampleNotification(),
    );
    expect(outcome.ok).toBe(true);
    expect(outcome.responseExcerpt).toContain('rejected: gone@example.com');
    expect(peer.mails[0].envelope.to).toEqual(['ada@example.com']);
  });

  it('fails permanently when the message is refused at DATA with a 5xx', async () => {
    peer.replyToData({ code: 554, message: 'Message rejected as spam' });
    const outcome = await transport.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
    expect(outcome).toMatchObject({ ok: false, retryable: false, statusCode: 554 });
  });

  it('retries when the SMTP server cannot be reached', async () => {
    const port = new URL(peer.url).port;
    await peer.close();
    const unreachable = new EmailTransport({
      smtpUrl: `smtp://127.0.0.1:${port}`,
      timeoutMs: 1_000,
      logger: recordingLogger(),
    });
    try {
      const outcome = await unreachable.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
      expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: null });
      expect(outcome.error).toMatch(/ECONNREFUSED/);
    } finally {
      await unreachable.close();
      peer = await SmtpPeer.start();
    }
  });

  describe('with a fallback relay', () => {
    let fallback: SmtpPeer;

    beforeEach(async () => {
      fallback = await SmtpPeer.start();
    });
    afterEach(async () => {
      await fallback.close();
    });

    function withFallback(primaryUrl: string): EmailTransport {
      return new EmailTransport({
        smtpUrl: primaryUrl,
        smtpFallbackUrl: fallback.url,
        timeoutMs: 1_000,
        logger: recordingLogger(),
      });
    }

    it('sends through the fallback when the primary refuses the connection, and says so in the attempt', async () => {
      const port = new URL(peer.url).port;
      await peer.close();
      const relayed = withFallback(`smtp://127.0.0.1:${port}`);
      try {
        const outcome = await relayed.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
        expect(outcome).toMatchObject({ ok: true, statusCode: 250, error: null });
        expect(outcome.responseExcerpt).toMatch(/^fallback relay: 250 .*\(primary relay: .*ECONNREFUSED/);
        expect(fallback.mails).toHaveLength(1);
        expect(fallback.mails[0].parsed.subject).toBe('[web] Stack redeployed successfully');
      } finally {
        await relayed.close();
        peer = await SmtpPeer.start();
      }
    });

    it.each([
      ['a 5xx', { code: 550, message: 'Relaying denied' }],
      ['a 4xx', { code: 451, message: 'Greylisted, try later' }],
    ])('sends through the fallback when the primary answers the envelope with %s', async (_case, reply) => {
      peer.refuseRecipient('ada@example.com', reply);
      const relayed = withFallback(peer.url);
      try {
        const outcome = await relayed.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
        expect(outcome).toMatchObject({ ok: true, statusCode: 250 });
        expect(outcome.responseExcerpt).toContain(`primary relay: `);
        expect(outcome.responseExcerpt).toContain(String(reply.code));
        expect(peer.mails).toHaveLength(0);
        expect(fallback.mails.map((mail) => mail.envelope.to)).toEqual([['ada@example.com']]);
      } finally {
        await relayed.close();
      }
    });

    it('does not use the fallback when the primary takes the mail, or refuses its content at DATA', async () => {
      const relayed = withFallback(peer.url);
      try {
        expect((await relayed.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification())).ok).toBe(
          true,
        );
        peer.replyToData({ code: 554, message: 'Message content rejected' });
        const refused = await relayed.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
        expect(refused).toMatchObject({ ok: false, retryable: false, statusCode: 554 });
        // The peer records a message it refused at DATA too.
        expect(peer.mails).toHaveLength(2);
        expect(fallback.mails).toHaveLength(0);
      } finally {
        await relayed.close();
      }
    });

    it('reports both relays when both fail, retryable if either might take it later', async () => {
      peer.refuseRecipient('ada@example.com', { code: 550, message: 'Relaying denied' });
      fallback.replyToRecipient('ada@example.com', { code: 451, message: 'Try again later' });
      const relayed = withFallback(peer.url);
      try {
        const outcome = await relayed.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
        expect(outcome).toMatchObject({ ok: false, retryable: true, statusCode: 451 });
        expect(outcome.error).toMatch(/^primary relay: .*550.*; fallback relay: .*451/);
      } finally {
        await relayed.close();
      }
    });
  });

  it('sends a plain notice to owners through the same server', async () => {
    const outcome = await transport.sendNotice(
      ['owner@example.com', 'admin@example.com'],
      'Slack channel disabled',
      'The Slack channel of web failed for 72 hours and was disabled.',
    );
    expect(outcome.ok).toBe(true);
    const [mail] = peer.mails;
    expect(mail.envelope.to).toEqual(['owner@example.com', 'admin@example.com']);
    expect(mail.parsed.subject).toBe('Slack channel disabled');
    expect(mail.parsed.text?.trim()).toBe('The Slack channel of web failed for 72 hours and was disabled.');
    expect(mail.parsed.html).toBe(false);
  });
});

describe('EmailTransport without an SMTP server', () => {
  let mailDir: string;

  beforeEach(async () => {
    mailDir = await mkdtemp(path.join(tmpdir(), 'mail-'));
  });

  afterEach(async () => {
    await rm(mailDir, { recursive: true, force: true });
  });

  it('writes each mail as an .eml file and logs where', async () => {
    const logger = recordingLogger();
    const transport = new EmailTransport({ mailDir: path.join(mailDir, 'mail'), logger });
    const outcome = await transport.send({ to: ['ada@example.com'], settingsUrl }, sampleNotification());
    await transport.close();
    const files = await readdir(path.join(mailDir, 'mail'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/\.eml$/);
    const file = path.join(mailDir, 'mail', files[0]);
    expect(outcome).toMatchObject({ ok: true, responseExcerpt: `written to ${file}` });
    expect(logger.lines).toEqual([
      expect.objectContaining({ details: expect.objectContaining({ path: file }) }),
    ]);
    const parsed = await simpleParser(await readFile(file));
    expect(parsed.subject).toBe('[web] Stack redeployed successfully');
    expect(parsed.to && !Array.isArray(parsed.to) ? parsed.to.text : '').toBe('ada@example.com');
  });
});

describe('notificationEmail', () => {
  it('escapes event data in the HTML body', () => {
    const { html, text } = notificationEmail(
      sampleNotification({ stackName: 'web', data: { note: '<img src=x onerror=alert(1)>' } }),
      'https://example.com/settings?a=1&b="2"',
    );
    expect(html).not.toContain('<img');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).toContain('href="https://example.com/settings?a=1&amp;b=&quot;2&quot;"');
    expect(text).toContain('Note: <img src=x onerror=alert(1)>');
  });

  it('keeps line breaks in a stack name out of the subject', () => {
    const { subject } = notificationEmail(
      sampleNotification({ stackName: 'web\r\nBcc: x@example.com' }),
      settingsUrl,
    );
    expect(subject).toBe('[web Bcc: x@example.com] Stack redeployed successfully');
  });
});
