// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface GetNewsletterRequest {
  /**
   * The id SendNewsletter returned (a UUID).
   */
  'id'?: (string);
}

export interface GetNewsletterRequest__Output {
  /**
   * The id SendNewsletter returned (a UUID).
   */
  'id'?: (string);
}
