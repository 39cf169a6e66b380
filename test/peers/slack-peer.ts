// A Slack incoming-webhook endpoint: answers "ok" or Slack's error codes with the status codes Slack uses.
import { HttpPeer, type RecordedRequest, type ScriptedResponse } from './http-peer';

export interface ReceivedSlackMessage {
  text?: string;
  blocks?: { type: string; [key: string]: unknown }[];
  channel?: string;
}

/** The error bodies Slack answers with, and their status codes. */
export const SLACK_ERRORS = {
  invalid_payload: 400,
  no_text: 400,
  action_prohibited: 403,
  channel_not_found: 404,
  no_service: 404,
  channel_is_archived: 410,
  rollup_error: 500,
} as const;
export type SlackError = keyof typeof SLACK_ERRORS;

const WEBHOOK_PATH = '/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX';

export class SlackPeer {
  /** Well-formed messages received, whatever the peer then answered. */
  readonly messages: ReceivedSlackMessage[] = [];

  http!: HttpPeer;

  private constructor() {}

  static async start(): Promise<SlackPeer> {
    const peer = new SlackPeer();
    peer.http = await HttpPeer.start({
      check: (request) => checkMessage(request, peer.messages),
      answer: () => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'ok' }),
    });
    return peer;
  }

  /** The incoming-webhook URL. */
  get url(): string {
    return `${this.http.url}${WEBHOOK_PATH}`;
  }

  /** The next request is answered with this error, e.g. 404 channel_not_found. */
  failWith(error: SlackError): void {
    this.http.script(slackError(error));
  }

  rateLimit(retryAfterSeconds: number): void {
    this.http.script({
      status: 429,
      headers: { 'content-type': 'text/plain', 'retry-after': String(retryAfterSeconds) },
      body: 'rate_limited',
    });
  }

  script(...responses: ScriptedResponse[]): void {
    this.http.script(...responses);
  }

  close(): Promise<void> {
    return this.http.close();
  }
}

function slackError(error: SlackError): ScriptedResponse {
  return { status: SLACK_ERRORS[error], headers: { 'content-type': 'text/plain' }, body: error };
}

function checkMessage(request: RecordedRequest, messages: ReceivedSlackMessage[]): ScriptedResponse | null {
  if (request.method !== 'POST' || request.url !== WEBHOOK_PATH) return slackError('no_service');
  let message: ReceivedSlackMessage;
  try {
    message = JSON.parse(request.body.toString('utf8')) as ReceivedSlackMessage;
  } catch {
    return slackError('invalid_payload');
  }
  if (typeof message !== 'object' || message === null) return slackError('invalid_payload');
  if (!message.text && !message.blocks) return slackError('no_text');
  messages.push(message);
  return null;
}
