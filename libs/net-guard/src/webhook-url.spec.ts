import { checkWebhookUrl, type ResolveHost, type WebhookUrlRules } from './webhook-url';

/** A resolver that knows a few names, as DNS would answer them. */
const DNS: Record<string, readonly string[]> = {
  'hooks.example.org': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'],
  'sneaky.example.org': ['127.0.0.1'],
  'half-sneaky.example.org': ['93.184.215.14', '10.0.0.7'],
  'metadata.example.org': ['169.254.169.254'],
  'mapped.example.org': ['::ffff:127.0.0.1'],
  'empty.example.org': [],
};
const resolve: ResolveHost = (host) => {
  if (host === 'flaky.example.org') return Promise.reject(Object.assign(new Error('timeout'), { code: 'ETIMEOUT' }));
  const addresses = DNS[host];
  return addresses ? Promise.resolve(addresses) : Promise.reject(Object.assign(new Error('not found'), { code: 'ENOTFOUND' }));
};
const rules: WebhookUrlRules = { allowPrivate: false, allowedHosts: new Set(), resolve };

describe('checkWebhookUrl', () => {
  it.each([
    ['https://hooks.example.org/mailroom?token=abc', 'https://hooks.example.org/mailroom?token=abc'],
    ['http://hooks.example.org:8080/x', 'http://hooks.example.org:8080/x'],
    ['https://HOOKS.example.org./x', 'https://hooks.example.org./x'],
    ['https://93.184.215.14/hook', 'https://93.184.215.14/hook'],
    ['https://[2606:4700:4700::1111]/hook', 'https://[2606:4700:4700::1111]/hook'],
  ])('accepts %s', async (raw, url) => {
    await expect(checkWebhookUrl(raw, rules)).resolves.toEqual({ ok: true, url });
  });

  it.each([
    ['ftp://hooks.example.org/x', 'must be an http:// or https:// URL'],
    ['file:///etc/passwd', 'must be an http:// or https:// URL'],
    ['javascript:alert(1)', 'must be an http:// or https:// URL'],
    ['hooks.example.org/x', 'must be an absolute http:// or https:// URL'],
    ['https://user:pass@hooks.example.org/x', 'must not contain a user name or password'],
    ['http://127.0.0.1/x', 'must not point to a loopback address (127.0.0.1)'],
    ['http://127.1/x', 'loopback address (127.0.0.1)'],
    ['http://169.254.169.254/latest/meta-data/', 'link-local address (169.254.169.254)'],
    ['http://10.1.2.3/', 'private address (10.1.2.3)'],
    ['http://172.16.5.4/', 'private address (172.16.5.4)'],
    ['http://192.168.0.10:8080/', 'private address (192.168.0.10)'],
    ['http://0.0.0.0/', '"this network" address (0.0.0.0)'],
    ['http://[::1]/', 'loopback address (::1)'],
    ['http://[fc00::5]/', 'unique-local address (fc00::5)'],
    ['http://[fd00:ec2::254]/', 'unique-local address (fd00:ec2::254)'],
    ['http://[fe80::1]/', 'link-local address (fe80::1)'],
    ['http://[::ffff:127.0.0.1]/', 'IPv4-mapped loopback address (::ffff:7f00:1)'],
    ['http://[::ffff:169.254.169.254]/', 'IPv4-mapped link-local address'],
    // Decimal, octal and hexadecimal spellings of 127.0.0.1, normalised by the URL parser.
    ['http://2130706433/', 'loopback address (127.0.0.1)'],
    ['http://0x7f.1/', 'loopback address (127.0.0.1)'],
    ['http://017700000001/', 'loopback address (127.0.0.1)'],
    ['http://0177.0.0.1/', 'loopback address (127.0.0.1)'],
    ['http://0x7f000001/', 'loopback address (127.0.0.1)'],
    ['http://localhost:3000/', 'must not point to an internal host name (localhost)'],
    ['http://LOCALHOST./', 'internal host name (localhost)'],
    ['http://api.localhost/', 'internal host name (api.localhost)'],
    ['http://metadata.google.internal/', 'internal host name (metadata.google.internal)'],
    ['http://sneaky.example.org/', 'loopback address (sneaky.example.org resolves to 127.0.0.1)'],
    ['http://half-sneaky.example.org/', 'private address (half-sneaky.example.org resolves to 10.0.0.7)'],
    ['http://metadata.example.org/', 'link-local address (metadata.example.org resolves to 169.254.169.254)'],
    ['http://mapped.example.org/', 'IPv4-mapped loopback address'],
    ['http://nowhere.example.org/', 'host nowhere.example.org does not resolve'],
    ['http://empty.example.org/', 'host empty.example.org does not resolve'],
  ])('refuses %s', async (raw, reason) => {
    const verdict = await checkWebhookUrl(raw, rules);
    expect(verdict).toMatchObject({ ok: false, kind: 'invalid' });
    expect(verdict.ok ? '' : verdict.reason).toContain(reason);
  });

  it('tells a resolver failure apart from a refusal (try again, not a bad URL)', async () => {
    await expect(checkWebhookUrl('https://flaky.example.org/', rules)).resolves.toMatchObject({ ok: false, kind: 'unresolved' });
  });

  it.each([
    ['http://127.0.0.1:9000/hook', { allowPrivate: true }],
    ['http://sneaky.example.org/', { allowPrivate: true }],
    ['http://hooks.internal/x', { allowedHosts: new Set(['hooks.internal']) }],
    ['http://10.0.0.5/x', { allowedHosts: new Set(['10.0.0.5']) }],
    ['http://[fd00::5]/x', { allowedHosts: new Set(['fd00::5']) }],
  ])('accepts %s when the configuration allows it', async (raw, allowed) => {
    await expect(checkWebhookUrl(raw, { ...rules, ...allowed })).resolves.toMatchObject({ ok: true });
  });

  it('still refuses other schemes and credentials when private targets are allowed', async () => {
    await expect(checkWebhookUrl('ftp://10.0.0.5/', { ...rules, allowPrivate: true })).resolves.toMatchObject({ ok: false });
    await expect(checkWebhookUrl('http://u:p@10.0.0.5/', { ...rules, allowPrivate: true })).resolves.toMatchObject({ ok: false });
  });

  it('does not let an allowed host vouch for another', async () => {
    const verdict = await checkWebhookUrl('http://10.0.0.6/', { ...rules, allowedHosts: new Set(['10.0.0.5']) });
    expect(verdict.ok).toBe(false);
  });
});
