// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Long } from '@grpc/proto-loader';

export interface DeleteListResponse {
  'id'?: (string);
  'name'?: (string);
  /**
   * Subscribers the list held.
   */
  'subscribers'?: (number | string | Long);
  /**
   * Stored parts removed.
   */
  'parts'?: (number);
}

export interface DeleteListResponse__Output {
  'id'?: (string);
  'name'?: (string);
  /**
   * Subscribers the list held.
   */
  'subscribers'?: (number);
  /**
   * Stored parts removed.
   */
  'parts'?: (number);
}
