import { AddressKeySet } from '../addresses/address-key-set';
import { mailboxKey } from '../addresses/mailbox-key';
import { normalizeAddress } from '../addresses/normalize-address';
import type { InvalidRecipient } from '../events/newsletter-split.event';
import type { Recipient } from '../events/recipient';
import { checkRecipientVars } from '../events/recipient-vars';
import type { SubmittedRecipient } from '../newsletters/newsletter-content';

/** How many invalid addresses the split event lists by name; the rest are only counted. */
export const INVALID_SAMPLE_SIZE = 100;

/**
 * A batch is also closed once its recipients take this many bytes as JSON: with merge fields a
 * full batch of 1000 could pass NATS's 1 MB message limit. Leaves room for the event around them.
 */
export const MAX_BATCH_RECIPIENT_BYTES = 768 * 1024;

/**
 * Turns a stream of submitted recipients into batches: addresses normalised, later duplicates
 * dropped, invalid ones set aside with their reason, merge fields (`vars`) passed on. Pure and
 * synchronous; the caller publishes. Memory stays bounded for a million recipients and more: the
 * de-duplication set keeps a 64-bit hash per address (AddressKeySet), not the address. Shared by
 * the splitter, which cuts the batches, and the tracker's watchdog, which must read a list exactly
 * as the splitter did to rebuild a lost batch.
 */
export class RecipientBatcher {
  private readonly seen = new AddressKeySet();
  private current: Recipient[] = [];
  private currentBytes = 0;
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
    const badVars = submitted.vars === undefined ? null : checkRecipientVars(submitted.vars);
    if (!checked.ok || badVars) {
      this.invalidCount += 1;
      const reason = checked.ok ? `invalid vars: ${badVars}` : checked.reason;
      const invalid = { address: String(submitted.email).slice(0, 1024), reason };
      if (this.invalid.length < INVALID_SAMPLE_SIZE) this.invalid.push(invalid);
      onInvalid?.(invalid);
      return undefined;
    }
    // One mailbox once, however its address is written (the first spelling is the one sent to).
    if (!this.seen.add(mailboxKey(checked.email))) {
      this.duplicateCount += 1;
      return undefined;
    }
    if (this.isSuppressed(checked.email)) {
      this.suppressedCount += 1;
      return undefined;
    }
    const name = typeof submitted.name === 'string' ? submitted.name.trim() : '';
    const hasVars = submitted.vars !== undefined && Object.keys(submitted.vars).length > 0;
    const recipient: Recipient = { email: checked.email, ...(name ? { name } : {}), ...(hasVars ? { vars: { ...submitted.vars } } : {}) };
    // The exact size only when it can be large (merge fields); a bare address and name are small.
    const bytes = hasVars ? Buffer.byteLength(JSON.stringify(recipient)) + 1 : checked.email.length + name.length * 3 + 32;
    const full = this.current.length > 0 && this.currentBytes + bytes > MAX_BATCH_RECIPIENT_BYTES ? this.take() : undefined;
    this.current.push(recipient);
    this.currentBytes += bytes;
    if (full) return full;
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
    this.currentBytes = 0;
    return batch;
  }
}
