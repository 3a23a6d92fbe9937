// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface EraseSubscriberRequest {
  'email'?: (string);
}

export interface EraseSubscriberRequest__Output {
  'email'?: (string);
}
