import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { suppressionKey, type SuppressionEntry } from '@mailroom/contracts';
import { JetStreamConnection } from '../connection/jetstream-connection';
import type { Stores } from '../provisioning/provision-topology';
import { LiveKeySet } from '../storage/live-key-set';
import { pageStream, type Page } from '../storage/stream-pager';
import { kvPageRequest, kvPageValue, kvStreamName } from './kv-pages';
import { retryWrite } from './retry-write';
import { STORES_TOKEN } from './stores.token';

/*
 * The suppression list: KV bucket `<ns>-suppressions`, key = `suppressionKey` of the normalised
 * address (the hash of its mailbox key: the local part compared without regard to case), value = JSON SuppressionEntry; never expires (an unsubscribe is forever).
 * Two views of it: SuppressionList holds every key in memory to check each recipient of a batch
 * (splitter, sender); SuppressionRecords reads and writes one address, or one page, at a time
 * (gateway, tracker). Addresses must be normalised (`normalizeAddress`), as the splitter emits them.
 */

/** JetStream's "wrong last sequence": the key exists (create), or changed since it was read (CAS). */
const WRONG_LAST_SEQUENCE = 10071;
const isWrongLastSequence = (error: unknown) => (error as { code?: unknown } | undefined)?.code === WRONG_LAST_SEQUENCE;

/**
 * The suppression list held in memory and followed live, so checking every recipient of a large
 * list costs no round trip. Add it to the providers of a service that checks suppressions; it
 * loads at module init.
 */
@Injectable()
export class SuppressionList implements OnModuleInit, OnApplicationShutdown {
  private keys?: LiveKeySet;

  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  async onModuleInit(): Promise<void> {
    this.keys = await LiveKeySet.open(this.stores.suppressions);
  }

  onApplicationShutdown(): void {
    this.keys?.close();
  }

  /** `email` must be normalised (as the splitter emits it). */
  has(email: string): boolean {
    if (!this.keys) throw new Error('SuppressionList used before it loaded');
    return this.keys.has(suppressionKey(email));
  }

  get size(): number {
    return this.keys?.size ?? 0;
  }

  /** Adds an address (retried through a short outage); an address already suppressed keeps its first reason. */
  async add(entry: SuppressionEntry): Promise<void> {
    await retryWrite(async () => {
      try {
        await this.stores.suppressions.create(suppressionKey(entry.email), JSON.stringify(entry));
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
    });
  }
}

/** The last change of an address on the list: suppressed (with its entry), or lifted (removed, server time). */
export type SuppressionChange = { readonly kind: 'suppressed'; readonly entry: SuppressionEntry } | { readonly kind: 'lifted'; readonly at: Date };

/** The suppression list one address, or one page, at a time. Failures of NATS are thrown as they come. */
@Injectable()
export class SuppressionRecords {
  constructor(
    @Inject(STORES_TOKEN) private readonly stores: Stores,
    private readonly nats: JetStreamConnection,
  ) {}

  /**
   * Adds an address; one already suppressed keeps its first entry (its reason and date), which is
   * returned. Null when it was removed again between the two looks (not suppressed: try again).
   */
  async add(entry: SuppressionEntry): Promise<{ readonly created: boolean; readonly entry: SuppressionEntry } | null> {
    try {
      await this.stores.suppressions.create(suppressionKey(entry.email), JSON.stringify(entry));
      return { created: true, entry };
    } catch (error) {
      if (!isWrongLastSequence(error)) throw error;
    }
    const existing = await this.get(entry.email);
    return existing ? { created: false, entry: existing } : null;
  }

  async get(email: string): Promise<SuppressionEntry | null> {
    const stored = await this.stores.suppressions.get(suppressionKey(email));
    return stored && stored.operation === 'PUT' ? stored.json<SuppressionEntry>() : null;
  }

  /** The address's last change, or null when it was never on the list (or the change is forgotten). */
  async lastChange(email: string): Promise<SuppressionChange | null> {
    const stored = await this.stores.suppressions.get(suppressionKey(email));
    if (!stored) return null;
    return stored.operation === 'PUT' ? { kind: 'suppressed', entry: stored.json<SuppressionEntry>() } : { kind: 'lifted', at: stored.created };
  }

  /**
   * Removes an address: `absent` when it was not suppressed, `changed` when its entry changed
   * between our read and our delete (a suppression made meanwhile is not removed unseen).
   */
  async remove(email: string): Promise<'removed' | 'absent' | 'changed'> {
    const key = suppressionKey(email);
    const stored = await this.stores.suppressions.get(key);
    if (!stored || stored.operation !== 'PUT') return 'absent';
    try {
      await this.stores.suppressions.delete(key, { previousSeq: stored.revision });
    } catch (error) {
      if (isWrongLastSequence(error)) return 'changed';
      throw error;
    }
    return 'removed';
  }

  /**
   * Migrates keys stored before mailbox keys (`addressHash` of the address as written, local part
   * in its case) to `suppressionKey`: each entry whose key is not its address's suppression key
   * is written under the right key (an entry already there keeps its first reason) and removed
   * from the old one (unless it changed meanwhile). Idempotent and safe to run from several
   * processes at once; reads the bucket once through (its stream, a page at a time).
   */
  async upgradeKeys(pageSize = 1000): Promise<{ readonly scanned: number; readonly upgraded: number }> {
    const bucket = this.nats.topology.buckets.suppressions;
    const prefix = `$KV.${bucket}.`;
    let scanned = 0;
    let upgraded = 0;
    let after = 0;
    for (;;) {
      const { state } = await this.nats.jsm.streams.info(kvStreamName(bucket));
      if (state.messages === 0 || after >= state.last_seq) break;
      const page = await pageStream(this.nats.js, kvPageRequest(bucket, '>', after, pageSize), (message) => {
        const entry = kvPageValue<SuppressionEntry>(message);
        return entry ? { key: message.subject.slice(prefix.length), seq: message.seq, entry } : undefined;
      });
      for (const { key, seq, entry } of page.items) {
        scanned += 1;
        const wanted = suppressionKey(entry.email);
        if (key === wanted) continue;
        try {
          await this.stores.suppressions.create(wanted, JSON.stringify(entry));
        } catch (error) {
          if (!isWrongLastSequence(error)) throw error;
        }
        try {
          await this.stores.suppressions.delete(key, { previousSeq: seq });
        } catch (error) {
          if (!isWrongLastSequence(error)) throw error;
        }
        upgraded += 1;
      }
      if (page.next === null) break;
      after = page.next;
    }
    return { scanned, upgraded };
  }

  /** One page in the order entries were last written; `after` is the previous page's `next`. */
  async page(after: number, limit: number): Promise<Page<SuppressionEntry>> {
    const bucket = this.nats.topology.buckets.suppressions;
    // Nothing after `after`: answer at once rather than wait out the pager's fetch expiry.
    const { state } = await this.nats.jsm.streams.info(kvStreamName(bucket));
    if (state.messages === 0 || after >= state.last_seq) return { items: [], next: null };
    return pageStream(this.nats.js, kvPageRequest(bucket, '>', after, limit), (message) => kvPageValue<SuppressionEntry>(message));
  }
}
