import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { KvEntry } from '@nats-io/kv';
import { batchLeaseKey } from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { retryTransient } from '../resilience/retry-transient';
import { STORES_TOKEN } from './stores.token';
import { isWrongLastSequence } from '../storage/wrong-last-sequence';

interface LeaseRecord {
  readonly owner: string;
  /** Epoch ms; after it anyone may take the lease over. */
  readonly expiresAt: number;
}

/** Lease writes keep retrying through a leader election this long before the caller hears of it. */
const LEASE_RETRY_BUDGET_MS = 15_000;

/** Which batch a lease is for: a first-pass batch (no round) or a batch of a re-send round. */
export interface BatchRef {
  readonly newsletterId: string;
  readonly round?: string | undefined;
  readonly batchIndex: number;
}

/** A held lease: renew it while working, check it before each irreversible step, release it at the end. */
export class BatchLease {
  private expiresAt: number;
  private lost = false;

  constructor(
    private readonly leases: BatchLeases,
    readonly key: string,
    private revision: number,
    expiresAt: number,
    private readonly ttlMs: number,
  ) {
    this.expiresAt = expiresAt;
  }

  /** Still ours, with a safety margin for clock skew and the time a send takes. */
  get valid(): boolean {
    return !this.lost && Date.now() < this.expiresAt - this.ttlMs / 4;
  }

  async renew(): Promise<void> {
    try {
      const expiresAt = Date.now() + this.ttlMs;
      this.revision = await this.leases.rewrite(this.key, expiresAt, this.revision);
      this.expiresAt = expiresAt;
    } catch {
      // Someone took it over, or NATS stayed away past the retry budget: stop relying on it.
      this.lost = true;
    }
  }

  async release(): Promise<void> {
    this.lost = true;
    await this.leases.remove(this.key, this.revision);
  }
}

/**
 * Mutual exclusion per batch across sender replicas (KV bucket `<ns>-batch-leases`, key
 * `batchLeaseKey`: `<newsletter id>.<round | first>.<batch index>`, value = JSON {owner,
 * expiresAt}; revision CAS).
 * JetStream may hand a batch to a second sender while the first still works on it (an ack wait
 * that ran out during a NATS outage, a restart of the server); the lease makes the second one wait
 * instead of sending the same emails in parallel. A crashed holder's lease expires after `ttlMs`.
 *
 * Every write is retried through leader elections, and a write whose answer was lost may have
 * been applied: so the owner is this process (one id for its life), and a record already carrying
 * it is ours to continue — unless this process holds that lease right now (`held`), in which
 * case a second delivery of the same batch waits like anyone else's.
 */
@Injectable()
export class BatchLeases {
  private readonly owner = randomUUID();
  private readonly held = new Set<string>();

  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  /** The lease, or how long until the current holder's expires. */
  async claim(batch: BatchRef, ttlMs: number): Promise<BatchLease | { heldForMs: number }> {
    const key = batchLeaseKey(batch.newsletterId, batch.round, batch.batchIndex);
    if (this.held.has(key)) return { heldForMs: Math.min(ttlMs, 1_000) };
    for (;;) {
      const expiresAt = Date.now() + ttlMs;
      const entry = await this.retry(() => this.stores.batchLeases.get(key));
      const current = live(entry);
      if (current && current.owner !== this.owner && current.expiresAt > Date.now()) {
        return { heldForMs: current.expiresAt - Date.now() };
      }
      try {
        const revision = await this.retry(() =>
          entry && entry.operation === 'PUT'
            ? this.stores.batchLeases.update(key, this.encode(expiresAt), entry.revision)
            : this.stores.batchLeases.create(key, this.encode(expiresAt)),
        );
        this.held.add(key);
        return new BatchLease(this, key, revision, expiresAt, ttlMs);
      } catch (error) {
        // Changed since we read it (another sender, or our own write whose answer was lost): read again.
        if (!isWrongLastSequence(error)) throw error;
      }
    }
  }

  /** Extends a lease this process holds; the new revision. Throws when someone else took it over. */
  async rewrite(key: string, expiresAt: number, revision: number): Promise<number> {
    try {
      return await this.retry(() => this.stores.batchLeases.update(key, this.encode(expiresAt), revision));
    } catch (error) {
      if (!isWrongLastSequence(error)) throw error;
      // Our earlier write may have landed without its answer reaching us: continue from it if so.
      const entry = await this.retry(() => this.stores.batchLeases.get(key));
      if (live(entry)?.owner !== this.owner) throw error;
      return this.retry(() => this.stores.batchLeases.update(key, this.encode(expiresAt), entry!.revision));
    }
  }

  /**
   * Whether a sender holds the lease now, and when it was last taken, renewed or released (server
   * time; null when it never was): how the watchdog tells a batch in work from a forgotten one.
   */
  async inspect(batch: BatchRef): Promise<{ live: boolean; touchedAt: number | null }> {
    const entry = await this.stores.batchLeases.get(batchLeaseKey(batch.newsletterId, batch.round, batch.batchIndex));
    if (!entry) return { live: false, touchedAt: null };
    const live = entry.operation === 'PUT' && entry.json<LeaseRecord>().expiresAt > Date.now();
    return { live, touchedAt: entry.created.getTime() };
  }

  async remove(key: string, revision: number): Promise<void> {
    this.held.delete(key);
    // Retried through a leader election: a lease left behind holds the batch's redelivery off
    // until it expires (a whole ack wait, seen as a 50 s stall after the bucket's leader died),
    // although this process may take it again at once. A wrong last sequence: our earlier try
    // landed without its answer, or another sender took it over; either way not ours to delete.
    await this.retry(() => this.stores.batchLeases.delete(key, { previousSeq: revision })).catch(() => undefined);
  }

  private encode(expiresAt: number): string {
    const record: LeaseRecord = { owner: this.owner, expiresAt };
    return JSON.stringify(record);
  }

  private retry<T>(operation: () => Promise<T>): Promise<T> {
    return retryTransient(operation, { budgetMs: LEASE_RETRY_BUDGET_MS, maxDelayMs: 250 });
  }
}

function live(entry: KvEntry | null): LeaseRecord | undefined {
  return entry && entry.operation === 'PUT' ? entry.json<LeaseRecord>() : undefined;
}
