// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface WatchNewsletterRequest {
  'id'?: (string);
}

export interface WatchNewsletterRequest__Output {
  'id'?: (string);
}
