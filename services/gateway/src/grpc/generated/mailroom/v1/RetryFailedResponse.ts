// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { NewsletterStatus as _mailroom_v1_NewsletterStatus, NewsletterStatus__Output as _mailroom_v1_NewsletterStatus__Output } from '../../mailroom/v1/NewsletterStatus';

export interface RetryFailedResponse {
  'id'?: (string);
  /**
   * The re-send round (r1, r2, ...).
   */
  'round'?: (string);
  /**
   * Always SENDING.
   */
  'status'?: (_mailroom_v1_NewsletterStatus);
}

export interface RetryFailedResponse__Output {
  'id'?: (string);
  /**
   * The re-send round (r1, r2, ...).
   */
  'round'?: (string);
  /**
   * Always SENDING.
   */
  'status'?: (_mailroom_v1_NewsletterStatus__Output);
}
