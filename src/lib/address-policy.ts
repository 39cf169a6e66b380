// Which addresses notifications must not be sent to: everything the IANA IPv4 and IPv6 special-purpose address
// registries mark as not globally reachable, plus reserved, documentation, benchmarking and other special blocks, and
// any IPv6 address that carries such an IPv4 address (IPv4-mapped, SIIT, NAT64, 6to4, Teredo, IPv4-compatible).
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

type Address = ipaddr.IPv4 | ipaddr.IPv6;

/** Labels of the library's range names; a range it names that is not here is refused under its own name. */
const RANGE_KINDS: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  reserved: 'reserved',
  benchmarking: 'benchmarking',
  as112: 'AS112',
  as112v6: 'AS112',
  amt: 'AMT',
  uniqueLocal: 'unique local',
  deprecatedSiteLocal: 'site-local',
  discard: 'discard-only',
  deprecatedOrchid: 'ORCHID',
  orchid2: 'ORCHIDv2',
  droneRemoteIdProtocolEntityTags: 'drone remote ID',
  segmentRouting: 'segment routing (SRv6)',
};

/** Where an IPv6 form carries IPv4 addresses: the byte offset of each, and whether it is stored inverted. */
interface Embedding {
  form: string;
  ipv4: { role?: string; offset: number; inverted?: boolean }[];
}

const LAST_32_BITS = [{ offset: 12 }];

/** By the library's range name; IPv4-compatible addresses have none there. */
const EMBEDDINGS: Record<string, Embedding> = {
  ipv4Mapped: { form: 'IPv4-mapped', ipv4: LAST_32_BITS },
  rfc6145: { form: 'IPv4-translated (SIIT)', ipv4: LAST_32_BITS },
  rfc6052: { form: 'NAT64', ipv4: LAST_32_BITS },
  '6to4': { form: '6to4', ipv4: [{ offset: 2 }] },
  // The client is the host behind the NAT that the address reaches; its address is stored bitwise inverted.
  teredo: {
    form: 'Teredo',
    ipv4: [
      { role: 'client', offset: 12, inverted: true },
      { role: 'server', offset: 4 },
    ],
  },
};
const IPV4_COMPATIBLE: Embedding = { form: 'IPv4-compatible', ipv4: LAST_32_BITS };

const IPV4_COMPATIBLE_PREFIX = ipaddr.parseCIDR('::/96');
// RFC 8215: where the IPv4 address sits depends on a prefix length chosen by each network, and it is not globally
// reachable, so it is refused without looking for one.
const LOCAL_USE_NAT64_PREFIX = ipaddr.parseCIDR('64:ff9b:1::/48');
// Everything else outside 2000::/3 is unassigned ("reserved by IETF" in the IANA IPv6 address space registry).
const GLOBAL_UNICAST_PREFIX = ipaddr.parseCIDR('2000::/3');

const NOT_AN_ADDRESS = 'not an IP address';

interface Verdict {
  kind: string;
  /** For an IPv6 address refused for the IPv4 address it carries: "a 6to4 address of 127.0.0.1". */
  carrier?: string;
}

function parse(ip: string): Address | null {
  const bare = ip.replace(/^\[|\]$/g, '');
  // Node's parser is the one connections use; the library's also takes forms like 127.1 that it would not.
  if (isIP(bare) === 0) return null;
  // The library reads ::a.b.c.d as ::ffff:a.b.c.d; Node, like RFC 4291, as the IPv4-compatible ::0:a.b.c.d.
  const text = /^::\d+\.\d+\.\d+\.\d+(?:%.*)?$/.test(bare) ? `::0:${bare.slice(2)}` : bare;
  try {
    return ipaddr.parse(text);
  } catch {
    return null;
  }
}

function embeddedIpv4(bytes: number[], offset: number, inverted = false): ipaddr.IPv4 {
  const octets = bytes.slice(offset, offset + 4);
  return new ipaddr.IPv4(inverted ? octets.map((octet) => octet ^ 0xff) : octets);
}

function withArticle(phrase: string): string {
  // "an unspecified", "an IPv4-mapped", "an AS112", but "a unique local".
  return `${/^(?:[aeio]|u(?!ni))/i.test(phrase) ? 'an' : 'a'} ${phrase}`;
}

function verdictOf(address: Address): Verdict | null {
  const range: string = address.range();
  if (address.kind() === 'ipv4') return range === 'unicast' ? null : { kind: RANGE_KINDS[range] ?? range };
  if (address.match(LOCAL_USE_NAT64_PREFIX)) return { kind: 'local-use NAT64' };
  const embedding =
    EMBEDDINGS[range] ??
    (range === 'unicast' && address.match(IPV4_COMPATIBLE_PREFIX) ? IPV4_COMPATIBLE : null);
  if (embedding) {
    const bytes = address.toByteArray();
    for (const { role, offset, inverted } of embedding.ipv4) {
      const ipv4 = embeddedIpv4(bytes, offset, inverted);
      const inner = verdictOf(ipv4);
      if (inner === null) continue;
      const of = role ? `with ${role} ${ipv4.toString()}` : `of ${ipv4.toString()}`;
      return { kind: inner.kind, carrier: `${withArticle(embedding.form)} address ${of}` };
    }
    return null;
  }
  if (range !== 'unicast') return { kind: RANGE_KINDS[range] ?? range };
  return address.match(GLOBAL_UNICAST_PREFIX) ? null : { kind: 'reserved' };
}

function verdict(ip: string): Verdict | null {
  const address = parse(ip);
  return address === null ? { kind: NOT_AN_ADDRESS } : verdictOf(address);
}

/**
 * Why an address must not be reached ("loopback", "private", "site-local", ...), or null when it is a public address.
 * An IPv6 address that carries a forbidden IPv4 address has that address's kind.
 */
export function forbiddenAddressKind(ip: string): string | null {
  return verdict(ip)?.kind ?? null;
}

export function isForbiddenAddress(ip: string): boolean {
  return verdict(ip) !== null;
}

/**
 * Why an address must not be reached, to follow "is": "a loopback address", "a 6to4 address of 127.0.0.1, which is a
 * loopback address"; null when it is a public address.
 */
export function describeForbiddenAddress(ip: string): string | null {
  const found = verdict(ip);
  if (found === null) return null;
  if (found.kind === NOT_AN_ADDRESS) return found.kind;
  const kind = `${withArticle(found.kind)} address`;
  return found.carrier ? `${found.carrier}, which is ${kind}` : kind;
}
