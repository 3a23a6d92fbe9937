export interface OutgoingEmail {
  readonly from: string;
  readonly to: { readonly email: string; readonly name?: string };
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  /** Extra headers (already validated: no CR/LF). nodemailer encodes and folds their values. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Headers written exactly as given, never encoded (nodemailer's `prepared` headers), folded only
   * at the spaces they contain: for values a standard fixes to the byte, such as
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). Printable ASCII only;
   * anything else makes the email fail to compose rather than go out altered.
   */
  readonly rawHeaders?: Readonly<Record<string, string>>;
  /** `<id@domain>`; absent: nodemailer makes a random one. */
  readonly messageId?: string;
}
