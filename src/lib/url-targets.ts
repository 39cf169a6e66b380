// Whether a URL that users supply may be sent to: http(s) only, and only to hosts that resolve to public addresses.
// Checked when the URL is configured (checkUrlTarget) and again by the HTTP client at every connection.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { describeForbiddenAddress } from './address-policy';
import { BadUserInputError, errorText } from './errors';

/** A URL or address that must not be reached: refused when configured and again when connecting. */
export class UnsafeTargetError extends BadUserInputError {}

/** Throws UnsafeTargetError unless ip is a public address; host is the name (or URL host) it came from. */
export function assertPublicAddress(ip: string, host: string = ip): void {
  const reason = describeForbiddenAddress(ip);
  if (reason === null) return;
  const where = host === ip || host === `[${ip}]` ? ip : `${host} resolves to ${ip}, which`;
  throw new UnsafeTargetError(`${where} is ${reason}; notifications are only sent to public addresses`);
}

async function resolveAll(host: string): Promise<string[]> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return [bare];
  try {
    const answers = await lookup(bare, { all: true, verbatim: true });
    return answers.map((answer) => answer.address);
  } catch (error) {
    throw new Error(`could not resolve ${bare}: ${errorText(error)}`, { cause: error });
  }
}

/** Resolves a host and returns its first address once every address it resolves to is known to be public. */
export async function resolvePublicAddress(host: string): Promise<string> {
  const addresses = await resolveAll(host);
  for (const address of addresses) assertPublicAddress(address, host);
  return addresses[0];
}

/** Parses an http(s) URL; throws UnsafeTargetError for anything else. */
export function parseHttpUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UnsafeTargetError(`"${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UnsafeTargetError(`${parsed.protocol} URLs are not supported; use https://`);
  }
  return parsed;
}

/** A name of at least two labels: a single label resolves, if at all, through this machine's search domains. */
const PUBLIC_NAME = /^[^.]+\.[^.]+/;
/** Special-use and private names that the public DNS never holds (RFC 6761, RFC 6762, RFC 8375, ICANN's .internal). */
const LOCAL_SUFFIX = /(^|\.)(localhost|local|internal|home\.arpa)\.?$/i;

/**
 * Checks, when a user configures a URL, that it is http(s) and that its host resolves only to public addresses.
 * Throws UnsafeTargetError (BAD_USER_INPUT) otherwise. A host that does not resolve now (no DNS on this machine, a
 * name not yet published) is accepted with a warning, returned: the HTTP client checks every address it connects to.
 */
export async function checkUrlTarget(
  url: string,
  allowPrivateNetworkTargets: boolean,
): Promise<string | null> {
  const parsed = parseHttpUrl(url);
  if (allowPrivateNetworkTargets) return null;
  let addresses: string[];
  try {
    addresses = await resolveAll(parsed.hostname);
  } catch {
    // Only a name the public DNS could hold is worth waiting for; the others resolve, if ever, on private networks.
    if (!PUBLIC_NAME.test(parsed.hostname) || LOCAL_SUFFIX.test(parsed.hostname)) {
      throw new UnsafeTargetError(`${parsed.hostname} is not a public host name and does not resolve`);
    }
    return `${parsed.hostname} does not resolve from this server now; deliveries will be tried when it does`;
  }
  for (const address of addresses) assertPublicAddress(address, parsed.hostname);
  return null;
}
