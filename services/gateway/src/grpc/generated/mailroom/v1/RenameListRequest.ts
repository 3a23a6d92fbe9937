// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface RenameListRequest {
  'id'?: (string);
  /**
   * One line, at most 200 characters.
   */
  'name'?: (string);
}

export interface RenameListRequest__Output {
  'id'?: (string);
  /**
   * One line, at most 200 characters.
   */
  'name'?: (string);
}
