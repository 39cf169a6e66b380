// What went wrong with a delivery attempt in plain words, from the raw error the server logged and the status code
// (HTTP, or an SMTP reply code for email). The raw text stays beside it on the page: this only explains it.

const HTTP_STATUS_NAMES: Readonly<Record<number, string>> = {
  200: 'OK',
  201: 'Created',
  202: 'Accepted',
  204: 'No Content',
  301: 'Moved Permanently',
  302: 'Found',
  307: 'Temporary Redirect',
  308: 'Permanent Redirect',
  400: 'Bad Request',
  401: 'Unauthorized',
  402: 'Payment Required',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  408: 'Request Timeout',
  409: 'Conflict',
  410: 'Gone',
  411: 'Length Required',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** "404 Not Found"; the number alone for a status without a common name. */
export function httpStatusText(status: number): string {
  const name = HTTP_STATUS_NAMES[status];
  return name ? `${status} ${name}` : String(status);
}

/** Slack's incoming-webhook error codes (the answer's body). */
const SLACK_ERRORS: Readonly<Record<string, string>> = {
  channel_not_found: 'Slack says the channel no longer exists',
  channel_is_archived: 'Slack says the channel is archived',
  no_service: 'Slack says this incoming webhook was removed or disabled',
  action_prohibited: 'Slack says an admin does not allow posting there',
  invalid_payload: 'Slack could not read the message',
  no_text: 'Slack got a message without text',
  rollup_error: 'Slack had a problem of its own',
};

/** APNs' reasons for refusing a push. */
const APNS_REASONS: Readonly<Record<string, string>> = {
  Unregistered: 'Apple says the app is no longer on this device',
  BadDeviceToken: 'Apple does not know this device token',
  DeviceTokenNotForTopic: 'The device token belongs to another app',
  TooManyRequests: 'Apple asked to send fewer pushes to this device',
  ExpiredProviderToken: "Apple refused the server's credentials (expired)",
  InvalidProviderToken: "Apple refused the server's credentials",
};

function seconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}

/** What an HTTP status says about the attempt. */
function httpStatusWords(status: number): string | null {
  const text = httpStatusText(status);
  if (status === 401 || status === 403) return `The receiver refused the credentials (${text})`;
  if (status === 404) return `Nothing was found at the receiver's address (${text})`;
  if (status === 410) return `The receiver says this address is gone for good (${text})`;
  if (status === 408) return `The receiver gave up waiting for the message (${text})`;
  if (status === 413) return `The message was too large for the receiver (${text})`;
  if (status === 429) return `The receiver asked to slow down (${text})`;
  if (status === 502 || status === 503 || status === 504)
    return `The receiver, or a proxy in front of it, is unavailable (${text})`;
  if (status >= 500 && status < 600) return `The receiver had a problem of its own (${text})`;
  if (status >= 400 && status < 500) return `The receiver refused the message (${text})`;
  if (status >= 300 && status < 400)
    return `The receiver answered with a redirect, which is not followed (${text})`;
  return null;
}

/** What an SMTP reply code says about the attempt. */
function smtpReplyWords(code: number): string | null {
  if (code >= 500 && code < 600) return `The mail server refused the message for good (reply ${code})`;
  if (code >= 400 && code < 500) return `The mail server asked to try again later (reply ${code})`;
  return null;
}

type Rule = [RegExp, (match: RegExpExecArray) => string];

