import { feedbackTokenOf, type FeedbackTokens } from '@mailroom/contracts';

export type RecipientVerdict =
  | { readonly accept: true }
  | { readonly accept: false; readonly code: number; readonly message: string };

/**
 * Which RCPT TO the feedback service takes: any address at the bounce domain (bounces come to
 * the signed addresses, complaint loops to e.g. `fbl@`), except one shaped like a bounce address
 * whose signature does not check out (a tampered or guessed address: refused, so its sender
 * learns nothing is recorded). Every other domain is refused: this server is never a relay.
 */
export function checkRecipient(address: string, bounceDomain: string, tokens: FeedbackTokens): RecipientVerdict {
  const at = address.lastIndexOf('@');
  const domain = at < 0 ? '' : address.slice(at + 1).toLowerCase();
  if (domain !== bounceDomain) return { accept: false, code: 550, message: '5.7.1 Relaying denied: this server only takes mail for its bounce domain' };
  const token = feedbackTokenOf(address);
  if (token === null && /^b1/i.test(address)) return { accept: false, code: 550, message: '5.1.1 No such bounce address' };
  if (token !== null && !tokens.verify(token).ok) return { accept: false, code: 550, message: '5.1.1 No such bounce address' };
  return { accept: true };
}
