/**
 * Tenancy: every API key belongs to a tenant, and so does everything its calls create
 * (newsletters, lists, their failures and dead letters). Records and events carry an optional
 * `tenant`; one written before tenants existed has none and belongs to DEFAULT_TENANT, so old
 * data reads as it always did. Read it through `tenantOf`, never `x.tenant` directly.
 */
export const DEFAULT_TENANT = 'default';

/**
 * A tenant name: 1-64 characters of A-Z, a-z, 0-9, "_" and "-", dot-separated words allowed
 * (it becomes one or more tokens of KV keys and a metrics label value, so no empty token).
 */
export const TENANT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\.[A-Za-z0-9][A-Za-z0-9_-]*)*$/;
export const MAX_TENANT_NAME_LENGTH = 64;

export function isTenantName(value: string): boolean {
  return value.length <= MAX_TENANT_NAME_LENGTH && TENANT_NAME.test(value);
}

/** The tenant a record or event belongs to: its own, or DEFAULT_TENANT when it predates tenants. */
export function tenantOf(x: { readonly tenant?: string | null } | null | undefined): string {
  const tenant = x?.tenant;
  return typeof tenant === 'string' && tenant.length > 0 ? tenant : DEFAULT_TENANT;
}
