import { DEFAULT_TENANT, isTenantName, tenantOf } from './tenant';

describe('tenantOf', () => {
  it.each([
    [{ tenant: 'acme' }, 'acme'],
    [{}, DEFAULT_TENANT],
    [{ tenant: undefined }, DEFAULT_TENANT],
    [{ tenant: null }, DEFAULT_TENANT],
    [{ tenant: '' }, DEFAULT_TENANT],
    [null, DEFAULT_TENANT],
    [undefined, DEFAULT_TENANT],
  ])('%j belongs to %j', (x, tenant) => {
    expect(tenantOf(x)).toBe(tenant);
  });

  it('is "default" for records written before tenants', () => {
    expect(DEFAULT_TENANT).toBe('default');
  });
});

describe('isTenantName', () => {
  it.each(['acme', 'team-a', 'team_b', 'acme.billing', 'A1'])('accepts %j', (name) => expect(isTenantName(name)).toBe(true));
  it.each(['', '.acme', 'acme.', 'a..b', 'a b', 'a/b', 'a*', 'a>', 'x'.repeat(65)])('refuses %j', (name) =>
    expect(isTenantName(name)).toBe(false),
  );
});
