// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface Batches {
  /**
   * Absent until the list is split.
   */
  'total'?: (number);
  'completed'?: (number);
  'deadLettered'?: (number);
  '_total'?: "total";
}

export interface Batches__Output {
  /**
   * Absent until the list is split.
   */
  'total'?: (number);
  'completed'?: (number);
  'deadLettered'?: (number);
  '_total'?: "total";
}
