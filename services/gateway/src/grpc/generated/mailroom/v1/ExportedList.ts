// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Subscriber as _mailroom_v1_Subscriber, Subscriber__Output as _mailroom_v1_Subscriber__Output } from '../../mailroom/v1/Subscriber';

export interface ExportedList {
  'listId'?: (string);
  'listName'?: (string);
  'subscriber'?: (_mailroom_v1_Subscriber | null);
}

export interface ExportedList__Output {
  'listId'?: (string);
  'listName'?: (string);
  'subscriber'?: (_mailroom_v1_Subscriber__Output);
}
