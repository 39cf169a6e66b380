// A Discord channel-webhook endpoint: checks a message against Discord's embed limits (as Discord answers 400
// otherwise), answers with the created message under ?wait=true, and can rate-limit as Discord does (429 with
// retry_after in the JSON body).
import { HttpPeer, type RecordedRequest, type ScriptedResponse } from './http-peer';

export interface ReceivedDiscordMessage {
  content?: string;
  embeds?: {
    title?: string;
    description?: string;
    color?: number;
    fields?: { name: string; value: string; inline?: boolean }[];
    timestamp?: string;
    footer?: { text: string };
  }[];
  allowed_mentions?: { parse?: string[] };
}

const WEBHOOK_PATH = '/api/webhooks/1234567890/abcDEF_token';

function badRequest(message: string): ScriptedResponse {
  return {
    status: 400,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code: 50035, message }),
  };
}

/** What Discord would refuse in a message, or null. */
export function discordProblem(message: ReceivedDiscordMessage): string | null {
  if (!message.content && !message.embeds?.length) return 'Cannot send an empty message';
  if ((message.content ?? '').length > 2000) return 'content: Must be 2000 or fewer in length.';
  const embeds = message.embeds ?? [];
  if (embeds.length > 10) return 'embeds: Must be 10 or fewer in length.';
  let total = 0;
  for (const embed of embeds) {
    if ((embed.title ?? '').length > 256) return 'embeds.0.title: Must be 256 or fewer in length.';
    if ((embed.description ?? '').length > 4096)
      return 'embeds.0.description: Must be 4096 or fewer in length.';
    if ((embed.fields ?? []).length > 25) return 'embeds.0.fields: Must be 25 or fewer in length.';
    if (
      embed.color !== undefined &&
      (!Number.isInteger(embed.color) || embed.color < 0 || embed.color > 0xffffff)
    )
      return 'embeds.0.color: Invalid color';
    if (embed.timestamp !== undefined && Number.isNaN(Date.parse(embed.timestamp)))
      return 'embeds.0.timestamp: Could not parse';
    for (const field of embed.fields ?? []) {
      if (!field.name || field.name.length > 256)
        return 'embeds.0.fields.name: Must be between 1 and 256 in length.';
      if (!field.value || field.value.length > 1024)
        return 'embeds.0.fields.value: Must be between 1 and 1024 in length.';
      total += field.name.length + field.value.length;
    }
    total +=
      (embed.title ?? '').length + (embed.description ?? '').length + (embed.footer?.text ?? '').length;
  }
  if (total > 6000) return 'embeds: Embed size exceeds maximum size of 6000';
  return null;
}

export class DiscordPeer {
  /** Messages Discord would accept, whatever the peer then answered. */
  readonly messages: ReceivedDiscordMessage[] = [];
  http!: HttpPeer;

  private constructor() {}

  static async start(): Promise<DiscordPeer> {
    const peer = new DiscordPeer();
    peer.http = await HttpPeer.start({
      check: (request) => peer.check(request),
      answer: () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ id: '1100000000000000000', type: 0, channel_id: '1000000000000000000' }),
      }),
    });
    return peer;
  }

  get url(): string {
    return `${this.http.url}${WEBHOOK_PATH}`;
  }

  /** The next request is refused as Discord refuses too many: 429 with retry_after seconds in the body. */
  rateLimit(retryAfterSeconds: number): void {
    this.http.script({
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': String(Math.ceil(retryAfterSeconds)) },
      body: JSON.stringify({
        message: 'You are being rate limited.',
        retry_after: retryAfterSeconds,
        global: false,
      }),
    });
  }

  /** The webhook was deleted. */
  unknownWebhook(): void {
    this.http.script({
      status: 404,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'Unknown Webhook', code: 10015 }),
    });
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private check(request: RecordedRequest): ScriptedResponse | null {
    const url = new URL(request.url, 'http://peer');
    if (request.method !== 'POST' || url.pathname !== WEBHOOK_PATH) return { status: 404, body: 'Not Found' };
    if (!String(request.headers['content-type'] ?? '').startsWith('application/json'))
      return badRequest('Cannot send an empty message');
    let message: ReceivedDiscordMessage;
    try {
      message = JSON.parse(request.body.toString('utf8')) as ReceivedDiscordMessage;
    } catch {
      return badRequest('The request body contains invalid JSON.');
    }
    const problem = discordProblem(message);
    if (problem) return badRequest(problem);
    this.messages.push(message);
    return url.searchParams.get('wait') === 'true' ? null : { status: 204 };
  }
}
