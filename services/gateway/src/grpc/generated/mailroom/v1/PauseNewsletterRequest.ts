// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface PauseNewsletterRequest {
  'id'?: (string);
}

export interface PauseNewsletterRequest__Output {
  'id'?: (string);
}
