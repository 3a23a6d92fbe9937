import type { NewsletterStatus } from './newsletter-status';
import type { NewsletterView } from './newsletter-view';

/**
 * The stored state of one newsletter (KV bucket `newsletters`, key = id). The gateway creates it;
 * after that only the tracker changes it, with revision CAS, folding events in idempotently.
 */
export interface NewsletterRecord {
  readonly v: 1;
  readonly id: string;
  readonly status: NewsletterStatus;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly completedAt: string | null;
  /** Recipients as submitted, duplicates and invalid ones included. */
  readonly submitted: number;
  /** Unique recipients, known once the list is split. */
  readonly total: number | null;
  readonly duplicates: number;
  readonly sent: number;
  readonly failed: number;
  readonly batches: { readonly total: number | null; readonly completed: number };
  /** Base64 bitset of the batch indexes already counted: a redelivered result is never counted twice. */
  readonly countedBatches: string;
  readonly error?: string;
}

export function newNewsletterRecord(id: string, submitted: number, now: Date = new Date()): NewsletterRecord {
  const at = now.toISOString();
  return {
    v: 1,
    id,
    status: 'queued',
    createdAt: at,
    updatedAt: at,
    completedAt: null,
    submitted,
    total: null,
    duplicates: 0,
    sent: 0,
    failed: 0,
    batches: { total: null, completed: 0 },
    countedBatches: '',
  };
}

export function toNewsletterView(record: NewsletterRecord): NewsletterView {
  const total = record.total ?? record.submitted;
  return {
    id: record.id,
    status: record.status,
    total,
    sent: record.sent,
    failed: record.failed,
    pending: Math.max(0, total - record.sent - record.failed),
    duplicates: record.duplicates,
    batches: { total: record.batches.total, completed: record.batches.completed },
    createdAt: record.createdAt,
    completedAt: record.completedAt,
    ...(record.error ? { error: record.error } : {}),
  };
}
