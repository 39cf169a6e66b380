// What a failed delivery attempt's error means, in plain words, for people who did not write the transport: the
// channel cards and the delivery log show this sentence with the raw text beneath it.

export interface TransportErrorText {
  /** One sentence, e.g. "The host api.hipchat.com could not be found." */
  summary: string;
  /** The error as the delivery log recorded it. */
  raw: string;
}

/** What an HTTP status means for a delivery, from the receiver's side. */
const STATUS_MEANINGS: Record<number, string> = {
  400: 'the receiver did not accept the message as sent',
  401: 'the receiver refused the credentials',
  403: 'the receiver refused the credentials',
  404: 'the receiver has nothing at this address: the URL may be wrong, or the hook was deleted',
  405: 'the receiver does not take POST requests at this address',
  408: 'the receiver gave up waiting for the message',
  410: 'the receiver says this address is gone for good',
  413: 'the message is larger than the receiver accepts',
  415: 'the receiver does not accept this kind of content',
  422: 'the receiver understood the message but refused its content',
  429: 'the receiver is limiting how often it may be called; it is tried again later',
  500: 'the receiver had an internal error',
  501: 'the receiver does not support this request',
  502: 'a gateway in front of the receiver got no valid answer from it',
  503: 'the receiver is unavailable for now',
  504: 'a gateway in front of the receiver gave up waiting for it',
};

function statusMeaning(status: number): string {
  const known = STATUS_MEANINGS[status];
  if (known) return known;
  if (status >= 500) return 'the receiver failed with a server error';
  if (status >= 400) return 'the receiver refused the message';
  if (status >= 300) return 'the receiver answered with a redirect, which is not followed';
  return 'the receiver answered unexpectedly';
}

function sentence(text: string): string {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The host a DNS error names: `getaddrinfo ENOTFOUND api.hipchat.com` gives api.hipchat.com. */
function hostAfter(raw: string, code: string): string | null {
  return new RegExp(`${code}\\s+([^\\s:,;]+)`).exec(raw)?.[1] ?? null;
}

/** `connect ECONNREFUSED 10.0.0.1:443` gives 10.0.0.1:443. */
function addressAfter(raw: string, code: string): string | null {
  return new RegExp(`${code}\\s+(\\[?[0-9a-fA-F.:]+\\]?(?::\\d+)?)`).exec(raw)?.[1] ?? null;
}

const TLS_CERTIFICATE_PROBLEMS: readonly [RegExp, string][] = [
  [/CERT_HAS_EXPIRED|certificate has expired/i, "the receiver's TLS certificate has expired"],
  [/CERT_NOT_YET_VALID/i, "the receiver's TLS certificate is not valid yet"],
  [
    /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate/i,
    "the receiver's TLS certificate is self-signed, so it cannot be trusted",
  ],
  [
    /ERR_TLS_CERT_ALTNAME_INVALID|Hostname\/IP does not match/i,
    "the receiver's TLS certificate is for another host name",
  ],
  [
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|unable to verify the first certificate/i,
    "the receiver's TLS certificate could not be verified (its chain is incomplete or from an unknown authority)",
  ],
];

function describeWithoutStatus(raw: string): string | null {
  if (/ENOTFOUND|could not resolve/i.test(raw)) {
    const host = hostAfter(raw, 'ENOTFOUND') ?? /could not resolve ([^\s:]+)/i.exec(raw)?.[1] ?? null;
    return host ? `The host ${host} could not be found` : 'The host name could not be found';
  }
  if (/EAI_AGAIN/.test(raw)) {
    const host = hostAfter(raw, 'EAI_AGAIN');
    return `The name server did not answer for ${host ?? 'the host'} just now; it is tried again`;
  }
  if (/ECONNREFUSED/.test(raw)) {
    const address = addressAfter(raw, 'ECONNREFUSED');
    return address ? `The server at ${address} refused the connection` : 'The server refused the connection';
  }
  if (/EHOSTUNREACH|ENETUNREACH/.test(raw))
    return 'The receiver could not be reached: there is no route to it';
  if (/no answer within (\d+) ms/.test(raw)) {
    const ms = Number(/no answer within (\d+) ms/.exec(raw)![1]);
    const seconds = ms % 1000 === 0 ? `${ms / 1000} seconds` : `${(ms / 1000).toFixed(1)} seconds`;
    return `The receiver did not answer within ${seconds}`;
  }
  if (/ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|timed? ?out/i.test(raw)) {
    return 'The receiver did not answer in time';
  }
  if (/ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET|EPIPE/i.test(raw)) {
    return 'The connection was closed before the receiver answered';
  }
  for (const [pattern, meaning] of TLS_CERTIFICATE_PROBLEMS) if (pattern.test(raw)) return meaning;
  if (/\b(TLS|SSL)\b|EPROTO|handshake/i.test(raw)) return 'The secure (TLS) connection could not be set up';
  if (/only sent to public addresses|not a public/i.test(raw)) {
    return 'The address is not a public one, so nothing is sent there';
  }
  if (/URLs are not supported|is not a URL/i.test(raw)) return 'The address is not an https:// URL';
  if (/no signing secret/i.test(raw)) return 'The webhook has no signing secret: save it again';
  return null;
}

/**
 * The plain words for an attempt's error (and status code, when an answer came); null when nothing failed. Errors
 * that say nothing known keep their own text as the summary.
 */
export function describeTransportError(
  error: string | null | undefined,
  statusCode?: number | null,
): TransportErrorText | null {
  const raw = (error ?? '').trim();
  const status = statusCode ?? Number(/\b(?:HTTP|answered)\s+(\d{3})\b/.exec(raw)?.[1] ?? NaN);
  if (!raw && !Number.isFinite(status)) return null;
  if (Number.isFinite(status) && status >= 300) {
    const redirect = /redirect to (\S+)/.exec(raw)?.[1];
    const meaning =
      status >= 300 && status < 400 && redirect
        ? `the receiver answered with a redirect to ${redirect}, which is not followed`
        : statusMeaning(status);
    return { summary: sentence(`${meaning} (HTTP ${status})`), raw: raw || `HTTP ${status}` };
  }
  const described = describeWithoutStatus(raw);
  return { summary: sentence(described ?? raw), raw };
}
