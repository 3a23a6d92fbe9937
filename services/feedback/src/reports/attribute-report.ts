import { addressHash, feedbackTokenOf, normalizeAddress, type BounceType, type FeedbackClaim, type FeedbackKind, type FeedbackTokens } from '@mailroom/contracts';
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
  /** Our token, but no address in the report has the recipient's address hash. */
  | 'no_matching_recipient';

export type Attribution = { readonly ok: true; readonly feedback: AttributedFeedback } | { readonly ok: false; readonly reason: Unattributed };

const MESSAGE_ID_TOKEN = /<\s*(b1[a-z2-7]{58})@/gi;
/** A token anywhere in a provider's JSON (Message-IDs there come with or without angle brackets). */
const ANY_TOKEN = /\b(b1[a-z2-7]{58})@/gi;

/**
 * Who a report is about. The signed token (the bounce address it was mailed to, else the
 * Message-ID of the enclosed original) names newsletter, batch and the first characters of the
 * recipient's address hash; the recipient is the address in the report with that hash, so a
 * report can only ever suppress the address we really mailed under that token.
 */
export function attributeReport(report: Report, envelopeRecipients: readonly string[], tokens: FeedbackTokens): Attribution {
  if (report.type === 'auto-reply') return { ok: false, reason: 'auto_reply' };
  if (report.type === 'unrecognised') return { ok: false, reason: 'unrecognised' };
  if (report.type === 'complaint' && report.feedbackType === 'not-spam') return { ok: false, reason: 'not_a_failure' };

  const claim = verifiedClaim(report, envelopeRecipients, tokens);
  if ('reason' in claim) return { ok: false, reason: claim.reason };
  const email = report.addresses.find((address) => hashMatches(address, claim.addressHashPrefix));
  if (email === undefined) return { ok: false, reason: 'no_matching_recipient' };
  const about = { newsletterId: claim.newsletterId, batchIndex: claim.batchIndex, email: normalised(email) };

  if (report.type === 'complaint') return { ok: true, feedback: { kind: 'complaint', ...about, detail: `feedback-type ${report.feedbackType}` } };
  const status = report.statuses.find((s) => s.recipients.some((r) => hashMatches(r, claim.addressHashPrefix))) ?? report.statuses[0];
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
 * it echoes), and the event's address must have the signed address hash.
 */
export function attributeProviderEvent(searchText: string, email: string, tokens: FeedbackTokens): { readonly ok: true; readonly claim: FeedbackClaim; readonly email: string } | { readonly ok: false; readonly reason: Unattributed } {
  const claim = firstVerifiedClaim([...searchText.matchAll(ANY_TOKEN)].map((m) => m[1]!.toLowerCase()), tokens);
  if ('reason' in claim) return { ok: false, reason: claim.reason };
  if (!hashMatches(email, claim.addressHashPrefix)) return { ok: false, reason: 'no_matching_recipient' };
  return { ok: true, claim, email: normalised(email) };
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
