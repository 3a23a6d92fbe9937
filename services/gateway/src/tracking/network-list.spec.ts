import { NetworkList } from './network-list';

describe('NetworkList', () => {
  it('matches IPv4 and IPv6 addresses in its networks, IPv4-mapped ones as IPv4', () => {
    const list = NetworkList.parse(' 17.0.0.0/8, 2a01:b740::/32 ');
    expect(list.has('17.58.1.2')).toBe(true);
    expect(list.has('::ffff:17.58.1.2')).toBe(true);
    expect(list.has('2a01:b740:1::5')).toBe(true);
    expect(list.has('18.0.0.1')).toBe(false);
    expect(list.has('2a02::1')).toBe(false);
    expect(list.has(undefined)).toBe(false);
    expect(list.has('not an address')).toBe(false);
  });

  it('is empty for an empty value, and refuses an entry that is not a CIDR, naming it', () => {
    expect(NetworkList.parse('').has('17.0.0.1')).toBe(false);
    expect(() => NetworkList.parse('17.0.0.0/8,17.0.0.1')).toThrow('17.0.0.1 is not a CIDR');
    expect(() => NetworkList.parse('17.0.0.0/33')).toThrow('17.0.0.0/33 is not a CIDR');
  });
});
