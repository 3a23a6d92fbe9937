// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface GetSubscriberRequest {
  'id'?: (string);
  'email'?: (string);
}

export interface GetSubscriberRequest__Output {
  'id'?: (string);
  'email'?: (string);
}
