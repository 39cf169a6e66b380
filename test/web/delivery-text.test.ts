// How the delivery log words what it shows, without a browser: transport errors in plain words, statuses as a person
// reads them, and the filter a link carries.
import {
  attemptCountText,
  channelName,
  deliveryStatusText,
  summaryText,
  type DeliveryState,
} from '../../web/src/components/deliveries/delivery-text';
import {
  deliveryFilterSearch,
  parseDeliveryFilter,
} from '../../web/src/components/deliveries/delivery-filter';
import { plainTransportError } from '../../web/src/transport-errors';

function state(overrides: Partial<DeliveryState>): DeliveryState {
  return { status: 'PENDING', heldReason: null, attemptCount: 0, summaryCount: null, ...overrides };
}

describe('plainTransportError', () => {
  it.each([
    ['getaddrinfo ENOTFOUND api.hipchat.com', null, 'The host api.hipchat.com could not be found'],
    ['getaddrinfo EAI_AGAIN hooks.example.com', null, 'The host hooks.example.com could not be looked up'],
    ['connect ECONNREFUSED 127.0.0.1:9', null, 'The receiver at 127.0.0.1:9 refused the connection'],
    ['ECONNRESET: socket hang up', null, 'The receiver closed the connection before answering'],
    ['no answer within 10000 ms', null, 'The receiver did not answer within 10 s'],
    ['CERT_HAS_EXPIRED: certificate has expired', null, "The receiver's TLS certificate has expired"],
    ['DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate', null, 'is self-signed'],
    [
      "ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames",
      null,
      'another host name',
    ],
    ['HTTP 401 Unauthorized', 401, 'The receiver refused the credentials (401 Unauthorized)'],
    ['HTTP 403 Forbidden', 403, 'The receiver refused the credentials (403 Forbidden)'],
    ['HTTP 404 Not Found', 404, "Nothing was found at the receiver's address (404 Not Found)"],
    ['HTTP 410 Gone', 410, 'gone for good (410 Gone)'],
    ['HTTP 429 Too Many Requests', 429, 'The receiver asked to slow down'],
    [
      'HTTP 500 Internal Server Error',
      500,
      'The receiver had a problem of its own (500 Internal Server Error)',
    ],
    ['HTTP 503 Service Unavailable', 503, 'is unavailable (503 Service Unavailable)'],
    ['HTTP 504 Gateway Timeout', 504, 'is unavailable (504 Gateway Timeout)'],
    ['HTTP 404 Not Found: channel_not_found', 404, 'Slack says the channel no longer exists'],
    [
      'HTTP 302: redirect to https://elsewhere.example/ not followed',
      302,
      'redirect to https://elsewhere.example/',
    ],
    ['APNs answered 410: Unregistered', 410, 'Apple says the app is no longer on this device'],
    [
      'hooks.example.com resolves to 10.0.0.7, which is private-use; notifications are only sent to public addresses',
      null,
      'hooks.example.com points to 10.0.0.7, a private address',
    ],
    ['The channel or device was removed or disabled before delivery', null, 'was removed before'],
    ['EAUTH: Invalid login: 535 5.7.8 Authentication failed', 535, 'The mail server refused the login'],
    [
      'Message failed: 550 5.1.1 mailbox unavailable',
      550,
      'The mail server refused the message for good (reply 550)',
    ],
    ['Greylisted, try later', 451, 'The mail server asked to try again later (reply 451)'],
  ])('explains %s', (raw, status, expected) => {
    expect(plainTransportError(raw, status)).toContain(expected);
  });

  it('says nothing when there is nothing to explain or the text is unknown', () => {
    expect(plainTransportError(null, null)).toBeNull();
    expect(plainTransportError('something nobody has seen before', null)).toBeNull();
  });

  it('explains a status code that came without any text', () => {
    expect(plainTransportError(null, 502)).toContain('502 Bad Gateway');
  });
});

