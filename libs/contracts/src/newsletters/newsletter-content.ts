/** The body of a newsletter as the gateway stores it and the sender reads it. */
export interface NewsletterContent {
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  readonly from: string;
}

/** One line of the stored recipient list (NDJSON), as submitted. */
export interface SubmittedRecipient {
  readonly email: string;
  readonly name?: string;
}
