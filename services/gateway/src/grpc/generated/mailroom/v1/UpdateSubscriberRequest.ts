// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface UpdateSubscriberRequest {
  'id'?: (string);
  'email'?: (string);
  /**
   * A new name; empty removes it; absent keeps it.
   */
  'name'?: (string);
  /**
   * Merge fields to set; others are kept.
   */
  'vars'?: ({[key: string]: string});
  /**
   * Merge fields to remove.
   */
  'removeVars'?: (string)[];
  '_name'?: "name";
}

export interface UpdateSubscriberRequest__Output {
  'id'?: (string);
  'email'?: (string);
  /**
   * A new name; empty removes it; absent keeps it.
   */
  'name'?: (string);
  /**
   * Merge fields to set; others are kept.
   */
  'vars'?: ({[key: string]: string});
  /**
   * Merge fields to remove.
   */
  'removeVars': (string)[];
  '_name'?: "name";
}
