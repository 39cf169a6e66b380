// Parsing of user-supplied endpoint URLs, shared by every channel that posts to one.
import { BadUserInputError } from './errors';

export const MAX_URL_LENGTH = 2048;

/** An absolute http(s) URL without credentials, or BAD_USER_INPUT naming the field. */
export function parseEndpointUrl(
  value: string,
  field: string,
  schemes: readonly string[] = ['http:', 'https:'],
): URL {
  if (value.length > MAX_URL_LENGTH)
    throw new BadUserInputError(`must be at most ${MAX_URL_LENGTH} characters`, field);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new BadUserInputError('must be an absolute URL', field);
  }
  if (!schemes.includes(url.protocol)) {
    throw new BadUserInputError(`must use ${schemes.map((s) => s.replace(':', '')).join(' or ')}`, field);
  }
  if (url.username || url.password) throw new BadUserInputError('must not contain credentials', field);
  if (!url.hostname) throw new BadUserInputError('must name a host', field);
  return url;
}
