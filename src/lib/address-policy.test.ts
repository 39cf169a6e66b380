import { describeForbiddenAddress, forbiddenAddressKind, isForbiddenAddress } from './address-policy';

const hostileAddresses: [string, string][] = [
  ['127.0.0.1', 'loopback'],
  ['127.255.0.9', 'loopback'],
  ['::1', 'loopback'],
  ['0.0.0.0', 'unspecified'],
  ['::', 'unspecified'],
  ['10.0.0.1', 'private'],
  ['172.16.0.1', 'private'],
  ['172.31.255.254', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['fe80::1', 'link-local'],
  ['fe80::1%eth0', 'link-local'],
  ['[fe80::1%eth0]', 'link-local'],
  ['100.64.0.1', 'carrier-grade NAT'],
  ['fd00::1', 'unique local'],
  ['fc00::1', 'unique local'],
  ['fec0::1', 'site-local'],
  ['224.0.0.1', 'multicast'],
  ['ff02::1', 'multicast'],
  ['255.255.255.255', 'broadcast'],
  ['240.0.0.1', 'reserved'],
  ['192.0.0.8', 'reserved'],
  ['198.18.0.1', 'reserved'],
  ['192.88.99.1', 'reserved'],
  ['192.0.2.1', 'reserved'],
  ['198.51.100.1', 'reserved'],
  ['203.0.113.1', 'reserved'],
  ['192.31.196.1', 'AS112'],
  ['192.175.48.1', 'AS112'],
  ['192.52.193.1', 'AMT'],
  ['2001:db8::1', 'reserved'],
  ['3fff::1', 'reserved'],
  ['2001:1::1', 'reserved'],
  ['2001:2::1', 'benchmarking'],
  ['2001:3::1', 'AMT'],
  ['2001:4:112::1', 'AS112'],
  ['2620:4f:8000::1', 'AS112'],
  ['2001:10::1', 'ORCHID'],
  ['2001:20::1', 'ORCHIDv2'],
  ['2001:30::1', 'drone remote ID'],
  ['100::1', 'discard-only'],
  ['5f00::1', 'segment routing (SRv6)'],
  ['4000::1', 'reserved'],
  ['64:ff9b:1::7f00:1', 'local-use NAT64'],
  ['64:ff9b:1::808:808', 'local-use NAT64'],
];

/** IPv6 forms that carry an IPv4 address, refused for that address. */
const hostileEmbeddings: [string, string, string][] = [
  ['::ffff:127.0.0.1', 'loopback', 'an IPv4-mapped address of 127.0.0.1'],
  ['::ffff:7f00:1', 'loopback', 'an IPv4-mapped address of 127.0.0.1'],
  ['::ffff:10.0.0.1', 'private', 'an IPv4-mapped address of 10.0.0.1'],
  ['::ffff:169.254.169.254', 'link-local', 'an IPv4-mapped address of 169.254.169.254'],
  ['::ffff:0:7f00:1', 'loopback', 'an IPv4-translated (SIIT) address of 127.0.0.1'],
  ['::ffff:0:a00:1', 'private', 'an IPv4-translated (SIIT) address of 10.0.0.1'],
  ['::127.0.0.1', 'loopback', 'an IPv4-compatible address of 127.0.0.1'],
  ['::7f00:1', 'loopback', 'an IPv4-compatible address of 127.0.0.1'],
  ['::a9fe:a9fe', 'link-local', 'an IPv4-compatible address of 169.254.169.254'],
  ['64:ff9b::7f00:1', 'loopback', 'a NAT64 address of 127.0.0.1'],
  ['64:ff9b::a00:1', 'private', 'a NAT64 address of 10.0.0.1'],
  ['64:ff9b::a9fe:a9fe', 'link-local', 'a NAT64 address of 169.254.169.254'],
  ['2002:7f00:1::1', 'loopback', 'a 6to4 address of 127.0.0.1'],
  ['2002:0a00:0001::1', 'private', 'a 6to4 address of 10.0.0.1'],
  ['2002:a9fe:a9fe:1::1', 'link-local', 'a 6to4 address of 169.254.169.254'],
  ['2002:c000:201::1', 'reserved', 'a 6to4 address of 192.0.2.1'],
  ['2001:0:4136:e378:8000:63bf:80ff:fffe', 'loopback', 'a Teredo address with client 127.0.0.1'],
  ['2001:0:4136:e378:8000:63bf:3f57:fefe', 'private', 'a Teredo address with client 192.168.1.1'],
  ['2001:0:a00:1:8000:63bf:f7f7:f7f7', 'private', 'a Teredo address with server 10.0.0.1'],
];

const publicAddresses = [
  '93.184.216.34',
  '8.8.8.8',
  '172.32.0.1',
  '100.128.0.1',
  '2606:4700::1111',
  '2606:4700:4700::1111',
  '::ffff:8.8.8.8',
  '::ffff:0:808:808',
  '64:ff9b::808:808',
  '2002:0808:0808::1',
  // Teredo server 65.54.227.120, client 8.8.8.8.
  '2001:0:4136:e378:8000:63bf:f7f7:f7f7',
];

describe('forbidden addresses', () => {
  it.each(hostileAddresses)('refuses %s as %s', (ip, kind) => {
    expect(forbiddenAddressKind(ip)).toBe(kind);
    expect(isForbiddenAddress(ip)).toBe(true);
  });

  it.each(hostileEmbeddings)('refuses %s as %s, being %s', (ip, kind, carrier) => {
    expect(forbiddenAddressKind(ip)).toBe(kind);
    expect(isForbiddenAddress(ip)).toBe(true);
    expect(describeForbiddenAddress(ip)).toMatch(
      new RegExp(`^${escape(carrier)}, which is an? ${kind} address$`),
    );
  });

  it.each(publicAddresses)('lets %s through as a public address', (ip) => {
    expect(forbiddenAddressKind(ip)).toBeNull();
    expect(isForbiddenAddress(ip)).toBe(false);
    expect(describeForbiddenAddress(ip)).toBeNull();
  });

  it('treats what is not an IP address as forbidden', () => {
    expect(isForbiddenAddress('example.com')).toBe(true);
    expect(describeForbiddenAddress('example.com')).toBe('not an IP address');
  });

  it('does not read the shorthand IPv4 forms that connections would not take as addresses', () => {
    expect(forbiddenAddressKind('127.1')).toBe('not an IP address');
    expect(forbiddenAddressKind('2130706433')).toBe('not an IP address');
  });

  it('names the kind with its article', () => {
    expect(describeForbiddenAddress('fec0::1')).toBe('a site-local address');
    expect(describeForbiddenAddress('0.0.0.0')).toBe('an unspecified address');
    expect(describeForbiddenAddress('fd00::1')).toBe('a unique local address');
    expect(describeForbiddenAddress('192.52.193.1')).toBe('an AMT address');
    expect(describeForbiddenAddress('2002:7f00:1::1')).toBe(
      'a 6to4 address of 127.0.0.1, which is a loopback address',
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
