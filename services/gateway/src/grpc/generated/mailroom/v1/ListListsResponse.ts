// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { SubscriberList as _mailroom_v1_SubscriberList, SubscriberList__Output as _mailroom_v1_SubscriberList__Output } from '../../mailroom/v1/SubscriberList';

export interface ListListsResponse {
  'items'?: (_mailroom_v1_SubscriberList)[];
  /**
   * Absent on the last page.
   */
  'next'?: (string);
  '_next'?: "next";
}

export interface ListListsResponse__Output {
  'items': (_mailroom_v1_SubscriberList__Output)[];
  /**
   * Absent on the last page.
   */
  'next'?: (string);
  '_next'?: "next";
}
