// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Subscriber as _mailroom_v1_Subscriber, Subscriber__Output as _mailroom_v1_Subscriber__Output } from '../../mailroom/v1/Subscriber';
import type { Long } from '@grpc/proto-loader';

export interface RemoveSubscriberResponse {
  /**
   * The subscriber as it was stored.
   */
  'removed'?: (_mailroom_v1_Subscriber | null);
  /**
   * The list's subscribers now.
   */
  'subscribers'?: (number | string | Long);
}

export interface RemoveSubscriberResponse__Output {
  /**
   * The subscriber as it was stored.
   */
  'removed'?: (_mailroom_v1_Subscriber__Output);
  /**
   * The list's subscribers now.
   */
  'subscribers'?: (number);
}
