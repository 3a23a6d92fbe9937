/** What happened to one message at the SMTP server. */
export type DeliveryOutcome =
  | { readonly kind: 'accepted'; readonly code: number; readonly response: string }
  | {
      readonly kind: 'transient';
      readonly code?: number;
      readonly reason: string;
      /** The SMTP command that failed (`CONN`, `MAIL FROM`, `RCPT TO`, `DATA`…), when known. */
      readonly command?: string;
    }
  | {
      readonly kind: 'permanent';
      readonly code?: number;
      readonly reason: string;
      /** The server refused the recipient itself (5xx at RCPT TO): a hard bounce, to suppress. */
      readonly hardBounce: boolean;
      readonly command?: string;
    }
  /**
   * The whole message went out but no reply to the end of DATA came within the DATA timeout, or
   * the connection was lost while waiting for it: the server may have accepted the message. Not
   * an acceptance, and never to be retried automatically: sending again could deliver it twice.
   */
  | { readonly kind: 'ambiguous'; readonly reason: string; readonly command: 'DATA' };
