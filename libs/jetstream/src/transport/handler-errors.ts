/**
 * The two ways a handler says "this did not work". Anything else a handler throws is treated as
 * retryable: a bug or an outage should not silently drop work.
 */

/** Try again later. `delayMs` overrides the transport's backoff for this redelivery. */
export class RetryableError extends Error {
  override readonly name: string = 'RetryableError';

  constructor(
    message: string,
    readonly options: { readonly delayMs?: number; readonly cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
  }
}

/** Retrying cannot help (bad data, a permanent refusal): the message is terminated. */
export class PermanentError extends Error {
  override readonly name: string = 'PermanentError';

  constructor(message: string, options: { readonly cause?: unknown } = {}) {
    super(message, { cause: options.cause });
  }
}

/** The payload failed its contract's validation. */
export class InvalidPayloadError extends PermanentError {
  override readonly name: string = 'InvalidPayloadError';
}
