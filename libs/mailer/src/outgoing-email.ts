export interface OutgoingEmail {
  readonly from: string;
  readonly to: { readonly email: string; readonly name?: string };
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  /** Extra headers (already validated: no CR/LF). */
  readonly headers?: Readonly<Record<string, string>>;
}
