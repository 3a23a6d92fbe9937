import { addressHash, feedbackTokenOf, mailboxKey, normalizeAddress, type BounceType, type FeedbackClaim, type FeedbackKind, type FeedbackTokens } from '@mailroom/contracts';
import type { DeliveryStatus, Report } from './read-report';

/** A report traced to one recipient of one newsletter. */
export interface AttributedFeedback {
  readonly kind: FeedbackKind;
  readonly bounceType?: BounceType;
  readonly newsletterId: string;
  readonly batchIndex: number;
  readonly email: string;
  readonly status?: string;
  readonly detail?: string;
}

/** Why a report changes nothing; each is counted (`mailroom_feedback_reports_total{result}`). */
export type Unattributed =
  | 'auto_reply'
  | 'unrecognised'
  /** A DSN saying the message was delivered or relayed, or an ARF "not-spam". */
  | 'not_a_failure'
  /** No bounce address and no Message-ID of ours in it. */
  | 'no_token'
  /** Shaped like our token, but not signed with our secret (or altered). */
  | 'forged'
  /**
   * Our token, but neither the report nor the delivery ledger names the recipient: no address in
   * the report has the signed address hash, and the ledger has no entry with it in the token's
   * batch (expired: the ledger keeps entries 30 days by default).
   */
  | 'no_matching_recipient'
  /** Our token, and several ledger entries of its batch share the signed hash prefix, none named by the report. */
  | 'ambiguous_recipient';

export type Attribution = { readonly ok: true; readonly feedback: AttributedFeedback } | { readonly ok: false; readonly reason: Unattributed };

const MESSAGE_ID_TOKEN = /<\s*(b1[a-z2-7]{58})@/gi;
/** A token anywhere in a provider's JSON (Message-IDs there come with or without angle brackets). */
const ANY_TOKEN = /\b(b1[a-z2-7]{58})@/gi;

/**
 * The addresses the delivery ledger has in the claim's batch whose address hash starts with the
 * claim's prefix (`DeliveryLedger.recipientsOfBatchWithHashPrefix`): usually one, none once the
 * entries expired. Rejects when the ledger cannot be read (the report is retried, not dropped).
 */
export type LedgerLookup = (claim: FeedbackClaim) => Promise<readonly string[]>;

/**
 * Who a report is about. The signed token (the bounce address it was mailed to, else the
 * Message-ID of the enclosed original) names newsletter, batch and the first characters of the
 * recipient's address hash. The recipient is the address in the report with that hash; when the
 * report names none (a feedback loop that redacts the recipient, a DSN naming the address it was
 * forwarded to, a server that changed the case of the local part), the delivery ledger entry of
 * that batch with that hash prefix (see `recipientOf`). Either way a report can only ever suppress
 * an address we really mailed under that token.
 */
export async function attributeReport(report: Report, envelopeRecipients: readonly string[], tokens: FeedbackTokens, ledger: LedgerLookup): Promise<Attribution> {
  if (report.type === 'auto-reply') return { ok: false, reason: 'auto_reply' };
  if (report.type === 'unrecognised') return { ok: false, reason: 'unrecognised' };
  if (report.type === 'complaint' && report.feedbackType === 'not-spam') return { ok: false, reason: 'not_a_failure' };

  const claim = verifiedClaim(report, envelopeRecipients, tokens);
  if ('reason' in claim) return { ok: false, reason: claim.reason };
  // Not a failure whoever it is about: no need to read the ledger.
  if (report.type === 'bounce' && report.statuses.length > 0 && report.statuses.every((s) => bounceTypeOf(s) === null)) return { ok: false, reason: 'not_a_failure' };
  const recipient = await recipientOf(claim, report.addresses, ledger);
  if ('reason' in recipient) return { ok: false, reason: recipient.reason };
  const email = recipient.email;
  const about = { newsletterId: claim.newsletterId, batchIndex: claim.batchIndex, email };

  if (report.type === 'complaint') return { ok: true, feedback: { kind: 'complaint', ...about, detail: `feedback-type ${report.feedbackType}` } };
  const status = report.statuses.find((s) => s.recipients.some((r) => sameMailbox(r, email))) ?? report.statuses[0];
  const bounceType = status ? bounceTypeOf(status) : 'soft';
  if (bounceType === null) return { ok: false, reason: 'not_a_failure' };
  return {
    ok: true,
    feedback: {
      kind: 'bounce',
      bounceType,
      ...about,
      ...(status?.status ? { status: status.status } : {}),
      ...(status?.diagnostic ? { detail: status.diagnostic } : {}),
    },
  };
}

