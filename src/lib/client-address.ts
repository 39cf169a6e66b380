// The address a request comes from, for the per-address limits (failed authentications, WebSocket connection
// attempts). Behind a load balancer or reverse proxy every socket comes from the proxy, so one client failing to
// authenticate would lock every client out: TRUST_PROXY names the proxies whose X-Forwarded-For is believed.
import type { IncomingMessage } from 'node:http';
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
