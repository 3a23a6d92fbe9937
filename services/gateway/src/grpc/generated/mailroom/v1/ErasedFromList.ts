// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Long } from '@grpc/proto-loader';

export interface ErasedFromList {
  'listId'?: (string);
  'listName'?: (string);
  /**
   * Subscribers the list has left.
   */
  'subscribers'?: (number | string | Long);
}

export interface ErasedFromList__Output {
  'listId'?: (string);
  'listName'?: (string);
  /**
   * Subscribers the list has left.
   */
  'subscribers'?: (number);
}
