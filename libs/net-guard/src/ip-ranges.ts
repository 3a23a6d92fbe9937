import { isIPv4, isIPv6 } from 'node:net';

/**
 * Is an IP address one a webhook must never be sent to? Loopback, private, link-local, unique-local,
 * carrier-grade NAT, multicast, unspecified and reserved ranges all reach something inside the
 * cluster, the host or its cloud metadata service rather than the caller's server on the internet.
 * IPv6 forms that embed an IPv4 address (mapped, compatible, NAT64, 6to4) are judged by that address.
 */

interface Range {
  readonly name: string;
  readonly prefix: readonly number[];
  readonly bits: number;
}

const v4 = (name: string, cidr: string): Range => {
  const [address, bits] = cidr.split('/') as [string, string];
  return { name, prefix: address.split('.').map(Number), bits: Number(bits) };
};

const IPV4_BLOCKED: readonly Range[] = [
  v4('"this network"', '0.0.0.0/8'),
  v4('private', '10.0.0.0/8'),
  v4('carrier-grade NAT', '100.64.0.0/10'),
  v4('loopback', '127.0.0.0/8'),
  v4('link-local', '169.254.0.0/16'),
  v4('private', '172.16.0.0/12'),
  v4('IETF protocol assignments', '192.0.0.0/24'),
  v4('private', '192.168.0.0/16'),
  v4('benchmarking', '198.18.0.0/15'),
  v4('multicast', '224.0.0.0/4'),
  v4('reserved', '240.0.0.0/4'),
];

const v6 = (name: string, hex: string, bits: number): Range => ({ name, prefix: parseIpv6(hex)!, bits });

const IPV6_BLOCKED: readonly Range[] = [
  v6('unspecified', '::', 128),
  v6('loopback', '::1', 128),
  v6('discard-only', '100::', 64),
  v6('unique-local', 'fc00::', 7),
  v6('link-local', 'fe80::', 10),
  v6('site-local', 'fec0::', 10),
  v6('multicast', 'ff00::', 8),
];

/** IPv6 prefixes followed by an IPv4 address: [prefix, prefix bits, byte offset of the IPv4 address]. */
const IPV4_EMBEDDING: ReadonlyArray<readonly [Range, number]> = [
  [v6('IPv4-mapped', '::ffff:0:0', 96), 12],
  [v6('IPv4-compatible', '::', 96), 12],
  [v6('NAT64', '64:ff9b::', 96), 12],
  [v6('6to4', '2002::', 16), 2],
];

/** The name of the blocked range `ip` falls in, or undefined when it is a public address. */
export function blockedRangeOf(ip: string): string | undefined {
  if (isIPv4(ip)) return matchRange(ip.split('.').map(Number), IPV4_BLOCKED);
  if (!isIPv6(ip)) return 'not an IP address';
  const bytes = parseIpv6(ip.replace(/%.*$/, ''));
  if (!bytes) return 'not an IP address';
  const own = matchRange(bytes, IPV6_BLOCKED);
  if (own) return own;
  for (const [range, offset] of IPV4_EMBEDDING) {
    if (inRange(bytes, range)) {
      const embedded = matchRange(bytes.slice(offset, offset + 4), IPV4_BLOCKED);
      if (embedded) return `${range.name} ${embedded}`;
    }
  }
  return undefined;
}

function matchRange(bytes: readonly number[], ranges: readonly Range[]): string | undefined {
  return ranges.find((range) => inRange(bytes, range))?.name;
}

function inRange(bytes: readonly number[], range: Range): boolean {
  for (let bit = 0; bit < range.bits; bit += 8) {
    const left = Math.min(8, range.bits - bit);
    const mask = (0xff << (8 - left)) & 0xff;
    const index = bit / 8;
    if (((bytes[index] ?? 0) & mask) !== ((range.prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

/** 16 bytes of an IPv6 address in any textual form (`::`, embedded dotted IPv4), or undefined. */
export function parseIpv6(text: string): number[] | undefined {
  let head = text.toLowerCase();
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(head);
  if (dotted) {
    if (!isIPv4(dotted[1]!)) return undefined;
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    head = head.slice(0, -dotted[1]!.length);
    if (head.endsWith(':') && !head.endsWith('::')) head = head.slice(0, -1);
  }
  const halves = head.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const before = groups(halves[0]);
  const after = groups(halves[1]);
  const words = [...before, ...after].map((g) => (/^[0-9a-f]{1,4}$/.test(g) ? parseInt(g, 16) : NaN));
  if (words.some(Number.isNaN)) return undefined;
  const missing = 8 - tail.length - words.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...words.slice(0, before.length), ...Array<number>(Math.max(0, missing)).fill(0), ...words.slice(before.length), ...tail];
  return all.flatMap((word) => [word >> 8, word & 0xff]);
}
