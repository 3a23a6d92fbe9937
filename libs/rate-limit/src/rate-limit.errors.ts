/** Options that cannot give the promised guarantee (a wiring error: fail at boot). */
export class RateLimitOptionsError extends Error {
  override readonly name: string = 'RateLimitOptionsError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/**
 * The shared record changed since it was read: someone else leased first. Part of the
 * `LeaseStore` contract; the lease protocol re-reads and tries again.
 */
export class CasConflictError extends Error {
  override readonly name: string = 'CasConflictError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/** The shared record holds something that is not a bucket state. Deleting the key resets it. */
export class InvalidBucketStateError extends Error {
  override readonly name: string = 'InvalidBucketStateError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}
