import { normalizeAddress, type InvalidRecipient, type Recipient, type SubmittedRecipient } from '@mailroom/contracts';

/** How many invalid addresses the split event lists by name; the rest are only counted. */
export const INVALID_SAMPLE_SIZE = 100;

/**
 * Turns a stream of submitted recipients into batches: addresses normalised, later duplicates
 * dropped, invalid ones set aside with their reason. Pure and synchronous; the caller publishes.
 */
export class RecipientBatcher {
  private readonly seen = new Set<string>();
  private current: Recipient[] = [];
  private batchCount = 0;
  private duplicateCount = 0;
  private invalidCount = 0;
  private suppressedCount = 0;
  private readonly invalid: InvalidRecipient[] = [];

  constructor(
    private readonly batchSize: number,
    /** Addresses on the suppression list are counted, not batched. */
    private readonly isSuppressed: (email: string) => boolean = () => false,
  ) {
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batchSize must be >= 1, got ${batchSize}`);
  }

  /**
   * Adds one recipient; returns a full batch when this one completed it. `onInvalid` hears about
   * every invalid address (the sample in the totals is capped).
   */
  add(
    submitted: SubmittedRecipient,
    onInvalid?: (invalid: InvalidRecipient) => void,
  ): { index: number; recipients: Recipient[] } | undefined {
    const checked = normalizeAddress(submitted.email);
    if (!checked.ok) {
      this.invalidCount += 1;
      const invalid = { address: String(submitted.email).slice(0, 1024), reason: checked.reason };
      if (this.invalid.length < INVALID_SAMPLE_SIZE) this.invalid.push(invalid);
      onInvalid?.(invalid);
      return undefined;
    }
    if (this.seen.has(checked.email)) {
      this.duplicateCount += 1;
      return undefined;
    }
    this.seen.add(checked.email);
    if (this.isSuppressed(checked.email)) {
      this.suppressedCount += 1;
      return undefined;
    }
    const name = typeof submitted.name === 'string' ? submitted.name.trim() : '';
    this.current.push(name ? { email: checked.email, name } : { email: checked.email });
    return this.current.length >= this.batchSize ? this.take() : undefined;
  }

  /** The last, partial batch (if any). */
  flush(): { index: number; recipients: Recipient[] } | undefined {
    return this.current.length > 0 ? this.take() : undefined;
  }

  get totals(): {
    total: number;
    batches: number;
    duplicates: number;
    invalid: number;
    suppressed: number;
    invalidSample: InvalidRecipient[];
  } {
    return {
      total: this.seen.size + this.invalidCount,
      batches: this.batchCount,
      duplicates: this.duplicateCount,
      invalid: this.invalidCount,
      suppressed: this.suppressedCount,
      invalidSample: [...this.invalid],
    };
  }

  private take(): { index: number; recipients: Recipient[] } {
    const batch = { index: this.batchCount, recipients: this.current };
    this.batchCount += 1;
    this.current = [];
    return batch;
  }
}
