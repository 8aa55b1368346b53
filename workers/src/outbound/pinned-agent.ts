import type { LookupFunction } from 'node:net';
import { Agent } from 'undici';
import type { OutboundTarget } from './outbound-guard';

/**
 * An undici dispatcher (pass it to `fetch` as `dispatcher`) that connects only to the address the
 * guard checked, so a host cannot resolve to a public address for the check and to an internal one
 * for the connection (DNS rebinding). The URL is unchanged, so `Host` and TLS SNI stay the host name.
 * One agent per request; destroy it when done.
 */
export function pinnedAgent(target: OutboundTarget): Agent {
  const lookup: LookupFunction = (hostname, options, callback) => {
    if (hostname.toLowerCase() !== target.hostname) {
      callback(new Error(`refused to connect to ${hostname}: only ${target.hostname} was checked`), '', 4);
    } else if (options.all) {
      callback(null, [{ address: target.address, family: target.family }]);
    } else {
      callback(null, target.address, target.family);
    }
  };
  return new Agent({ connect: { lookup } });
}
