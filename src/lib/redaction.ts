// What a log may keep of a request or an answer: URLs with what may be a secret replaced by a hint, credential headers
// masked, and bodies bounded with their truncation said.
import { StringDecoder } from 'node:string_decoder';

/** Bodies (sent and received) are kept up to this many bytes. */
export const KEPT_BODY_BYTES = 64 * 1024;
/** What stands for a masked value, or for the masked part of one. */
export const MASK = '…';
/** A header value longer than this is cut: a hostile receiver's headers do not fill the log. */
const HEADER_VALUE_MAX_CHARS = 1024;
/** Headers kept of one message; undici and Node bound the size of what they read anyway. */
const MAX_HEADERS = 100;
/** Values shorter than this show no hint: their last characters would be most of them. */
const HINT_MIN_CHARS = 12;
const HINT_CHARS = 4;
/** Header names whose values are credentials or proofs of one. */
const CREDENTIAL_HEADER = /authorization|cookie|token|secret|signature|api-?key|password|session/i;
const COOKIE_HEADER = /cookie/i;

export type HeaderList = [name: string, value: string][];

/** The last characters of a secret, to tell which one it was; nothing of a short one. */
export function secretHint(value: string): string {
  return value.length < HINT_MIN_CHARS ? MASK : `${MASK}${value.slice(-HINT_CHARS)}`;
}

export interface UrlRedaction {
  /** The path is no secret (an API's fixed path): it is shown whole. @default false: only its last characters */
  keepPath?: boolean;
  /** Query parameters whose values are no secret and are shown. @default none: every value is a hint */
  keepQuery?: readonly string[];
}

/**
 * A URL as a log shows it: its origin, a hint of its path (capability URLs such as Slack's, Teams' and Discord's
 * carry their secret there) and its query's names with hints of their values (of a name without a value, a hint of
 * it). Credentials in it are dropped.
 */
export function redactUrl(url: string | URL, redaction: UrlRedaction = {}): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return MASK;
  }
  const path =
    redaction.keepPath || parsed.pathname === '/' ? parsed.pathname : `/${secretHint(parsed.pathname)}`;
  const keep = new Set(redaction.keepQuery ?? []);
  const query = [...parsed.searchParams]
    .map(([name, value]) => {
      // `?<token>` alone: the name is the secret.
      if (value === '' && !keep.has(name)) return secretHint(name);
      return `${encodeURIComponent(name)}=${keep.has(name) ? encodeURIComponent(value) : secretHint(value)}`;
    })
    .join('&');
  return `${parsed.origin}${path}${query ? `?${query}` : ''}`;
}

/**
 * A credential header's value: its scheme or version (`Bearer `, `vapid `, `v1,`) stays, the rest is masked; of a
 * cookie, its name. Nothing else of the value is shown: base64 and hex tokens have no spaces or commas to split on.
 */
function maskedValue(name: string, value: string): string {
  const kept = COOKIE_HEADER.test(name)
    ? /^[^=;\s]{1,64}=/.exec(value)
    : /^[A-Za-z][A-Za-z0-9]{0,9}[ ,]/.exec(value);
  return `${kept?.[0] ?? ''}${MASK}`;
}

/**
 * Headers as a log keeps them: in order, one entry per value, credential headers (authorization, cookies, tokens,
 * signatures) masked, long values cut.
 */
export function redactHeaders(
  headers: Readonly<Record<string, string | string[] | number | undefined>>,
): HeaderList {
  const list: HeaderList = [];
  for (const [name, raw] of Object.entries(headers)) {
    if (raw === undefined) continue;
    const masked = CREDENTIAL_HEADER.test(name);
    for (const value of Array.isArray(raw) ? raw : [String(raw)]) {
      if (list.length >= MAX_HEADERS) return list;
      const kept = masked ? maskedValue(name, value) : value;
      list.push([
        name.toLowerCase(),
        kept.length > HEADER_VALUE_MAX_CHARS ? `${kept.slice(0, HEADER_VALUE_MAX_CHARS)}${MASK}` : kept,
      ]);
    }
  }
  return list;
}

export interface KeptBody {
  /** The body as UTF-8 text, at most KEPT_BODY_BYTES of it. */
  text: string;
  /** More was sent or received than `text` holds. */
  truncated: boolean;
}

/**
 * The first `maxBytes` of a body as text, cut on a character boundary. `truncated` is also true when `knownTruncated`
 * says the body given is itself only the start of a longer one.
 */
export function keptBody(
  body: string | Buffer,
  knownTruncated = false,
  maxBytes: number = KEPT_BODY_BYTES,
): KeptBody {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  if (bytes.length <= maxBytes && !knownTruncated) return { text: bytes.toString('utf8'), truncated: false };
  // The decoder holds back a character cut in two at the end instead of decoding it as U+FFFD.
  return { text: new StringDecoder('utf8').write(bytes.subarray(0, maxBytes)), truncated: true };
}
