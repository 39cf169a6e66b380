// parseEndpointUrl: what a user may give as a Slack, webhook or Web Push endpoint.
import { BadUserInputError } from './errors';
import { MAX_URL_LENGTH, parseEndpointUrl } from './urls';

function refusal(value: string, schemes?: string[]): BadUserInputError {
  try {
    parseEndpointUrl(value, 'input.url', schemes);
  } catch (error) {
    expect(error).toBeInstanceOf(BadUserInputError);
    return error as BadUserInputError;
  }
  throw new Error(`expected ${value} to be refused`);
}

describe('parseEndpointUrl', () => {
  it.each(['https://hooks.slack.com/services/T/B/x', 'http://127.0.0.1:8080/hook?x=1', 'https://[::1]/in'])(
    'accepts %s',
    (value) => {
      expect(parseEndpointUrl(value, 'input.url').href).toBe(new URL(value).href);
    },
  );

  it.each([
    ['hooks.example.com/in', 'must be an absolute URL'],
    ['', 'must be an absolute URL'],
    ['ftp://hooks.example.com/in', 'must use http or https'],
    ['javascript:alert(1)', 'must use http or https'],
    ['file:///etc/passwd', 'must use http or https'],
    ['data:text/plain,hi', 'must use http or https'],
    ['https://user:pass@hooks.example.com/', 'must not contain credentials'],
    ['https://user@hooks.example.com/', 'must not contain credentials'],
  ])('refuses %j: %s, naming the field', (value, reason) => {
    const error = refusal(value);
    expect(error.message).toBe(`input.url: ${reason}`);
    expect(error.extensions()).toEqual({ field: 'input.url' });
  });

  it(`refuses a URL longer than ${MAX_URL_LENGTH} characters before parsing it`, () => {
    const value = `https://example.com/${'x'.repeat(MAX_URL_LENGTH)}`;
    expect(refusal(value).message).toBe(`input.url: must be at most ${MAX_URL_LENGTH} characters`);
  });

  it('accepts only the schemes it is given', () => {
    expect(refusal('http://push.example.com/', ['https:']).message).toBe('input.url: must use https');
  });
});
