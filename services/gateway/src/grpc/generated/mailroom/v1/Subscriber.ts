// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface Subscriber {
  /**
   * As imported (domain lower-cased, local part as written).
   */
  'email'?: (string);
  /**
   * Absent when it has none.
   */
  'name'?: (string);
  /**
   * Merge fields.
   */
  'vars'?: ({[key: string]: string});
  '_name'?: "name";
}

export interface Subscriber__Output {
  /**
   * As imported (domain lower-cased, local part as written).
   */
  'email'?: (string);
  /**
   * Absent when it has none.
   */
  'name'?: (string);
  /**
   * Merge fields.
   */
  'vars'?: ({[key: string]: string});
  '_name'?: "name";
}
