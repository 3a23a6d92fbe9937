// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface DeliveryOutcome {
  'newsletterId'?: (string);
  /**
   * accepted (the provider took it), deferred (to be retried), failed, suppressed (skipped).
   */
  'state'?: (string);
  'at'?: (string);
  'attempts'?: (number);
  /**
   * The SMTP reply code of the last attempt; absent when the server gave none.
   */
  'code'?: (number);
  'reason'?: (string);
  /**
   * When a bounce after acceptance / a spam complaint was reported; absent when none was.
   */
  'bouncedAt'?: (string);
  'complainedAt'?: (string);
  /**
   * When the recipient first opened this newsletter (its pixel loaded by a reader, not a mail
   * privacy proxy) / first followed one of its tracked links; absent when untracked or never.
   */
  'openedAt'?: (string);
  'clickedAt'?: (string);
  '_code'?: "code";
  '_reason'?: "reason";
  '_bouncedAt'?: "bouncedAt";
  '_complainedAt'?: "complainedAt";
  '_openedAt'?: "openedAt";
  '_clickedAt'?: "clickedAt";
}

export interface DeliveryOutcome__Output {
  'newsletterId'?: (string);
  /**
   * accepted (the provider took it), deferred (to be retried), failed, suppressed (skipped).
   */
  'state'?: (string);
  'at'?: (string);
  'attempts'?: (number);
  /**
   * The SMTP reply code of the last attempt; absent when the server gave none.
   */
  'code'?: (number);
  'reason'?: (string);
  /**
   * When a bounce after acceptance / a spam complaint was reported; absent when none was.
   */
  'bouncedAt'?: (string);
  'complainedAt'?: (string);
  /**
   * When the recipient first opened this newsletter (its pixel loaded by a reader, not a mail
   * privacy proxy) / first followed one of its tracked links; absent when untracked or never.
   */
  'openedAt'?: (string);
  'clickedAt'?: (string);
  '_code'?: "code";
  '_reason'?: "reason";
  '_bouncedAt'?: "bouncedAt";
  '_complainedAt'?: "complainedAt";
  '_openedAt'?: "openedAt";
  '_clickedAt'?: "clickedAt";
}
