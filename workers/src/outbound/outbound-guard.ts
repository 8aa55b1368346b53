import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** Resolves a host name to every address it has (injectable so tests never touch DNS). */
export type HostResolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Where an allowed request goes: connect to `address`, not to whatever the host resolves to later. */
export interface OutboundTarget {
  url: URL;
  /** The URL's host name, lower case, without IPv6 brackets. */
  hostname: string;
  address: string;
  family: 4 | 6;
  /** True when the host is in the allowlist and the address was not checked. */
  allowlisted: boolean;
}

export interface OutboundGuardOptions {
  /** Host names (or IP literals) that may be called whatever they resolve to; case-insensitive. */
  allowlist?: readonly string[];
  resolve?: HostResolver;
}

/** An outbound URL Flightdeck will not call; permanent, so callers should not retry. */
export class OutboundUrlRefusedError extends Error {
  override name = 'OutboundUrlRefusedError';
}

const defaultResolver: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, order: 'verbatim' })).map(({ address, family }) => ({
    address,
    family: family === 6 ? 6 : 4,
  }));

/** Loopback, private, link-local, shared, reserved, documentation, multicast and broadcast ranges. */
const INTERNAL: ReadonlyArray<[network: string, prefix: number, family: 'ipv4' | 'ipv6', what: string]> = [
  ['0.0.0.0', 8, 'ipv4', 'unspecified ("this network")'],
  ['10.0.0.0', 8, 'ipv4', 'private'],
  ['100.64.0.0', 10, 'ipv4', 'shared (CGNAT)'],
  ['127.0.0.0', 8, 'ipv4', 'loopback'],
  ['169.254.0.0', 16, 'ipv4', 'link-local'],
  ['172.16.0.0', 12, 'ipv4', 'private'],
  ['192.0.0.0', 24, 'ipv4', 'reserved (IETF protocol assignments)'],
  ['192.0.2.0', 24, 'ipv4', 'reserved (documentation)'],
  ['192.88.99.0', 24, 'ipv4', 'reserved (6to4 relay)'],
  ['192.168.0.0', 16, 'ipv4', 'private'],
  ['198.18.0.0', 15, 'ipv4', 'reserved (benchmarking)'],
  ['198.51.100.0', 24, 'ipv4', 'reserved (documentation)'],
  ['203.0.113.0', 24, 'ipv4', 'reserved (documentation)'],
  ['224.0.0.0', 4, 'ipv4', 'multicast'],
  ['240.0.0.0', 4, 'ipv4', 'reserved or broadcast'],
  ['::', 128, 'ipv6', 'unspecified'],
  ['::1', 128, 'ipv6', 'loopback'],
  ['::', 96, 'ipv6', 'reserved (IPv4-compatible)'],
  ['64:ff9b:1::', 48, 'ipv6', 'reserved (local-use NAT64)'],
  ['100::', 64, 'ipv6', 'reserved (discard)'],
  ['2001::', 32, 'ipv6', 'reserved (Teredo)'],
  ['2001:db8::', 32, 'ipv6', 'reserved (documentation)'],
  ['fc00::', 7, 'ipv6', 'private (unique local)'],
  ['fe80::', 10, 'ipv6', 'link-local'],
  ['fec0::', 10, 'ipv6', 'reserved (site-local)'],
  ['ff00::', 8, 'ipv6', 'multicast'],
];

const RANGES = INTERNAL.map(([network, prefix, family, what]) => {
  const list = new BlockList();
  list.addSubnet(network, prefix, family);
  return { list, family, what };
});

/** Why an address is internal, or undefined when it is a public address. */
export function internalAddressKind(address: string): string | undefined {
  const family = isIP(address);
  if (family === 0) return 'not an IP address';
  // An IPv6 address that carries an IPv4 one (mapped, NAT64, 6to4) is judged by the IPv4 it carries.
  const embedded = family === 6 ? embeddedIPv4(address) : undefined;
  if (embedded) return internalAddressKind(embedded);
  const type = family === 4 ? 'ipv4' : 'ipv6';
  return RANGES.find((range) => range.family === type && range.list.check(address, type))?.what;
}

