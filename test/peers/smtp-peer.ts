// A real SMTP server on loopback (smtp-server) that parses what it receives (mailparser) and answers recipients
// and message data as scripted, e.g. 550 for one address and 451 once for another.
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerAddress, type SMTPServerDataStream } from 'smtp-server';

export interface SmtpReply {
  code: number;
  message: string;
}

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  raw: Buffer;
}

const CLOSE_TIMEOUT_MS = 100;

function smtpError(reply: SmtpReply): Error {
  return Object.assign(new Error(reply.message), { responseCode: reply.code });
}

export class SmtpPeer {
  readonly mails: ReceivedMail[] = [];
  /** RCPT TO attempts per address, accepted or not. */
  readonly recipientAttempts = new Map<string, number>();
  private readonly recipientReplies = new Map<string, SmtpReply[]>();
  private readonly refusedRecipients = new Map<string, SmtpReply>();
  private readonly dataReplies: SmtpReply[] = [];
  private server!: SMTPServer;

  private constructor() {}

  static async start(): Promise<SmtpPeer> {
    const peer = new SmtpPeer();
    peer.server = new SMTPServer({
      // Plain SMTP without authentication: nothing leaves loopback and the client is ours.
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      closeTimeout: CLOSE_TIMEOUT_MS,
      onRcptTo: (address, _session, callback) => callback(peer.answerRecipient(address)),
      onData: (stream, session, callback) => {
        peer.receive(stream, session.envelope.mailFrom, session.envelope.rcptTo).then(
          () => callback(peer.nextDataError()),
          (error: Error) => callback(error),
        );
      },
    });
    await new Promise<void>((resolve) => peer.server.listen(0, '127.0.0.1', resolve));
    return peer;
  }

  /** smtp://127.0.0.1:PORT, as EmailTransportOptions.smtpUrl. */
  get url(): string {
    return `smtp://127.0.0.1:${(this.server.server.address() as AddressInfo).port}`;
  }

  /** Refuses this recipient at every attempt, e.g. { code: 550, message: 'No such user' }. */
  refuseRecipient(address: string, reply: SmtpReply): void {
    this.refusedRecipients.set(address.toLowerCase(), reply);
  }

  /** Answers the next RCPT TO attempts for this address with these replies, then accepts it. */
  replyToRecipient(address: string, ...replies: SmtpReply[]): void {
    const queue = this.recipientReplies.get(address.toLowerCase()) ?? [];
    this.recipientReplies.set(address.toLowerCase(), [...queue, ...replies]);
  }

  /** Answers the end of the next message's DATA with this reply (the message is still recorded). */
  replyToData(reply: SmtpReply): void {
    this.dataReplies.push(reply);
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private answerRecipient(recipient: SMTPServerAddress): Error | undefined {
    const address = recipient.address.toLowerCase();
    this.recipientAttempts.set(address, (this.recipientAttempts.get(address) ?? 0) + 1);
    const refused = this.refusedRecipients.get(address);
    if (refused) return smtpError(refused);
    const scripted = this.recipientReplies.get(address)?.shift();
    return scripted ? smtpError(scripted) : undefined;
  }

  private nextDataError(): Error | undefined {
    const reply = this.dataReplies.shift();
    return reply ? smtpError(reply) : undefined;
  }

  private async receive(
    stream: SMTPServerDataStream,
    mailFrom: false | SMTPServerAddress,
    rcptTo: SMTPServerAddress[],
  ): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    this.mails.push({
      envelope: { from: mailFrom ? mailFrom.address : '', to: rcptTo.map((address) => address.address) },
      parsed: await simpleParser(raw),
      raw,
    });
  }
}
