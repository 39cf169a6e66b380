// Delivery errors as the channel cards and test results show them: plainTransportError's words as one sentence, with
// the raw text kept beneath (the words themselves are pinned in delivery-text.test.ts).
import { describeTransportError } from '../../web/src/transport-errors';

describe('describeTransportError', () => {
  it('says nothing when nothing failed', () => {
    expect(describeTransportError(null)).toBeNull();
    expect(describeTransportError('', null)).toBeNull();
  });

  it('gives the plain words as a sentence and keeps the raw text', () => {
    expect(describeTransportError('getaddrinfo ENOTFOUND api.hipchat.com')).toEqual({
      summary: 'The host api.hipchat.com could not be found.',
      raw: 'getaddrinfo ENOTFOUND api.hipchat.com',
    });
    expect(describeTransportError('HTTP 401 Unauthorized', 401)?.summary).toBe(
      'The receiver refused the credentials (401 Unauthorized).',
    );
  });

  it('explains a status code without text, and names it as the raw text', () => {
    expect(describeTransportError(null, 503)).toEqual({
      summary: 'The receiver, or a proxy in front of it, is unavailable (503 Service Unavailable).',
      raw: 'HTTP 503',
    });
  });

  it('keeps an error it does not know as its own summary, as a sentence', () => {
    expect(describeTransportError('the smtp relay said no')).toEqual({
      summary: 'The smtp relay said no.',
      raw: 'the smtp relay said no',
    });
  });
});
