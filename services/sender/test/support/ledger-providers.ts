import { connect } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { isLedgerEntryKey, topology, type LedgerEntry } from '@mailroom/contracts';
import { TEST_NATS_URL } from '@mailroom/testing';

/** How many of a newsletter's ledger entries each provider settled (read straight from the KV bucket). */
export async function ledgerProviders(namespace: string, newsletterId: string): Promise<Record<string, number>> {
  const nc = await connect({ servers: TEST_NATS_URL });
  try {
    const kv = await new Kvm(jetstream(nc)).open(topology(namespace).buckets.ledger);
    const counts: Record<string, number> = {};
    for await (const entry of await kv.history({ key: `${newsletterId}.>` })) {
      if (entry.operation !== 'PUT' || !isLedgerEntryKey(entry.key)) continue;
      const provider = entry.json<LedgerEntry>().provider ?? 'none';
      counts[provider] = (counts[provider] ?? 0) + 1;
    }
    return counts;
  } finally {
    await nc.close();
  }
}
