// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface RetryFailedRequest {
  'id'?: (string);
}

export interface RetryFailedRequest__Output {
  'id'?: (string);
}
