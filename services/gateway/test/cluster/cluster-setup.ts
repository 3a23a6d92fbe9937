import { natsServerBinaries, type NatsCluster, type StackOptions } from '@mailroom/testing';

/**
 * What the cluster suites share: the nats-server versions they run on (2.9.10, and 2.10 when
 * tools/nats/fetch-nats-server.sh has unpacked it), and the stack options of a production-like
 * deployment: every service told `STREAM_REPLICAS=3`, NATS_URL listing the three servers.
 */
export const clusterServers = natsServerBinaries().map((b) => [b.version, b] as const);

export function clusterStackOptions(cluster: NatsCluster, smtpUrl: string, extra: Partial<StackOptions> = {}): StackOptions {
  return {
    smtpUrl,
    natsUrl: cluster.urls,
    // A cold cluster and up to nine Node processes on two cores: boots take longer than on one server.
    readyTimeoutMs: 90_000,
    ...extra,
    env: { STREAM_REPLICAS: '3', ...extra.env },
  };
}

/** `a` of `n` recipients under a prefix of their own, so that counts at the sink are per case. */
export const recipientsOf = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix}${i}@example.org`);

/** Sink deliveries per recipient: who got nothing, and how many got it more than once. */
export function deliveryCounts(recipients: readonly string[], deliveriesTo: ReadonlyMap<string, number>): { lost: number; duplicates: number } {
  let lost = 0;
  let duplicates = 0;
  for (const r of recipients) {
    const n = deliveriesTo.get(r) ?? 0;
    if (n === 0) lost += 1;
    duplicates += Math.max(0, n - 1);
  }
  return { lost, duplicates };
}
