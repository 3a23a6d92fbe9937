// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface RemoveSubscriberRequest {
  'id'?: (string);
  'email'?: (string);
}

export interface RemoveSubscriberRequest__Output {
  'id'?: (string);
  'email'?: (string);
}
