// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { NewsletterStatus as _mailroom_v1_NewsletterStatus, NewsletterStatus__Output as _mailroom_v1_NewsletterStatus__Output } from '../../mailroom/v1/NewsletterStatus';

export interface SendNewsletterResponse {
  'id'?: (string);
  /**
   * QUEUED, or SCHEDULED with a send_at.
   */
  'status'?: (_mailroom_v1_NewsletterStatus);
  /**
   * true: an earlier request with the same idempotency key created this newsletter.
   */
  'replayed'?: (boolean);
}

export interface SendNewsletterResponse__Output {
  'id'?: (string);
  /**
   * QUEUED, or SCHEDULED with a send_at.
   */
  'status'?: (_mailroom_v1_NewsletterStatus__Output);
  /**
   * true: an earlier request with the same idempotency key created this newsletter.
   */
  'replayed'?: (boolean);
}
