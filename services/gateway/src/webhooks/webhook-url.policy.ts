import { Inject, Injectable } from '@nestjs/common';
import { lookup } from 'node:dns/promises';
import { GATEWAY_CONFIG, type GatewayConfig } from '../config/gateway.config';
import { ServiceUnavailableError, ValidationFailedError } from '../http/api-errors';
import { checkWebhookUrl, type ResolveHost } from '@mailroom/net-guard';

const LOOKUP_TIMEOUT_MS = 5_000;

/** The system resolver (so /etc/hosts counts, as it will for the notifier), with a deadline. */
const systemResolve: ResolveHost = async (host) => {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`lookup of ${host} timed out`), { code: 'ETIMEOUT' })), LOOKUP_TIMEOUT_MS);
  });
  try {
    const answers = await Promise.race([lookup(host, { all: true, verbatim: true }), deadline]);
    return answers.map((a) => a.address);
  } finally {
    clearTimeout(timer);
  }
};

/** Refuses a `webhookUrl` that could reach inside the deployment (400), before anything is stored. */
@Injectable()
export class WebhookUrlPolicy {
  constructor(@Inject(GATEWAY_CONFIG) private readonly config: GatewayConfig) {}

  /** @returns the URL as it will be stored (normalised). */
  async assertSafe(raw: string, field = 'webhookUrl'): Promise<string> {
    const verdict = await checkWebhookUrl(raw, { ...this.config.webhooks, resolve: systemResolve });
    if (verdict.ok) return verdict.url;
    if (verdict.kind === 'unresolved') {
      throw new ServiceUnavailableError(`${field}: ${verdict.reason}; try again`);
    }
    throw new ValidationFailedError(`${field} ${verdict.reason}`, field);
  }
}
