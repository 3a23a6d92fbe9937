import { addressHash, ADDRESS_HASH_PREFIX_LENGTH, bounceAddress } from '@mailroom/contracts';
import type { FeedbackConfig } from '../config/feedback.config';
import { messageIdFor } from './compliance-headers';

/** What lets the feedback service trace one email back to its recipient. */
export interface FeedbackMarks {
  readonly messageId: string;
  /** The bounce address (VERP) when BOUNCE_DOMAIN is set; absent: the envelope sender is From. */
  readonly envelopeFrom?: string;
}

/**
 * The Message-ID and envelope sender of one recipient's email, both carrying the same signed token
 * (newsletter, batch, address-hash prefix): a DSN comes back to the bounce address, a complaint
 * quotes the Message-ID. Deterministic, so a resend after a crash carries the same marks.
 */
export function feedbackMarks(
  config: FeedbackConfig,
  recipient: { readonly newsletterId: string; readonly batchIndex: number; readonly email: string },
  from: string,
): FeedbackMarks {
  const { newsletterId, batchIndex, email } = recipient;
  const token = config.tokens.sign({ newsletterId, batchIndex, addressHashPrefix: addressHash(email).slice(0, ADDRESS_HASH_PREFIX_LENGTH) });
  return {
    messageId: messageIdFor(newsletterId, email, from, token),
    ...(token !== null && config.bounceDomain !== undefined ? { envelopeFrom: bounceAddress(token, config.bounceDomain) } : {}),
  };
}
