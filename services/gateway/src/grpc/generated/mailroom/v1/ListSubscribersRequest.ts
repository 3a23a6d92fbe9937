// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface ListSubscribersRequest {
  'id'?: (string);
  /**
   * 1–1000; 0 means the default, 100.
   */
  'limit'?: (number);
  /**
   * `next` of the previous page; empty for the first.
   */
  'cursor'?: (string);
}

export interface ListSubscribersRequest__Output {
  'id'?: (string);
  /**
   * 1–1000; 0 means the default, 100.
   */
  'limit'?: (number);
  /**
   * `next` of the previous page; empty for the first.
   */
  'cursor'?: (string);
}
