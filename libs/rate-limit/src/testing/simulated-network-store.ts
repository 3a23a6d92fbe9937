import type { InMemoryLeaseStore } from '../shared/in-memory-lease-store';
import type { LeaseStore, SharedBucketState, VersionedBucketState } from '../shared/lease-store';

interface SimulatedNetworkOptions {
  readonly random: () => number;
  /** Round-trip time, drawn uniformly per call; the server applies the call half-way. */
  readonly minRoundTripMs: number;
  readonly maxRoundTripMs: number;
  /** Chance that some unseen writer updates the record just before this update lands. */
  readonly foreignWriteProbability?: number;
}

/**
 * One replica's view of a shared in-memory record across a network with latency (timers, so run it
 * under jest's fake timers). Calls from different replicas interleave at the "server" the way
 * they would over NATS; foreign writes inject extra CAS conflicts.
 */
export class SimulatedNetworkStore implements LeaseStore {
  constructor(
    private readonly server: InMemoryLeaseStore,
    private readonly options: SimulatedNetworkOptions,
  ) {}

  read(): Promise<VersionedBucketState | null> {
    return this.call(() => this.server.read());
  }

  create(state: SharedBucketState): Promise<number> {
    return this.call(() => this.server.create(state));
  }

  update(state: SharedBucketState, revision: number): Promise<number> {
    return this.call(() => {
      if (this.options.random() < (this.options.foreignWriteProbability ?? 0)) this.server.bumpRevision();
      return this.server.update(state, revision);
    });
  }

  private async call<T>(apply: () => Promise<T>): Promise<T> {
    const { random, minRoundTripMs, maxRoundTripMs } = this.options;
    const roundTripMs = minRoundTripMs + random() * (maxRoundTripMs - minRoundTripMs);
    await delay(roundTripMs / 2);
    const settled = await apply().then(
      (value) => ({ ok: true as const, value }),
      (error: unknown) => ({ ok: false as const, error }),
    );
    await delay(roundTripMs / 2);
    if (!settled.ok) throw settled.error;
    return settled.value;
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
