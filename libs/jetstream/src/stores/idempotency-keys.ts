import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import type { Stores } from '../provisioning/provision-topology';
import { STORES_TOKEN } from './stores.token';
import { isWrongLastSequence } from '../storage/wrong-last-sequence';

interface IdempotencyRecord {
  readonly id: string;
  /** SHA-256 of the request body: the same key with another request is refused. */
  readonly fingerprint: string;
  readonly at: string;
}

/** What claiming an `Idempotency-Key` found. */
export type IdempotencyClaim =
  /** First use: the newsletter `id` is now bound to it; `release` if it could not be created after all. */
  | { readonly kind: 'new'; release(): Promise<void> }
  /** A repeat of the same request: the newsletter it created. */
  | { readonly kind: 'replay'; readonly id: string }
  /** The key was used with a different request. */
  | { readonly kind: 'conflict' }
  /** Claimed and released again between our two looks: the first request is still being decided. */
  | { readonly kind: 'busy' };

const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * `Idempotency-Key` → newsletter id (KV bucket `<ns>-idempotency`, kept 24 h, key = SHA-256 of
 * caller and key, value = JSON {id, fingerprint, at}). Claimed with an atomic create, so two
 * concurrent requests with one key create one newsletter. Keys are scoped by caller (API key
 * name): one caller cannot replay another's.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(@Inject(STORES_TOKEN) private readonly stores: Stores) {}

  async claim(claim: { readonly caller: string; readonly key: string; readonly request: unknown; readonly id: string }): Promise<IdempotencyClaim> {
    const kvKey = sha256(`${claim.caller}\n${claim.key}`);
    const fingerprint = sha256(JSON.stringify(claim.request));
    const record: IdempotencyRecord = { id: claim.id, fingerprint, at: new Date().toISOString() };
    try {
      await this.stores.idempotency.create(kvKey, JSON.stringify(record));
      return { kind: 'new', release: () => this.stores.idempotency.delete(kvKey) };
    } catch (error) {
      if (!isWrongLastSequence(error)) throw error;
    }
    const existing = (await this.stores.idempotency.get(kvKey))?.json<IdempotencyRecord>();
    if (!existing) return { kind: 'busy' };
    if (existing.fingerprint !== fingerprint) return { kind: 'conflict' };
    return { kind: 'replay', id: existing.id };
  }
}
