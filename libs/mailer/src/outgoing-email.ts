export interface OutgoingEmail {
  /** The From header; DKIM signs with the key of its domain. */
  readonly from: string;
  /**
   * The envelope sender (SMTP MAIL FROM, which the receiving server records as Return-Path): where
   * bounces go. A bare address, e.g. a per-recipient bounce address (VERP). Absent: From's address.
   */
  readonly envelopeFrom?: string;
  readonly to: { readonly email: string; readonly name?: string };
  /** Reply-To: one address, `addr` or `Name <addr>`, parsed like `from`. */
  readonly replyTo?: string;
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
  /** Extra headers (already validated: no CR/LF); values are RFC 2047-encoded when not plain ASCII, and folded. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Headers written exactly as given, never encoded, folded only at the spaces they contain: for values a standard fixes to the byte, such as
   * `List-Unsubscribe-Post: List-Unsubscribe=One-Click` (RFC 8058). Printable ASCII only;
   * anything else makes the email fail to compose rather than go out altered.
   */
  readonly rawHeaders?: Readonly<Record<string, string>>;
  /** `<id@domain>`; absent: nodemailer makes a random one. */
  readonly messageId?: string;
}