/**
 * The recipient a verified claim is about, as the ledger spells it where it has to be asked:
 * 1. an address of the report whose hash has the signed prefix (as written, or with its domain in
 *    lower case): the report names the recipient exactly, the ledger is not read;
 * 2. else the ledger's entries of the claim's batch with that prefix: one of them whose mailbox
 *    (`mailboxKey`, the local part's case ignored) the report names; else the only one, whatever
 *    the report names (it was redacted, or is an address the message was forwarded to: the token
 *    says whom we mailed); none → `no_matching_recipient`, several unnamed → `ambiguous_recipient`.
 */
export async function recipientOf(claim: FeedbackClaim, named: readonly string[], ledger: LedgerLookup): Promise<{ readonly email: string } | { readonly reason: Unattributed }> {
  const exact = named.find((address) => hashMatches(address, claim.addressHashPrefix));
  if (exact !== undefined) return { email: normalised(exact) };
  const candidates = [...new Set(await ledger(claim))];
  const mailboxes = new Set(named.map((address) => mailboxKey(normalised(address))));
  const namedCandidates = candidates.filter((candidate) => mailboxes.has(mailboxKey(normalised(candidate))));
  if (namedCandidates.length === 1) return { email: namedCandidates[0]! };
  if (candidates.length === 1) return { email: candidates[0]! };
  return { reason: candidates.length === 0 ? 'no_matching_recipient' : 'ambiguous_recipient' };
}

/**
 * Hard: the address does not work (a 5.x.x status, or "failed" without one). Soft: delayed, or a
 * 4.x.x. Null: not a failure at all (delivered, relayed, expanded).
 */
export function bounceTypeOf(status: DeliveryStatus): BounceType | null {
  if (status.action && ['delivered', 'relayed', 'expanded'].includes(status.action)) return null;
  if (status.status?.startsWith('5')) return 'hard';
  if (status.status?.startsWith('4') || status.action === 'delayed') return 'soft';
  if (status.status?.startsWith('2')) return null;
  return status.action === 'failed' ? 'hard' : 'soft';
}

function verifiedClaim(report: Extract<Report, { tokenSources: readonly string[] }>, envelopeRecipients: readonly string[], tokens: FeedbackTokens): FeedbackClaim | { readonly reason: Unattributed } {
  return firstVerifiedClaim(
    [
      ...envelopeRecipients.map(feedbackTokenOf).filter((t): t is string => t !== null),
      ...report.tokenSources.flatMap((text) => [...text.matchAll(MESSAGE_ID_TOKEN)].map((m) => m[1]!.toLowerCase())),
    ],
    tokens,
  );
}

/**
 * The claim of a provider's webhook event: a token of ours in its JSON (the original Message-ID
 * it echoes), and its recipient as for a report (`recipientOf`): the event's address when it has
 * the signed address hash, else the ledger's entry for it.
 */
export async function attributeProviderEvent(
  searchText: string,
  email: string,
  tokens: FeedbackTokens,
  ledger: LedgerLookup,
): Promise<{ readonly ok: true; readonly claim: FeedbackClaim; readonly email: string } | { readonly ok: false; readonly reason: Unattributed }> {
  const claim = firstVerifiedClaim([...searchText.matchAll(ANY_TOKEN)].map((m) => m[1]!.toLowerCase()), tokens);
  if ('reason' in claim) return { ok: false, reason: claim.reason };
  const recipient = await recipientOf(claim, email === '' ? [] : [email], ledger);
  if ('reason' in recipient) return { ok: false, reason: recipient.reason };
  return { ok: true, claim, email: recipient.email };
}

function firstVerifiedClaim(candidates: readonly string[], tokens: FeedbackTokens): FeedbackClaim | { readonly reason: Unattributed } {
  let forged = false;
  for (const token of candidates) {
    const check = tokens.verify(token);
    if (check.ok) return check.claim;
    forged ||= check.reason === 'forged';
  }
  return { reason: forged ? 'forged' : 'no_token' };
}

/** As written, or normalised (domain in lower case): reports do not always keep the case we sent. */
function hashMatches(address: string, prefix: string): boolean {
  return addressHash(address).startsWith(prefix) || addressHash(normalised(address)).startsWith(prefix);
}

function normalised(address: string): string {
  const check = normalizeAddress(address);
  return check.ok ? check.email : address;
}

function sameMailbox(a: string, b: string): boolean {
  return mailboxKey(normalised(a)) === mailboxKey(normalised(b));
}
