// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Failure as _mailroom_v1_Failure, Failure__Output as _mailroom_v1_Failure__Output } from '../../mailroom/v1/Failure';
import type { Long } from '@grpc/proto-loader';

export interface ListFailuresResponse {
  'items'?: (_mailroom_v1_Failure)[];
  /**
   * Pass as `after` for the next page; absent on the last page.
   */
  'next'?: (number | string | Long);
  '_next'?: "next";
}

export interface ListFailuresResponse__Output {
  'items': (_mailroom_v1_Failure__Output)[];
  /**
   * Pass as `after` for the next page; absent on the last page.
   */
  'next'?: (number);
  '_next'?: "next";
}
