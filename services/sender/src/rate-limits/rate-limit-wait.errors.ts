/** A wait for a rate-limit token (or a free connection) took longer than its bound. */
export class TokenWaitTimeoutError extends Error {
  override readonly name: string = 'TokenWaitTimeoutError';

  constructor(
    readonly limitMs: number,
    options: { readonly cause?: unknown } = {},
  ) {
    super(`No rate-limit token within ${limitMs} ms`, { cause: options.cause });
  }
}

/** The sender is shutting down: no new SMTP transaction starts, held batches go back to the queue. */
export class SenderStoppingError extends Error {
  override readonly name: string = 'SenderStoppingError';

  constructor(options: { readonly cause?: unknown } = {}) {
    super('The sender is shutting down', { cause: options.cause });
  }
}
