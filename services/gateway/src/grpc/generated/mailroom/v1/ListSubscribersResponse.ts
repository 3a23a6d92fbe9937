// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Subscriber as _mailroom_v1_Subscriber, Subscriber__Output as _mailroom_v1_Subscriber__Output } from '../../mailroom/v1/Subscriber';

export interface ListSubscribersResponse {
  'items'?: (_mailroom_v1_Subscriber)[];
  /**
   * Absent on the last page.
   */
  'next'?: (string);
  '_next'?: "next";
}

export interface ListSubscribersResponse__Output {
  'items': (_mailroom_v1_Subscriber__Output)[];
  /**
   * Absent on the last page.
   */
  'next'?: (string);
  '_next'?: "next";
}
