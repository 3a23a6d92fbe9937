import { blockedRangeOf, parseIpv6 } from './ip-ranges';

describe('blockedRangeOf', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['0.0.0.0', '"this network"'],
    ['10.0.0.1', 'private'],
    ['10.255.255.255', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'carrier-grade NAT'],
    ['224.0.0.1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['::', 'unspecified'],
    ['::1', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456:789a::1', 'unique-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['ff02::1', 'multicast'],
    ['::ffff:127.0.0.1', 'IPv4-mapped loopback'],
    ['::ffff:7f00:1', 'IPv4-mapped loopback'],
    ['::ffff:a9fe:a9fe', 'IPv4-mapped link-local'],
    ['::ffff:10.1.2.3', 'IPv4-mapped private'],
    ['::127.0.0.1', 'IPv4-compatible loopback'],
    ['64:ff9b::169.254.169.254', 'NAT64 link-local'],
    ['2002:c0a8:0101::1', '6to4 private'],
  ])('%s is %s', (ip, range) => {
    expect(blockedRangeOf(ip)).toBe(range);
  });

  it.each([
    '8.8.8.8',
    '93.184.215.14',
    '172.15.255.255',
    '172.32.0.1',
    '192.169.0.1',
    '100.128.0.1',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '64:ff9b::8.8.8.8',
    'fec0::1'.replace('fec0', '2001:db8'),
  ])('%s is public', (ip) => {
    expect(blockedRangeOf(ip)).toBeUndefined();
  });

  it('is not fooled by something that is not an IP address', () => {
    expect(blockedRangeOf('localhost')).toBe('not an IP address');
  });
});

describe('parseIpv6', () => {
  it.each([
    ['::1', [...Array<number>(15).fill(0), 1]],
    ['1::', [0, 1, ...Array<number>(14).fill(0)]],
    ['::ffff:1.2.3.4', [...Array<number>(10).fill(0), 0xff, 0xff, 1, 2, 3, 4]],
  ])('%s', (text, bytes) => {
    expect(parseIpv6(text)).toEqual(bytes);
  });

  it.each(['1:2:3', '1::2::3', '::g', '1:2:3:4:5:6:7:8:9', '::1.2.3.256'])('refuses %s', (text) => {
    expect(parseIpv6(text)).toBeUndefined();
  });
});
