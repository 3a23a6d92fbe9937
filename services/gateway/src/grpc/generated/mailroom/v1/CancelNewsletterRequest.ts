// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface CancelNewsletterRequest {
  'id'?: (string);
}

export interface CancelNewsletterRequest__Output {
  'id'?: (string);
}