describe('delivery status words', () => {
  it.each<[Partial<DeliveryState>, string]>([
    [{ status: 'SUCCEEDED', attemptCount: 1 }, 'Delivered'],
    [{ status: 'PENDING', attemptCount: 0 }, 'Waiting'],
    [{ status: 'PENDING', attemptCount: 2 }, 'Failed — will retry'],
    [{ status: 'DEAD', attemptCount: 8 }, 'Gave up'],
    [{ status: 'FAILED', attemptCount: 1 }, 'Failed — not retried'],
    [{ status: 'HELD', heldReason: 'HELD_QUIET_HOURS' }, 'Held for quiet hours'],
    [{ status: 'HELD', heldReason: 'DIGESTED' }, 'Held for the digest'],
    [{ status: 'HELD', heldReason: 'FLAPPING' }, 'Held while flapping'],
    [{ status: 'SUMMARISED', heldReason: 'DIGESTED' }, 'Sent in a summary'],
  ])('%j reads %s', (overrides, expected) => {
    expect(deliveryStatusText(state(overrides))).toBe(expected);
  });

  it('names summaries by why they waited and, once gathered, how many they carry', () => {
    expect(summaryText(state({ heldReason: 'HELD_QUIET_HOURS', summaryCount: 12 }))).toBe(
      'Quiet-hours summary of 12 notifications',
    );
    expect(summaryText(state({ heldReason: 'HELD_QUIET_HOURS', summaryCount: 0 }))).toBe(
      'Quiet-hours summary',
    );
    expect(summaryText(state({ heldReason: 'DIGESTED', summaryCount: 1 }))).toBe('Digest of 1 notification');
    expect(summaryText(state({ status: 'PENDING', heldReason: 'FLAPPING', summaryCount: 0 }))).toBe(
      'Flapping summary',
    );
    expect(summaryText(state({ status: 'SUCCEEDED', heldReason: 'FLAPPING', summaryCount: 0 }))).toBe(
      'Settled message',
    );
    expect(summaryText(state({}))).toBeNull();
  });

  it('counts attempts in words', () => {
    expect(attemptCountText(0)).toBe('not tried yet');
    expect(attemptCountText(1)).toBe('1 attempt');
    expect(attemptCountText(3)).toBe('3 attempts');
  });

  it('names a shared channel by its name, a removed one by its kind, a personal one by its kind', () => {
    const names = new Map([['c1', 'Slack #deploys']]);
    expect(channelName({ channel: 'SLACK', channelId: 'c1' }, names)).toBe('Slack #deploys');
    expect(channelName({ channel: 'SLACK', channelId: 'gone' }, names)).toBe('Slack (removed channel)');
    expect(channelName({ channel: 'EMAIL', channelId: null }, names)).toBe('Email');
    expect(channelName({ channel: 'SLACK', channelId: 'c1' }, null)).toBe('Slack');
  });
});

describe('the filter in the address', () => {
  it('reads a channel card link and writes it back the same', () => {
    const search = '?channelId=0193f0e6-1d2c-7c4e-8a8b-1234567890ab&status=DEAD';
    const filter = parseDeliveryFilter(search);
    expect(filter).toEqual({ channelId: '0193f0e6-1d2c-7c4e-8a8b-1234567890ab', status: 'DEAD' });
    expect(deliveryFilterSearch(filter)).toBe(search);
  });

  it("ignores values that are not the API's, and a channel id that is no id", () => {
    expect(parseDeliveryFilter('?status=<script>&channel=FAX&heldReason=nope')).toEqual({});
    expect(parseDeliveryFilter(`?channelId=${encodeURIComponent('x" onmouseover="1')}`)).toEqual({});
    expect(parseDeliveryFilter(`?channelId=${'a'.repeat(500)}`)).toEqual({});
  });

  it('takes a personal kind and a held reason', () => {
    expect(parseDeliveryFilter('?channel=EMAIL&heldReason=HELD_QUIET_HOURS')).toEqual({
      channel: 'EMAIL',
      heldReason: 'HELD_QUIET_HOURS',
    });
  });
});
