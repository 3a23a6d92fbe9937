// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface ExportSubscriberRequest {
  'email'?: (string);
}

export interface ExportSubscriberRequest__Output {
  'email'?: (string);
}
