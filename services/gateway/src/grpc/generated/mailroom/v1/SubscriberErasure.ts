// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { ErasedFromList as _mailroom_v1_ErasedFromList, ErasedFromList__Output as _mailroom_v1_ErasedFromList__Output } from '../../mailroom/v1/ErasedFromList';

export interface SubscriberErasure {
  'removedFrom'?: (_mailroom_v1_ErasedFromList)[];
  /**
   * The reason of the tenant's suppression entry it replaced ("erased" when it was erased
   * before); absent when the address was not suppressed.
   */
  'replacedReason'?: (string);
  /**
   * The global list holds the address too (the operator's; not erased by a tenant).
   */
  'globalSuppression'?: (boolean);
  '_replacedReason'?: "replacedReason";
}

export interface SubscriberErasure__Output {
  'removedFrom': (_mailroom_v1_ErasedFromList__Output)[];
  /**
   * The reason of the tenant's suppression entry it replaced ("erased" when it was erased
   * before); absent when the address was not suppressed.
   */
  'replacedReason'?: (string);
  /**
   * The global list holds the address too (the operator's; not erased by a tenant).
   */
  'globalSuppression'?: (boolean);
  '_replacedReason'?: "replacedReason";
}
