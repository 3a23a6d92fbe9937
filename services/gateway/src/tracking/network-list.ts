import { BlockList, isIP } from 'node:net';

/**
 * A set of client networks given as comma-separated CIDRs (`17.0.0.0/8, 2a01:b740::/32`), for
 * telling a machine's request from a reader's by its address. Node's own BlockList does the
 * matching (IPv4 and IPv6, an IPv4-mapped IPv6 address counts as its IPv4 one).
 */
export class NetworkList {
  private constructor(
    private readonly list: BlockList,
    readonly size: number,
  ) {}

  /** Throws with the offending entry when one is not a CIDR. */
  static parse(value: string): NetworkList {
    const list = new BlockList();
    const entries = value
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    for (const entry of entries) {
      const match = /^([^/]+)\/(\d{1,3})$/.exec(entry);
      const family = match ? isIP(match[1]!) : 0;
      const prefix = match ? Number(match[2]) : NaN;
      if (!match || family === 0 || prefix > (family === 4 ? 32 : 128)) throw new Error(`${entry} is not a CIDR (address/prefix length)`);
      list.addSubnet(match[1]!, prefix, family === 4 ? 'ipv4' : 'ipv6');
    }
    return new NetworkList(list, entries.length);
  }

  /** Whether `address` (as Express gives it; undefined when unknown) is in one of the networks. */
  has(address: string | undefined): boolean {
    if (this.size === 0 || !address) return false;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    const ip = mapped ? mapped[1]! : address;
    const family = isIP(ip);
    if (family === 0) return false;
    return this.list.check(ip, family === 4 ? 'ipv4' : 'ipv6');
  }
}
