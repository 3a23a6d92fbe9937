// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface DeleteListRequest {
  'id'?: (string);
}

export interface DeleteListRequest__Output {
  'id'?: (string);
}
