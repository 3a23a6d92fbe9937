// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { ListImport as _mailroom_v1_ListImport, ListImport__Output as _mailroom_v1_ListImport__Output } from '../../mailroom/v1/ListImport';
import type { Long } from '@grpc/proto-loader';

export interface SubscriberList {
  'id'?: (string);
  'name'?: (string);
  'subscribers'?: (number | string | Long);
  'imports'?: (_mailroom_v1_ListImport)[];
  /**
   * An import is running right now.
   */
  'importing'?: (boolean);
  'createdAt'?: (string);
  'updatedAt'?: (string);
}

export interface SubscriberList__Output {
  'id'?: (string);
  'name'?: (string);
  'subscribers'?: (number);
  'imports': (_mailroom_v1_ListImport__Output)[];
  /**
   * An import is running right now.
   */
  'importing'?: (boolean);
  'createdAt'?: (string);
  'updatedAt'?: (string);
}
