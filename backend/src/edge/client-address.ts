import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Decides whether the hop-th address back along X-Forwarded-For (0 = the peer) is a proxy of ours. */
export type TrustedProxies = (address: string, hop: number) => boolean;

/**
 * TRUST_PROXY: the `count` nearest hops are our proxies (Express's numeric `trust proxy`), so the
 * client is the address the outermost of them reported. 0 trusts no header: the peer is the client.
 */
export const trustedProxies =
  (count: number): TrustedProxies =>
  (_address, hop) =>
    hop < count;

/**
 * The client's address, as rate limits and the audit log see it. The API sets Express's `trust proxy`
 * to the same {@link trustedProxies}, so `req.ip` is this very computation; the gateway calls it on
 * the handshake's request.
 */
export function clientAddressOf(request: IncomingMessage, trust: TrustedProxies): string {
  return proxyaddr(request, trust);
}
