// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface Recipient {
  /**
   * One bare address: no display name, no list (INVALID_ARGUMENT otherwise).
   */
  'email'?: (string);
  /**
   * Display name; one line.
   */
  'name'?: (string);
  /**
   * Merge fields for this recipient's templates ({{ key }}), as a list's custom columns are.
   */
  'vars'?: ({[key: string]: string});
}

export interface Recipient__Output {
  /**
   * One bare address: no display name, no list (INVALID_ARGUMENT otherwise).
   */
  'email'?: (string);
  /**
   * Display name; one line.
   */
  'name'?: (string);
  /**
   * Merge fields for this recipient's templates ({{ key }}), as a list's custom columns are.
   */
  'vars'?: ({[key: string]: string});
}
