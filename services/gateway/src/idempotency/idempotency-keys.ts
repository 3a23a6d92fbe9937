import { Inject, Injectable } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { STORES, type Stores } from '@mailroom/jetstream';
import { ConcurrentUpdateError, IdempotencyConflictError, ValidationFailedError } from '../http/api-errors';

interface IdempotencyRecord {
  readonly id: string;
  /** SHA-256 of the request body: the same key with another request is refused. */
  readonly fingerprint: string;
  readonly at: string;
}

export type Claim =
  | { readonly kind: 'new'; release(): Promise<void> }
  | { readonly kind: 'replay'; readonly id: string };

const KEY_EXISTS = 10071;
const HEADER_PATTERN = /^[\x21-\x7e]{1,255}$/;
const sha256 = (value: string) => createHash('sha256').update(value).digest('base64url');

/**
 * `Idempotency-Key` → newsletter id (KV bucket `<ns>-idempotency`, kept 24 h). Claimed with an
 * atomic create, so two concurrent requests with one key create one newsletter. Keys are scoped
 * by API key name: one caller cannot replay another's.
 */
@Injectable()
export class IdempotencyKeys {
  constructor(@Inject(STORES) private readonly stores: Stores) {}

  async claim(caller: string, key: string, request: unknown, id: string): Promise<Claim> {
    if (!HEADER_PATTERN.test(key)) {
      throw new ValidationFailedError('Idempotency-Key must be 1-255 visible ASCII characters', 'Idempotency-Key');
    }
    const kvKey = sha256(`${caller}\n${key}`);
    const fingerprint = sha256(JSON.stringify(request));
    const record: IdempotencyRecord = { id, fingerprint, at: new Date().toISOString() };
    try {
      await this.stores.idempotency.create(kvKey, JSON.stringify(record));
      return { kind: 'new', release: () => this.stores.idempotency.delete(kvKey) };
    } catch (error) {
      if ((error as { code?: unknown }).code !== KEY_EXISTS) throw error;
    }
    const existing = (await this.stores.idempotency.get(kvKey))?.json<IdempotencyRecord>();
    if (!existing) throw new ConcurrentUpdateError('A request with this Idempotency-Key is being processed; retry', 'Idempotency-Key');
    if (existing.fingerprint !== fingerprint) {
      throw new IdempotencyConflictError('This Idempotency-Key was already used with a different request', 'Idempotency-Key');
    }
    return { kind: 'replay', id: existing.id };
  }
}
