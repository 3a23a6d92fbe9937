import { Inject, Injectable } from '@nestjs/common';
import { MetricsRegistry, type Counter } from '@mailroom/observability';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';

/**
 * Per-tenant counts of the gateway. The `tenant` label only ever takes the tenants API_KEYS names
 * (every caller is one of its keys), so the series stay few: tenants × kinds. Nothing per
 * newsletter or address.
 */
@Injectable()
export class TenantMetrics {
  private readonly accepted: Counter<'tenant' | 'kind'>;
  private readonly skipped: Counter<'tenant' | 'list'>;
  private readonly tenants: ReadonlySet<string>;

  constructor(metrics: MetricsRegistry, @Inject(GATEWAY_CONFIG) config: GatewayConfig) {
    this.tenants = new Set(config.apiKeys.map((key) => key.tenant));
    this.accepted = metrics.counter({
      name: 'mailroom_gateway_newsletters_accepted_total',
      help: 'Newsletters accepted, by tenant (one of the tenants API_KEYS names) and kind (newsletter, test)',
      labelNames: ['tenant', 'kind'],
    });
    this.skipped = metrics.counter({
      name: 'mailroom_gateway_test_recipients_skipped_total',
      help: 'Test-send recipients left out because a suppression list has them, by tenant and list (tenant, global)',
      labelNames: ['tenant', 'list'],
    });
    // Every configured tenant from the start, so a rate() has a first sample.
    for (const tenant of this.tenants) for (const kind of ['newsletter', 'test']) this.accepted.inc({ tenant: this.label(tenant), kind }, 0);
  }

  newsletterAccepted(tenant: string, kind: 'newsletter' | 'test'): void {
    this.accepted.inc({ tenant: this.label(tenant), kind });
  }

  testRecipientsSkipped(tenant: string, list: 'tenant' | 'global', count: number): void {
    if (count > 0) this.skipped.inc({ tenant: this.label(tenant), list }, count);
  }

  /** A tenant API_KEYS does not name cannot call; `other` keeps the label bounded all the same. */
  private label(tenant: string): string {
    return this.tenants.has(tenant) ? tenant : 'other';
  }
}