/** Decides whether an outbound URL may be called, and which address to connect to. */
export class OutboundGuard {
  private readonly allowlist: ReadonlySet<string>;
  private readonly resolve: HostResolver;

  constructor(options: OutboundGuardOptions = {}) {
    this.allowlist = new Set((options.allowlist ?? []).map(allowlistEntry).filter(Boolean));
    this.resolve = options.resolve ?? defaultResolver;
  }

  /**
   * Resolves the URL's host and refuses it (`OutboundUrlRefusedError`) unless it is http(s) and every
   * address it resolves to is public, or the host is allowlisted. Resolution failures are thrown as is
   * (they may be transient).
   */
  async check(input: string | URL): Promise<OutboundTarget> {
    let url: URL;
    try {
      url = new URL(input);
    } catch {
      throw new OutboundUrlRefusedError(`refused: "${String(input)}" is not a valid URL`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new OutboundUrlRefusedError(`refused ${url.protocol}// URL: only http and https may be called`);
    }
    const hostname = normalizeHost(url.hostname);
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const allowlisted = this.allowlist.has(hostname) || this.allowlist.has(`${hostname} ${port}`);
    const family = isIP(hostname);
    const addresses: ResolvedAddress[] =
      family === 4 || family === 6 ? [{ address: hostname, family }] : await this.resolve(hostname);
    if (addresses.length === 0) throw new OutboundUrlRefusedError(`refused ${hostname}: it resolves to no address`);
    if (!allowlisted) {
      // Every address is checked, not only the first: a client may fall back to any of them.
      for (const { address } of addresses) {
        const kind = internalAddressKind(address);
        if (kind) {
          const subject = address === hostname ? 'it' : `it resolves to ${address}, which`;
          const article = /^[aeiou]/.test(kind) ? 'an' : 'a';
          throw new OutboundUrlRefusedError(
            `refused ${hostname}: ${subject} is ${article} ${kind} address; list the host in OUTBOUND_ALLOWLIST to allow it`,
          );
        }
      }
    }
    const [first] = addresses as [ResolvedAddress];
    return { url, hostname, address: first.address, family: first.family, allowlisted };
  }
}

/**
 * An OUTBOUND_ALLOWLIST entry as the guard compares it: a host (every port of it), or `host:port`
 * (`[v6]:port` for IPv6) for that port only.
 */
function allowlistEntry(entry: string): string {
  const text = entry.trim().toLowerCase();
  const withPort = /^(\[[^\]]+\]|[^:]+):(\d{1,5})$/.exec(text);
  // A space, which no host holds, parts host and port: `fd00::1:80` is a host, not `[fd00::1]:80`.
  return withPort ? `${normalizeHost(withPort[1]!)} ${Number(withPort[2])}` : normalizeHost(text);
}

function normalizeHost(host: string): string {
  return host
    .trim()
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1');
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
function embeddedIPv4(address: string): string | undefined {
  const groups = expandIPv6(address);
  if (!groups) return undefined;
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;
  const zeros = (from: number, to: number) => groups.slice(from, to).every((group) => group === 0);
  if (zeros(0, 5) && groups[5] === 0xffff) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x64 && groups[1] === 0xff9b && zeros(2, 6)) return v4(groups[6]!, groups[7]!);
  if (groups[0] === 0x2002) return v4(groups[1]!, groups[2]!);
  return undefined;
}

/** The eight 16-bit groups of an IPv6 address (zone ids dropped; a trailing dotted IPv4 allowed). */
function expandIPv6(address: string): number[] | undefined {
  let text = address.split('%')[0]!.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const parse = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const groups =
    tail === undefined ? left : [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  return groups.length === 8 && groups.every((group) => Number.isInteger(group) && group >= 0 && group <= 0xffff)
    ? groups
    : undefined;
}
