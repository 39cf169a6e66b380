// A Microsoft Teams Workflows / incoming-webhook endpoint: takes a message whose attachment is an Adaptive Card (the
// shape Teams renders), answers 202 Accepted as Workflows does, and refuses anything else with 400.
import { HttpPeer, type RecordedRequest, type ScriptedResponse } from './http-peer';

export interface AdaptiveCard {
  type: string;
  version: string;
  body: { type: string; text?: string; facts?: { title: string; value: string }[]; [key: string]: unknown }[];
}

const WORKFLOW_PATH = '/workflows/a1b2c3/triggers/manual/paths/invoke';
const ELEMENT_TYPES = new Set(['TextBlock', 'FactSet', 'ColumnSet', 'Container', 'Image', 'RichTextBlock']);

/** What Teams would refuse in a message, or null. */
export function teamsProblem(message: unknown): string | null {
  const candidate = message as { type?: unknown; attachments?: unknown };
  if (candidate?.type !== 'message') return 'type must be "message"';
  if (!Array.isArray(candidate.attachments) || candidate.attachments.length !== 1)
    return 'one attachment expected';
  const attachment = candidate.attachments[0] as { contentType?: unknown; content?: Partial<AdaptiveCard> };
  if (attachment.contentType !== 'application/vnd.microsoft.card.adaptive') return 'not an Adaptive Card';
  const card = attachment.content;
  if (card?.type !== 'AdaptiveCard') return 'content.type must be AdaptiveCard';
  if (typeof card.version !== 'string' || !/^1\.[0-6]$/.test(card.version)) return 'unsupported card version';
  if (!Array.isArray(card.body) || card.body.length === 0) return 'the card has no body';
  for (const element of card.body) {
    if (!ELEMENT_TYPES.has(element.type)) return `unknown element ${String(element.type)}`;
    if (element.type === 'TextBlock' && typeof element.text !== 'string') return 'TextBlock without text';
    if (
      element.type === 'FactSet' &&
      !element.facts?.every((fact) => typeof fact.title === 'string' && typeof fact.value === 'string')
    )
      return 'FactSet facts need a title and a value';
  }
  return null;
}

export class TeamsPeer {
  /** The cards Teams would render, whatever the peer then answered. */
  readonly cards: AdaptiveCard[] = [];
  http!: HttpPeer;

  private constructor() {}

  static async start(): Promise<TeamsPeer> {
    const peer = new TeamsPeer();
    peer.http = await HttpPeer.start({
      check: (request) => peer.check(request),
      answer: () => ({ status: 202 }),
    });
    return peer;
  }

  get url(): string {
    return `${this.http.url}${WORKFLOW_PATH}?api-version=2016-06-01&sig=s3cr3t`;
  }

  script(...responses: ScriptedResponse[]): void {
    this.http.script(...responses);
  }

  close(): Promise<void> {
    return this.http.close();
  }

  private check(request: RecordedRequest): ScriptedResponse | null {
    const url = new URL(request.url, 'http://peer');
    if (request.method !== 'POST' || url.pathname !== WORKFLOW_PATH) return { status: 404 };
    if (url.searchParams.get('sig') !== 's3cr3t') return { status: 401, body: 'signature invalid' };
    let message: unknown;
    try {
      message = JSON.parse(request.body.toString('utf8'));
    } catch {
      return { status: 400, body: 'invalid JSON' };
    }
    const problem = teamsProblem(message);
    if (problem) return { status: 400, body: problem };
    this.cards.push((message as { attachments: { content: AdaptiveCard }[] }).attachments[0].content);
    return null;
  }
}
