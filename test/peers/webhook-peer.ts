// A webhook receiver that verifies Standard Webhooks signatures with the `standardwebhooks` package, as a
// customer's endpoint would, and can be told to fail.
import { Webhook } from 'standardwebhooks';
import { HttpPeer, type RecordedRequest, type ScriptedResponse } from './http-peer';

export interface VerifiedWebhook {
  id: string;
  timestamp: number;
  payload: Record<string, unknown>;
}

const HOOK_PATH = '/hook';

export class WebhookPeer {
  /** Messages whose signature verified, in arrival order (whatever the peer then answered). */
  readonly verified: VerifiedWebhook[] = [];
  /** Requests whose signature did not verify with any secret; they are answered 401. */
  readonly unverified: RecordedRequest[] = [];
  http!: HttpPeer;

  private constructor(private secrets: string[]) {}

  /** A receiver that accepts a signature made with any of `secrets` (whsec_...). */
  static async start(secrets: string[]): Promise<WebhookPeer> {
    const peer = new WebhookPeer(secrets);
    peer.http = await HttpPeer.start({ check: (request) => peer.verify(request) });
    return peer;
  }

  get url(): string {
    return `${this.http.url}${HOOK_PATH}`;
  }

  /** The receiver's secrets change, e.g. it only knows the new secret after a rotation. */
  useSecrets(secrets: string[]): void {
    this.secrets = secrets;
  }

  /** How many requests carried this webhook-id: retries of one notification share it. */
  deliveriesOf(id: string): number {
    return this.verified.filter((message) => message.id === id).length;
  }

  answerServerError(): void {
    this.http.script({ status: 500, body: 'internal error' });
  }

  dropConnection(): void {
    this.http.script({ drop: true });
  }

  redirectTo(location: string): void {
    this.http.script({ status: 302, headers: { location } });
  }

  script(...responses: ScriptedResponse[]): void {
    this.http.script(...responses);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private verify(request: RecordedRequest): ScriptedResponse | null {
    const headers = {
      'webhook-id': String(request.headers['webhook-id'] ?? ''),
      'webhook-timestamp': String(request.headers['webhook-timestamp'] ?? ''),
      'webhook-signature': String(request.headers['webhook-signature'] ?? ''),
    };
    const body = request.body.toString('utf8');
    for (const secret of this.secrets) {
      try {
        const payload = new Webhook(secret).verify(body, headers) as Record<string, unknown>;
        this.verified.push({
          id: headers['webhook-id'],
          timestamp: Number(headers['webhook-timestamp']),
          payload,
        });
        return null;
      } catch {
        // Try the next secret.
      }
    }
    this.unverified.push(request);
    return { status: 401, body: 'invalid signature' };
  }
}
