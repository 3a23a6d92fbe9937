import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { Stores } from '../provisioning/provision-topology';
import { STORES_TOKEN } from './stores.token';

interface LeaseRecord {
  readonly owner: string;
  /** Epoch ms; after it anyone may take the lease over. */
  readonly expiresAt: number;
}

const KEY_EXISTS = 10071;

/** A held lease: renew it while working, check it before each irreversible step, release it at the end. */
export class BatchLease {
  private expiresAt: number;
  private lost = false;

  constructor(
    private readonly leases: BatchLeases,
    readonly key: string,
    readonly owner: string,
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
      this.revision = await this.leases.write(this.key, { owner: this.owner, expiresAt }, this.revision);
      this.expiresAt = expiresAt;
    } catch {
      // Someone took it over, or NATS is away: either way stop relying on it.
      this.lost = true;
    }
  }

  async release(): Promise<void> {
    this.lost = true;
    await this.leases.remove(this.key, this.revision);
  }
}

/**
 * Mutual exclusion per batch across sender replicas (KV bucket `<ns>-batch-leases`, revision CAS).
 * JetStream may hand a batch to a second sender while the first still works on it (an ack wait
 * that ran out during a NATS outage, a restart of the server); the lease makes the second one wait
 * instead of sending the same emails in parallel. A crashed holder's lease expires after `ttlMs`.
 */
@Injectable()
export class BatchLeases {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  /** The lease, or how long until the current holder's expires. */
  async claim(key: string, ttlMs: number): Promise<BatchLease | { heldForMs: number }> {
    const owner = randomUUID();
    const expiresAt = Date.now() + ttlMs;
    const record: LeaseRecord = { owner, expiresAt };
    const entry = await this.stores.batchLeases.get(key);
    try {
      if (!entry || entry.operation !== 'PUT') {
        const revision = await this.stores.batchLeases.create(key, JSON.stringify(record));
        return new BatchLease(this, key, owner, revision, expiresAt, ttlMs);
      }
      const current = entry.json<LeaseRecord>();
      if (current.expiresAt > Date.now()) return { heldForMs: current.expiresAt - Date.now() };
      const revision = await this.write(key, record, entry.revision);
      return new BatchLease(this, key, owner, revision, expiresAt, ttlMs);
    } catch (error) {
      if ((error as { code?: unknown }).code === KEY_EXISTS) return { heldForMs: Math.min(ttlMs, 1_000) };
      throw error;
    }
  }

  async write(key: string, record: LeaseRecord, revision: number): Promise<number> {
    return this.stores.batchLeases.update(key, JSON.stringify(record), revision);
  }

  /**
   * Whether a sender holds the lease now, and when it was last taken, renewed or released (server
   * time; null when it never was): how the watchdog tells a batch in work from a forgotten one.
   */
  async inspect(key: string): Promise<{ live: boolean; touchedAt: number | null }> {
    const entry = await this.stores.batchLeases.get(key);
    if (!entry) return { live: false, touchedAt: null };
    const live = entry.operation === 'PUT' && entry.json<LeaseRecord>().expiresAt > Date.now();
    return { live, touchedAt: entry.created.getTime() };
  }

  async remove(key: string, revision: number): Promise<void> {
    await this.stores.batchLeases.delete(key, { previousSeq: revision }).catch(() => undefined);
  }
}
