// A Hipchat API v1 server for POST /v1/rooms/message: checks the token and the form as Hipchat did and answers
// {"status":"sent"} or Hipchat's JSON errors.
import { HttpPeer, type RecordedRequest, type ScriptedResponse } from './http-peer';

export interface ReceivedHipchatMessage {
  token: string;
  roomId: string;
  from: string;
  message: string;
  messageFormat: string;
  notify: string;
  color: string;
}

const MESSAGE_PATH = '/v1/rooms/message';
const FROM_MAX_CHARS = 15;
const MESSAGE_MAX_CHARS = 10_000;
const COLORS = ['yellow', 'red', 'green', 'purple', 'gray', 'random'];
const JSON_HEADERS = { 'content-type': 'application/json' };

export function hipchatError(
  code: number,
  type: string,
  message: string,
  headers: Record<string, string> = {},
) {
  return {
    status: code,
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify({ error: { code, type, message } }),
  };
}

export class HipchatPeer {
  /** Messages that passed Hipchat's checks, whatever the peer then answered. */
  readonly messages: ReceivedHipchatMessage[] = [];
  http!: HttpPeer;

  private constructor(private readonly tokens: ReadonlySet<string>) {}

  /** A server that knows these auth tokens. */
  static async start(tokens: string[]): Promise<HipchatPeer> {
    const peer = new HipchatPeer(new Set(tokens));
    peer.http = await HttpPeer.start({
      check: (request) => peer.check(request),
      answer: () => ({ status: 200, headers: JSON_HEADERS, body: JSON.stringify({ status: 'sent' }) }),
    });
    return peer;
  }

  /** The API base URL, as HipchatTransportOptions.apiUrl. */
  get apiUrl(): string {
    return this.http.url;
  }

  /** The next request is answered with this Hipchat error. */
  failWith(code: number, type: string, message: string, headers?: Record<string, string>): void {
    this.http.script(hipchatError(code, type, message, headers));
  }

  rateLimit(retryAfterSeconds: number): void {
    this.failWith(429, 'Too Many Requests', 'You have exceeded the rate limit.', {
      'retry-after': String(retryAfterSeconds),
    });
  }

  script(...responses: ScriptedResponse[]): void {
    this.http.script(...responses);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private check(request: RecordedRequest): ScriptedResponse | null {
    const url = new URL(request.url, 'http://hipchat.invalid');
    if (request.method !== 'POST' || url.pathname !== MESSAGE_PATH) {
      return hipchatError(404, 'Not Found', 'The requested resource was not found.');
    }
    const token = url.searchParams.get('auth_token') ?? '';
    if (!this.tokens.has(token)) {
      return hipchatError(
        401,
        'Unauthorized',
        'Auth token invalid. Please see: https://www.hipchat.com/docs/api/auth',
      );
    }
    if (!String(request.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      return hipchatError(400, 'Bad Request', 'Content-Type must be application/x-www-form-urlencoded.');
    }
    const form = new URLSearchParams(request.body.toString('utf8'));
    const received: ReceivedHipchatMessage = {
      token,
      roomId: form.get('room_id') ?? '',
      from: form.get('from') ?? '',
      message: form.get('message') ?? '',
      messageFormat: form.get('message_format') ?? 'html',
      notify: form.get('notify') ?? '0',
      color: form.get('color') ?? 'yellow',
    };
    const problem = formProblem(received);
    if (problem) return hipchatError(400, 'Bad Request', problem);
    this.messages.push(received);
    return null;
  }
}

function formProblem(message: ReceivedHipchatMessage): string | null {
  if (!message.roomId) return 'Room ID is required.';
  if (!message.from || message.from.length > FROM_MAX_CHARS)
    return 'From name must be between 1 and 15 characters.';
  if (!message.message || message.message.length > MESSAGE_MAX_CHARS)
    return 'Message must be 1 to 10000 characters.';
  if (!['html', 'text'].includes(message.messageFormat)) return 'Invalid message_format.';
  if (!COLORS.includes(message.color)) return 'Invalid color.';
  return null;
}
