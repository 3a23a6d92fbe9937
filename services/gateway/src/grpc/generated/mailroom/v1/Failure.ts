// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface Failure {
  'email'?: (string);
  /**
   * The batch it was sent in; -1 for an address refused before batching (invalid).
   */
  'batchIndex'?: (number);
  /**
   * SMTP reply code; 0 when there was none.
   */
  'code'?: (number);
  'reason'?: (string);
  /**
   * true: never retried (5xx, invalid address).
   */
  'permanent'?: (boolean);
  'attempts'?: (number);
  'at'?: (string);
}

export interface Failure__Output {
  'email'?: (string);
  /**
   * The batch it was sent in; -1 for an address refused before batching (invalid).
   */
  'batchIndex'?: (number);
  /**
   * SMTP reply code; 0 when there was none.
   */
  'code'?: (number);
  'reason'?: (string);
  /**
   * true: never retried (5xx, invalid address).
   */
  'permanent'?: (boolean);
  'attempts'?: (number);
  'at'?: (string);
}
