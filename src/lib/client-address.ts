// The address a request comes from, for the per-address limits (failed authentications, WebSocket connection
// attempts). Behind a load balancer or reverse proxy every socket comes from the proxy, so one client failing to
// authenticate would lock every client out: TRUST_PROXY names the proxies whose X-Forwarded-For is believed.
import type { IncomingMessage } from 'node:http';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/** Which peers may tell the client's address in X-Forwarded-For: none, the nearest N hops, or these addresses. */
export type TrustProxy = null | { hops: number } | { addresses: string[] };

/** Throws with a readable message when an address or range of the list is malformed. */
export function compileTrust(trust: TrustProxy): ((address: string, hop: number) => boolean) | null {
  if (!trust) return null;
  if ('hops' in trust) return (_address, hop) => hop < trust.hops;
  return proxyaddr.compile(trust.addresses);
}

export function clientAddressResolver(trust: TrustProxy): (request: IncomingMessage) => string {
  const trusted = compileTrust(trust);
  if (!trusted) return (request) => request.socket.remoteAddress ?? 'unknown';
  return (request) => (request.socket.remoteAddress ? proxyaddr(request, trusted) : 'unknown');
}

/** Whether an address (IPv4, IPv6, IPv4-mapped IPv6) is a loopback address. */
export function isLoopbackAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!ipaddr.isValid(bare)) return false;
  return ipaddr.process(bare).range() === 'loopback';
}

/** Whether a Host header names this machine: localhost or a loopback address, with any port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (!host) return false;
  let hostname: string;
  try {
    hostname = new URL(`http://${host}`).hostname;
  } catch {
    return false;
  }
  return hostname === 'localhost' || isLoopbackAddress(hostname);
}

/**
 * A request from this machine that names this machine: its peer, the client behind any trusted proxy and its Host
 * header are all loopback. A page of another site that a rebound DNS name points here carries that name as Host.
 */
export function isLoopbackRequest(request: IncomingMessage, clientAddress: string): boolean {
  return (
    isLoopbackAddress(request.socket.remoteAddress ?? '') &&
    isLoopbackAddress(clientAddress) &&
    isLoopbackHost(request.headers.host)
  );
}
