import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { suppressionKey as mailboxSuppressionHash, type SuppressionEntry } from '@mailroom/contracts';
import { JetStreamConnection } from '../connection/jetstream-connection';
import type { Stores } from '../provisioning/provision-topology';
import { LiveKeySet } from '../storage/live-key-set';
import { pageStream, type Page } from '../storage/stream-pager';
import { kvPageRequest, kvPageValue, kvStreamName } from './kv-pages';
import { retryWrite } from './retry-write';
import { STORES_TOKEN } from './stores.token';
import { isWrongLastSequence } from '../storage/wrong-last-sequence';

/*
 * The suppression lists: KV bucket `<ns>-suppressions`, value = JSON SuppressionEntry; never
 * expires (an unsubscribe is forever). One global list (every tenant's sends skip its addresses)
 * and one list per tenant (only that tenant's sends skip them), in the same bucket, told apart by
 * the key (`suppressionKey`, the one key function; its address part is the hash of the mailbox key,
 * local part without case, from @mailroom/contracts; `upgradeKeys` moves keys written before that):
 *   global:  <address key>                  (the keys stored before tenants: they stay global)
 *   tenant:  t.<tenant>.<address key>
 * A recipient of a newsletter is suppressed when it is on the global list or its tenant's.
 * Two views: SuppressionList holds every key in memory to check each recipient of a batch
 * (splitter, sender); SuppressionRecords reads and writes one address, or one page, at a time
 * (gateway, tracker). Addresses must be normalised (`normalizeAddress`), as the splitter emits them.
 */

/** Which list: the global one, or one tenant's. */
export type SuppressionScope = { readonly kind: 'global' } | { readonly kind: 'tenant'; readonly tenant: string };

export const GLOBAL_SUPPRESSIONS: SuppressionScope = { kind: 'global' };

export function tenantSuppressions(tenant: string): SuppressionScope {
  return { kind: 'tenant', tenant };
}

/**
 * The address part of a key: how an address is canonicalised and hashed (addresses never appear
 * in keys). Kept apart from the scope prefix so a change of canonicalisation touches only this.
 */
function suppressionAddressKey(email: string): string {
  return mailboxSuppressionHash(email);
}

/** The scope part of a key: nothing for the global list (so the keys stored before tenants are it), `t.<tenant>.` for a tenant's. */
function suppressionScopePrefix(scope: SuppressionScope): string {
  return scope.kind === 'global' ? '' : `t.${scope.tenant}.`;
}

/** The list a stored key belongs to (its `t.<tenant>.` prefix, or none: global). */
function scopeOfKey(key: string): SuppressionScope {
  const last = key.lastIndexOf('.');
  return key.startsWith('t.') && last > 2 ? tenantSuppressions(key.slice(2, last)) : GLOBAL_SUPPRESSIONS;
}

/** THE key of an address on a list; every read and write of the bucket goes through it. */
export function suppressionKey(email: string, scope: SuppressionScope): string {
  return suppressionScopePrefix(scope) + suppressionAddressKey(email);
}

/** KV key filter of one list's entries (an address key is one token, without dots). */
export function suppressionKeyFilter(scope: SuppressionScope): string {
  return `${suppressionScopePrefix(scope)}*`;
}

/** The lists a recipient of `tenant`'s newsletter is checked against, global first. */
export function suppressionScopesFor(tenant: string): readonly SuppressionScope[] {
  return [GLOBAL_SUPPRESSIONS, tenantSuppressions(tenant)];
}

/** JetStream's "wrong last sequence": the key exists (create), or changed since it was read (CAS). */

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

  /**
   * Whether a recipient of `tenant`'s newsletter is suppressed: on the global list or the
   * tenant's (`tenantOf(newsletter)`). `email` must be normalised (as the splitter emits it).
   */
  has(email: string, tenant: string): boolean {
    return this.on(email, tenant) !== null;
  }

  /** Which list suppresses the address for `tenant` (global first), or null. */
  on(email: string, tenant: string): SuppressionScope | null {
    const keys = this.keys;
    if (!keys) throw new Error('SuppressionList used before it loaded');
    // Called per recipient by the splitter and the sender: hash the address once, not once per list.
    const address = suppressionAddressKey(email);
    return suppressionScopesFor(tenant).find((scope) => keys.has(suppressionScopePrefix(scope) + address)) ?? null;
  }

  get size(): number {
    return this.keys?.size ?? 0;
  }

  /** Adds an address to a list (retried through a short outage); an address already on it keeps its first reason. */
  async add(entry: SuppressionEntry, scope: SuppressionScope): Promise<void> {
    await retryWrite(async () => {
      try {
        await this.stores.suppressions.create(suppressionKey(entry.email, scope), JSON.stringify(entry));
      } catch (error) {
        if (!isWrongLastSequence(error)) throw error;
      }
    });
  }
}