/** Raw texts recognised by their wording: Node's network and TLS errors, the server's own, SMTP's and APNs'. */
const RULES: readonly Rule[] = [
  [/getaddrinfo ENOTFOUND (\S+)/, (m) => `The host ${m[1]} could not be found`],
  [
    /getaddrinfo EAI_AGAIN (\S+)/,
    (m) => `The host ${m[1]} could not be looked up: the name server did not answer`,
  ],
  [/ECONNREFUSED (\S+)/, (m) => `The receiver at ${m[1]} refused the connection`],
  [/ECONNREFUSED/, () => 'The receiver refused the connection'],
  [
    /ECONNRESET|socket hang up|other side closed|UND_ERR_SOCKET/,
    () => 'The receiver closed the connection before answering',
  ],
  [/no answer within (\d+) ms/, (m) => `The receiver did not answer within ${seconds(Number(m[1]))}`],
  [
    /ETIMEDOUT|ESOCKETTIMEDOUT|UND_ERR_CONNECT_TIMEOUT|UND_ERR_HEADERS_TIMEOUT|timed out/i,
    () => 'The receiver did not answer in time',
  ],
  [/EHOSTUNREACH|ENETUNREACH/, () => "The receiver's network could not be reached"],
  [/CERT_HAS_EXPIRED|certificate has expired/, () => "The receiver's TLS certificate has expired"],
  [
    /DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|self[- ]signed certificate/,
    () => "The receiver's TLS certificate is self-signed, so it cannot be trusted",
  ],
  [
    /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT|unable to verify the first certificate/,
    () => "The receiver's TLS certificate is not signed by an authority this server trusts",
  ],
  [
    /ERR_TLS_CERT_ALTNAME_INVALID|does not match certificate's altnames/,
    () => "The receiver's TLS certificate is for another host name",
  ],
  [
    /EPROTO|wrong version number|SSL routines|ssl3_|tlsv1 alert/i,
    () => 'A secure (TLS) connection to the receiver could not be set up',
  ],
  [
    /(\S+) resolves to (\S+), which is .*only sent to public addresses/,
    (m) => `${m[1]} points to ${m[2]}, a private address: notifications are only sent to public addresses`,
  ],
  [
    /only sent to public addresses/,
    () => 'The address is private: notifications are only sent to public addresses',
  ],
  [
    /is not a public host name and does not resolve/,
    () => 'The host name is not a public one and could not be found',
  ],
  [
    /removed or disabled before delivery/,
    () => 'The channel or device was removed before this could be sent',
  ],
  [/secret cannot be read/, () => "The channel's secret could not be read by the server"],
  [/has no signing secret/, () => 'The webhook has no signing secret: set it up again'],
  [/EAUTH|Invalid login|authentication failed/i, () => 'The mail server refused the login'],
  [
    /EENVELOPE|[Rr]ecipient.*(rejected|refused)|No recipients defined/,
    () => 'The mail server refused the recipient',
  ],
  [/ECONNECTION|ESOCKET|EDNS/, () => 'The mail server could not be reached'],
];

/**
 * Plain words for a failed attempt's raw error and status code ("getaddrinfo ENOTFOUND api.hipchat.com" reads "The
 * host api.hipchat.com could not be found"); null when there is nothing to explain or the text is not recognised, so
 * the raw text is shown alone.
 */
export function plainTransportError(error: string | null, statusCode: number | null): string | null {
  const raw = error?.trim() ?? '';
  const slack = /^HTTP \d{3}[^:]*: ([a-z_]+)$/.exec(raw);
  if (slack && SLACK_ERRORS[slack[1]]) return SLACK_ERRORS[slack[1]];
  const apns = /^APNs answered (\d{3}): (\w+)/.exec(raw);
  if (apns) return APNS_REASONS[apns[2]] ?? httpStatusWords(Number(apns[1]));
  const redirect = /^HTTP (\d{3}): redirect(?: to (\S+))? not followed/.exec(raw);
  if (redirect)
    return `The receiver answered with a redirect${redirect[2] ? ` to ${redirect[2]}` : ''}, which is not followed: point the channel at the final address`;
  const http = /^HTTP (\d{3})/.exec(raw);
  if (http) return httpStatusWords(statusCode ?? Number(http[1]));
  for (const [pattern, words] of RULES) {
    const match = pattern.exec(raw);
    if (match) return words(match);
  }
  if (statusCode !== null) {
    // The server writes HTTP failures as "HTTP <status> ..." (above); any other text with a code is an SMTP reply.
    return raw === '' ? httpStatusWords(statusCode) : smtpReplyWords(statusCode);
  }
  return null;
}

/** An attempt's error as a card or a test result shows it: plain words, and the raw text beneath. */
export interface TransportErrorText {
  /** One sentence, e.g. "The host api.hipchat.com could not be found." */
  summary: string;
  /** The error as the delivery log recorded it. */
  raw: string;
}

/**
 * plainTransportError as one sentence with the raw text; text it does not recognise is its own summary. Null when
 * nothing failed.
 */
export function describeTransportError(
  error: string | null | undefined,
  statusCode?: number | null,
): TransportErrorText | null {
  const raw = (error ?? '').trim();
  if (!raw && statusCode == null) return null;
  const words = plainTransportError(raw || null, statusCode ?? null) ?? (raw || `HTTP ${statusCode}`);
  const summary = words.charAt(0).toUpperCase() + words.slice(1);
  return { summary: /[.!?]$/.test(summary) ? summary : `${summary}.`, raw: raw || `HTTP ${statusCode}` };
}
