import { Injectable } from '@nestjs/common';
import { IdempotencyKeys } from '@mailroom/jetstream';
import { ConcurrentUpdateError, IdempotencyConflictError, ValidationFailedError } from '../http/api-errors';

export type Claim =
  | { readonly kind: 'new'; release(): Promise<void> }
  | { readonly kind: 'replay'; readonly id: string };

const HEADER_PATTERN = /^[\x21-\x7e]{1,255}$/;

/**
 * The `Idempotency-Key` header of a newsletter request: checked, then claimed for the new
 * newsletter's id (IdempotencyKeys keeps it 24 h, scoped by API key name). A repeat of the same
 * request replays the first newsletter; the same key with another request is refused.
 */
@Injectable()
export class IdempotencyClaims {
  constructor(private readonly keys: IdempotencyKeys) {}

  async claim(caller: string, key: string, request: unknown, id: string): Promise<Claim> {
    if (!HEADER_PATTERN.test(key)) {
      throw new ValidationFailedError('Idempotency-Key must be 1-255 visible ASCII characters', 'Idempotency-Key');
    }
    const claim = await this.keys.claim({ caller, key, request, id });
    switch (claim.kind) {
      case 'busy':
        throw new ConcurrentUpdateError('A request with this Idempotency-Key is being processed; retry', 'Idempotency-Key');
      case 'conflict':
        throw new IdempotencyConflictError('This Idempotency-Key was already used with a different request', 'Idempotency-Key');
      default:
        return claim;
    }
  }
}
