import { RateLimitOptionsError } from './rate-limit.errors';

/** A rate, a size or a duration: a finite number above zero. */
export function assertPositive(name: string, value: number): void {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RateLimitOptionsError(`${name} must be a finite number above 0, got ${String(value)}`);
  }
}

export function assertPositiveInteger(name: string, value: number): void {
  if (!Number.isInteger(value) || value <= 0) {
    throw new RateLimitOptionsError(`${name} must be a whole number above 0, got ${String(value)}`);
  }
}

/** A token request: whole tokens, and never more than can ever be available at once. */
export function assertTokenCount(count: number, maxTokens: number): void {
  if (!Number.isInteger(count) || count <= 0) {
    throw new RangeError(`A token count must be a whole number above 0, got ${String(count)}`);
  }
  if (count > maxTokens) {
    // Waiting would never end: the bucket cannot hold that many tokens.
    throw new RangeError(`Cannot take ${count} tokens at once: at most ${maxTokens} are ever available`);
  }
}
