// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface ResumeNewsletterRequest {
  'id'?: (string);
}

export interface ResumeNewsletterRequest__Output {
  'id'?: (string);
}
