// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Long } from '@grpc/proto-loader';

export interface ListFailuresRequest {
  'id'?: (string);
  /**
   * 1-1000; 0: 100.
   */
  'limit'?: (number);
  /**
   * `next` of the previous page; 0: from the start.
   */
  'after'?: (number | string | Long);
}

export interface ListFailuresRequest__Output {
  'id'?: (string);
  /**
   * 1-1000; 0: 100.
   */
  'limit'?: (number);
  /**
   * `next` of the previous page; 0: from the start.
   */
  'after'?: (number);
}
