import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { leaderLeaseKey } from '@mailroom/contracts';
import type { Stores } from '../provisioning/provision-topology';
import { STORES_TOKEN } from './stores.token';
import { isWrongLastSequence } from '../storage/wrong-last-sequence';

interface LeaderRecord {
  readonly owner: string;
  /** Epoch ms (the holder's clock); after it any replica may take the lease over. */
  readonly expiresAt: number;
}

export interface LeaderElectionOptions {
  /** Who elects a leader among its replicas (`tracker`): the lease key is `leader.<role>`. */
  readonly role: string;
  /**
   * The leader renews its lease this often and the lease lasts twice as long; followers look
   * every half of it. A leader that crashed is replaced within about 2.5 × `renewMs`.
   */
  readonly renewMs: number;
  /** Called on every change, after the change (true: this replica now leads). */
  readonly onChange: (leading: boolean) => void;
}

/**
 * One replica's part in electing a leader for its role: a lease record in the `batchLeases`
 * bucket, taken with revision compare-and-set (only one replica can win a given revision),
 * renewed by the holder, taken over by anyone once it has expired. The leader steps down by
 * itself when it could not renew for most of the lease, before anyone else may take over.
 */
export class LeaderElection {
  readonly owner = randomUUID();
  private readonly logger = new Logger(LeaderElection.name);
  private readonly key: string;
  private readonly ttlMs: number;
  private leading = false;
  private revision = 0;
  private expiresAt = 0;
  private renewedAt = 0;
  private timer?: NodeJS.Timeout;
  private tick?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly stores: Stores,
    private readonly options: LeaderElectionOptions,
  ) {
    if (!(options.renewMs >= 10)) throw new RangeError(`renewMs must be at least 10, got ${options.renewMs}`);
    this.key = leaderLeaseKey(options.role);
    this.ttlMs = options.renewMs * 2;
  }

  get isLeader(): boolean {
    return this.leading;
  }

  start(): void {
    this.schedule(0);
  }

  /** Stops campaigning; a leader hands its lease back, so another replica takes over at its next look. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.tick;
    if (!this.leading) return;
    const revision = this.revision;
    this.change(false);
    await this.stores.batchLeases.delete(this.key, { previousSeq: revision }).catch(() => undefined);
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.tick = this.step().finally(() => this.schedule(this.options.renewMs / 2));
    }, delayMs);
    this.timer.unref();
  }

  private async step(): Promise<void> {
    try {
      if (this.leading) await this.renew();
      else await this.campaign();
    } catch (error) {
      // NATS away or slow: a follower stays one; a leader keeps its lease until it runs short.
      if (this.leading && Date.now() >= this.expiresAt - this.options.renewMs / 2) {
        this.logger.warn({ role: this.options.role, error: (error as Error).message }, 'Leader lease could not be renewed; stepping down');
        this.change(false);
      }
    }
  }

  private async renew(): Promise<void> {
    if (Date.now() - this.renewedAt < this.options.renewMs * 0.9) return;
    const expiresAt = Date.now() + this.ttlMs;
    try {
      // A renewal that waits the default 10 s request timeout on a dead server would outlive the lease.
      this.revision = await this.stores.batchLeases.put(this.key, this.record(expiresAt), {
        previousSeq: this.revision,
        timeout: this.options.renewMs,
      });
      this.expiresAt = expiresAt;
      this.renewedAt = Date.now();
    } catch (error) {
      if (!isWrongLastSequence(error)) throw error;
      // A renewal that timed out may still have been stored: then the newer revision is ours.
      const entry = await this.stores.batchLeases.get(this.key);
      if (entry?.operation === 'PUT' && entry.json<LeaderRecord>().owner === this.owner) {
        this.revision = entry.revision;
        return;
      }
      this.logger.warn({ role: this.options.role }, 'Leader lease taken over by another replica');
      this.change(false);
    }
  }

  private async campaign(): Promise<void> {
    const entry = await this.stores.batchLeases.get(this.key);
    const expiresAt = Date.now() + this.ttlMs;
    try {
      if (!entry || entry.operation !== 'PUT') {
        this.revision = await this.stores.batchLeases.create(this.key, this.record(expiresAt));
      } else if (entry.json<LeaderRecord>().expiresAt <= Date.now() || entry.json<LeaderRecord>().owner === this.owner) {
        // Expired, or ours: a create whose answer was lost (a leader election) still stored it.
        this.revision = await this.stores.batchLeases.update(this.key, this.record(expiresAt), entry.revision);
      } else {
        return;
      }
    } catch (error) {
      // Another replica won this revision.
      if (isWrongLastSequence(error)) return;
      throw error;
    }
    this.expiresAt = expiresAt;
    this.renewedAt = Date.now();
    this.change(true);
  }

  private record(expiresAt: number): string {
    return JSON.stringify({ owner: this.owner, expiresAt } satisfies LeaderRecord);
  }

  private change(leading: boolean): void {
    if (this.leading === leading) return;
    this.leading = leading;
    this.logger.log({ role: this.options.role, owner: this.owner }, leading ? 'Leadership taken' : 'Leadership given up');
    this.options.onChange(leading);
  }
}

/**
 * Leader election per role over the `batchLeases` bucket (see LeaderElection). Several replicas
 * of a service run the same code; what must happen once for the whole namespace (namespace-wide
 * gauges, the watchdog) runs on the leader only.
 */
@Injectable()
export class Leadership {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  /** A campaign for `role`; call `start()` to take part and `stop()` to leave (handing the lease back). */
  elect(options: LeaderElectionOptions): LeaderElection {
    return new LeaderElection(this.stores, options);
  }
}