/** The last change of an address on the list: suppressed (with its entry), or lifted (removed, server time). */
export type SuppressionChange = { readonly kind: 'suppressed'; readonly entry: SuppressionEntry } | { readonly kind: 'lifted'; readonly at: Date };

/** The suppression lists one address, or one page, at a time. Failures of NATS are thrown as they come. */
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
  async add(entry: SuppressionEntry, scope: SuppressionScope): Promise<{ readonly created: boolean; readonly entry: SuppressionEntry } | null> {
    try {
      await this.stores.suppressions.create(suppressionKey(entry.email, scope), JSON.stringify(entry));
      return { created: true, entry };
    } catch (error) {
      if (!isWrongLastSequence(error)) throw error;
    }
    const existing = await this.get(entry.email, scope);
    return existing ? { created: false, entry: existing } : null;
  }

  /**
   * Erasure (GDPR Art. 17): the address's entry on the list becomes `entry`, an erased one (no
   * readable address, `erased: true`), whatever was there; the entry it replaced is returned (with
   * history 1, the old value is gone from the bucket once replaced).
   */
  async erase(email: string, scope: SuppressionScope, entry: SuppressionEntry): Promise<SuppressionEntry | null> {
    if (entry.email !== '' || !entry.erased) throw new Error('An erased suppression entry holds no address');
    const key = suppressionKey(email, scope);
    const before = await this.stores.suppressions.get(key);
    await this.stores.suppressions.put(key, JSON.stringify(entry));
    return before && before.operation === 'PUT' ? before.json<SuppressionEntry>() : null;
  }

  async get(email: string, scope: SuppressionScope): Promise<SuppressionEntry | null> {
    const stored = await this.stores.suppressions.get(suppressionKey(email, scope));
    return stored && stored.operation === 'PUT' ? stored.json<SuppressionEntry>() : null;
  }

  /** The list that suppresses the address for a newsletter of `tenant` (global first), with its entry; null when none does. */
  async suppressing(email: string, tenant: string): Promise<{ readonly scope: SuppressionScope; readonly entry: SuppressionEntry } | null> {
    for (const scope of suppressionScopesFor(tenant)) {
      const entry = await this.get(email, scope);
      if (entry) return { scope, entry };
    }
    return null;
  }

  /** The address's last change on one list, or null when it was never on it (or the change is forgotten). */
  async lastChange(email: string, scope: SuppressionScope): Promise<SuppressionChange | null> {
    const stored = await this.stores.suppressions.get(suppressionKey(email, scope));
    if (!stored) return null;
    return stored.operation === 'PUT' ? { kind: 'suppressed', entry: stored.json<SuppressionEntry>() } : { kind: 'lifted', at: stored.created };
  }

  /**
   * Removes an address: `absent` when it was not suppressed, `changed` when its entry changed
   * between our read and our delete (a suppression made meanwhile is not removed unseen).
   */
  async remove(email: string, scope: SuppressionScope): Promise<'removed' | 'absent' | 'changed'> {
    const key = suppressionKey(email, scope);
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
        // An erased entry has no address to derive a key from; it was written under its mailbox key.
        if (entry.erased) continue;
        const wanted = suppressionKey(entry.email, scopeOfKey(key));
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
  /** One page of one list in the order entries were last written; `after` is the previous page's `next`. */
  async page(scope: SuppressionScope, after: number, limit: number): Promise<Page<SuppressionEntry>> {
    const bucket = this.nats.topology.buckets.suppressions;
    // Nothing after `after`: answer at once rather than wait out the pager's fetch expiry.
    const { state } = await this.nats.jsm.streams.info(kvStreamName(bucket));
    if (state.messages === 0 || after >= state.last_seq) return { items: [], next: null };
    return pageStream(this.nats.js, kvPageRequest(bucket, suppressionKeyFilter(scope), after, limit), (message) => kvPageValue<SuppressionEntry>(message));
  }
}
