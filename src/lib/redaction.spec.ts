// What the delivery log keeps of URLs, headers and bodies.
import { keptBody, redactHeaders, redactUrl, secretHint } from './redaction';

describe('redactUrl', () => {
  it.each([
    // Capability URLs: the secret is the path.
    [
      'https://hooks.slack.com/services/T0000/B0000/abcdefghijklmnopqrstWXYZ',
      {},
      'https://hooks.slack.com/…WXYZ',
    ],
    [
      'https://discord.com/api/webhooks/123/tokentokentoken9876?wait=true',
      { keepQuery: ['wait'] },
      'https://discord.com/…9876?wait=true',
    ],
    // A token in the query: every value is a hint unless named as none.
    [
      'https://api.hipchat.com/v1/rooms/message?format=json&auth_token=hipchat-room-token-1234',
      { keepPath: true, keepQuery: ['format'] },
      'https://api.hipchat.com/v1/rooms/message?format=json&auth_token=…1234',
    ],
    ['https://example.com/?key=short', {}, 'https://example.com/?key=…'],
    ['https://example.com/in?0123456789abcdef&flag', {}, 'https://example.com/…?…cdef&…'],
    // Credentials in the URL are never shown.
    ['https://user:pass@example.com/hook', {}, 'https://example.com/…'],
    ['not a url', {}, '…'],
  ])('shows %s as %s', (url, redaction, shown) => {
    expect(redactUrl(url, redaction)).toBe(shown);
  });
});

describe('redactHeaders', () => {
  it('masks credentials, keeping their scheme, and keeps the rest in order, one entry per value', () => {
    expect(
      redactHeaders({
        'Content-Type': 'application/json',
        'webhook-signature': 'v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4= v1,another=',
        authorization: 'vapid t=eyJhbGciOi.payload.sig, k=BPubKey',
        'x-api-key': 'abc',
        'x-auth-token': 'K5oZfzN95Z9UVu1E=',
        'set-cookie': ['a=1', 'b=2'],
        'x-count': 3,
        absent: undefined,
      }),
    ).toEqual([
      ['content-type', 'application/json'],
      ['webhook-signature', 'v1,…'],
      ['authorization', 'vapid …'],
      ['x-api-key', '…'],
      ['x-auth-token', '…'],
      ['set-cookie', 'a=…'],
      ['set-cookie', 'b=…'],
      ['x-count', '3'],
    ]);
  });

  it('bounds what a hostile receiver can make it keep', () => {
    const many = Object.fromEntries(
      Array.from({ length: 500 }, (_, index) => [`x-${index}`, 'v'.repeat(5000)]),
    );
    const kept = redactHeaders(many);
    expect(kept).toHaveLength(100);
    expect(kept.every(([, value]) => value.length <= 1025)).toBe(true);
  });
});

describe('keptBody', () => {
  it('keeps a body within the limit whole', () => {
    expect(keptBody('{"ok":true}')).toEqual({ text: '{"ok":true}', truncated: false });
  });

  it('cuts a longer one on a character boundary and says so', () => {
    // 'é' is two bytes: the limit falls in the middle of the third.
    expect(keptBody('ééé', false, 5)).toEqual({ text: 'éé', truncated: true });
    expect(keptBody(Buffer.from('abcdef'), false, 3)).toEqual({ text: 'abc', truncated: true });
  });

  it('says a body that was itself cut short is truncated', () => {
    expect(keptBody(Buffer.from('abc'), true)).toEqual({ text: 'abc', truncated: true });
  });
});

describe('secretHint', () => {
  it('shows the last characters of a long secret and nothing of a short one', () => {
    expect(secretHint('whsec_abcdefghijkl')).toBe('…ijkl');
    expect(secretHint('short')).toBe('…');
  });
});
