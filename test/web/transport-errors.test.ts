// Delivery errors in plain words, with the raw text kept beneath, as the channel cards and the delivery log show them.
import { describeTransportError } from '../../web/src/transport-errors';

function summary(error: string | null, statusCode?: number | null): string | undefined {
  return describeTransportError(error, statusCode)?.summary;
}

describe('describeTransportError', () => {
  it('says nothing when nothing failed', () => {
    expect(describeTransportError(null)).toBeNull();
    expect(describeTransportError('', null)).toBeNull();
  });

  it('names the host that could not be found, and keeps the raw text', () => {
    expect(describeTransportError('getaddrinfo ENOTFOUND api.hipchat.com')).toEqual({
      summary: 'The host api.hipchat.com could not be found.',
      raw: 'getaddrinfo ENOTFOUND api.hipchat.com',
    });
    expect(summary('ENOTFOUND: getaddrinfo ENOTFOUND hooks.slack.com')).toBe(
      'The host hooks.slack.com could not be found.',
    );
    expect(
      summary('could not resolve example.invalid: ENOTFOUND: getaddrinfo ENOTFOUND example.invalid'),
    ).toBe('The host example.invalid could not be found.');
    expect(summary('getaddrinfo EAI_AGAIN example.com')).toBe(
      'The name server did not answer for example.com just now; it is tried again.',
    );
  });

  it('tells a refused connection, an unreachable host, a reset and a timeout apart', () => {
    expect(summary('ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:9')).toBe(
      'The server at 127.0.0.1:9 refused the connection.',
    );
    expect(summary('connect EHOSTUNREACH 10.1.2.3:443')).toBe(
      'The receiver could not be reached: there is no route to it.',
    );
    expect(summary('UND_ERR_SOCKET: other side closed')).toBe(
      'The connection was closed before the receiver answered.',
    );
    expect(summary('read ECONNRESET')).toBe('The connection was closed before the receiver answered.');
    expect(summary('no answer within 10000 ms')).toBe('The receiver did not answer within 10 seconds.');
    expect(summary('no answer within 2500 ms')).toBe('The receiver did not answer within 2.5 seconds.');
    expect(summary('UND_ERR_CONNECT_TIMEOUT: Connect Timeout Error')).toBe(
      'The receiver did not answer in time.',
    );
  });

  it('explains TLS certificate problems', () => {
    expect(summary('CERT_HAS_EXPIRED: certificate has expired')).toBe(
      "The receiver's TLS certificate has expired.",
    );
    expect(summary('DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate')).toBe(
      "The receiver's TLS certificate is self-signed, so it cannot be trusted.",
    );
    expect(summary("ERR_TLS_CERT_ALTNAME_INVALID: Hostname/IP does not match certificate's altnames")).toBe(
      "The receiver's TLS certificate is for another host name.",
    );
    expect(summary('UNABLE_TO_VERIFY_LEAF_SIGNATURE: unable to verify the first certificate')).toMatch(
      /could not be verified/,
    );
    expect(summary('EPROTO: SSL routines:ssl3_get_record:wrong version number')).toBe(
      'The secure (TLS) connection could not be set up.',
    );
  });

  it('gives each HTTP status its meaning, from the text or from the status code', () => {
    expect(summary('HTTP 401 Unauthorized')).toBe('The receiver refused the credentials (HTTP 401).');
    expect(summary('HTTP 403 Forbidden: invalid_token')).toBe(
      'The receiver refused the credentials (HTTP 403).',
    );
    expect(summary('HTTP 404 Not Found: no_service')).toMatch(/^The receiver has nothing at this address/);
    expect(summary('HTTP 410 Gone')).toBe('The receiver says this address is gone for good (HTTP 410).');
    expect(summary('HTTP 429 Too Many Requests')).toMatch(/limiting how often .*\(HTTP 429\)\.$/);
    expect(summary('HTTP 500 Internal Server Error')).toBe('The receiver had an internal error (HTTP 500).');
    expect(summary('HTTP 503 Service Unavailable')).toBe('The receiver is unavailable for now (HTTP 503).');
    expect(summary('HTTP 599')).toBe('The receiver failed with a server error (HTTP 599).');
    expect(summary('HTTP 418 I’m a Teapot')).toBe('The receiver refused the message (HTTP 418).');
    expect(summary('APNs answered 403: InvalidProviderToken')).toBe(
      'The receiver refused the credentials (HTTP 403).',
    );
    expect(summary(null, 502)).toMatch(/gateway .*\(HTTP 502\)\.$/);
    expect(describeTransportError(null, 502)?.raw).toBe('HTTP 502');
    expect(summary('HTTP 302: redirect to https://example.com/new not followed')).toBe(
      'The receiver answered with a redirect to https://example.com/new, which is not followed (HTTP 302).',
    );
  });

  it('explains refused addresses and keeps unknown errors as they are', () => {
    expect(summary('127.0.0.1 is a loopback address; notifications are only sent to public addresses')).toBe(
      'The address is not a public one, so nothing is sent there.',
    );
    expect(describeTransportError('the smtp relay said no')).toEqual({
      summary: 'The smtp relay said no.',
      raw: 'the smtp relay said no',
    });
  });
});
