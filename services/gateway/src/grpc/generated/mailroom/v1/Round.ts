// Original file: libs/contracts/proto/mailroom/v1/newsletters.proto


export interface Round {
  'id'?: (string);
  'batches'?: (number);
  'completed'?: (number);
  'requestedAt'?: (string);
  '_batches'?: "batches";
}

export interface Round__Output {
  'id'?: (string);
  'batches'?: (number);
  'completed'?: (number);
  'requestedAt'?: (string);
  '_batches'?: "batches";
}
