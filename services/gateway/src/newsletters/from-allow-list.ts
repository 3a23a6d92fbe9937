import { normalizeAddress } from '@mailroom/contracts';

/**
 * Which sender addresses callers may use (`ALLOWED_FROM`): exact addresses (`news@acme.example`)
 * and whole domains (`@acme.example`, that domain only, not its subdomains). Compared
 * case-insensitively. A newsletter from someone else's domain is how a leaked key becomes phishing.
 */
export class FromAllowList {
  private constructor(
    private readonly addresses: ReadonlySet<string>,
    private readonly domains: ReadonlySet<string>,
  ) {}

  /** Parses `ALLOWED_FROM`; throws naming the first bad entry. */
  static parse(raw: string): FromAllowList {
    const addresses = new Set<string>();
    const domains = new Set<string>();
    for (const entry of raw.split(',').map((e) => e.trim()).filter(Boolean)) {
      const domainOnly = entry.startsWith('@');
      const checked = normalizeAddress(domainOnly ? `postmaster${entry}` : entry);
      if (!checked.ok) throw new Error(`"${entry}" is not an address or @domain (${checked.reason})`);
      const email = checked.email.toLowerCase();
      if (domainOnly) domains.add(email.slice(email.lastIndexOf('@') + 1));
      else addresses.add(email);
    }
    if (addresses.size + domains.size === 0) throw new Error('no address or domain given');
    return new FromAllowList(addresses, domains);
  }

  /** `address` is a bare address as `parseFromAddress` returns it. */
  allows(address: string): boolean {
    const email = address.toLowerCase();
    return this.addresses.has(email) || this.domains.has(email.slice(email.lastIndexOf('@') + 1));
  }

  describe(): string {
    return [...this.addresses, ...[...this.domains].map((d) => `@${d}`)].join(', ');
  }
}
