// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto

import type { Long } from '@grpc/proto-loader';

export interface ListImport {
  'id'?: (string);
  /**
   * "csv" or "ndjson".
   */
  'format'?: (string);
  'accepted'?: (number | string | Long);
  'rejected'?: (number | string | Long);
  'duplicates'?: (number | string | Long);
  'bytes'?: (number | string | Long);
  'importedAt'?: (string);
}

export interface ListImport__Output {
  'id'?: (string);
  /**
   * "csv" or "ndjson".
   */
  'format'?: (string);
  'accepted'?: (number);
  'rejected'?: (number);
  'duplicates'?: (number);
  'bytes'?: (number);
  'importedAt'?: (string);
}
