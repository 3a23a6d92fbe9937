import { ContentObjects, RecipientBatcher, type NewsletterRequestedEvent, type Recipient, type SubmittedRecipient } from '@mailroom/contracts';
import type { ContentStore } from '../storage/content-store';
import type { ListPartsStore } from '../storage/list-parts-store';
import { openRecipientSource } from './recipient-source';

/** The batch size of a re-read whose request was not kept (newsletters split before request.json existed): BatchReadyEvent's limit. */
const FALLBACK_BATCH_SIZE = 1_000;

export type NewsletterList =
  | {
      readonly ok: true;
      /** The request as the splitter received it (request.json); null for newsletters split before it was kept. */
      readonly request: NewsletterRequestedEvent | null;
      /** The list in batches, in list order, from the first. */
      readonly batches: AsyncIterable<{ readonly index: number; readonly recipients: Recipient[] }>;
    }
  | { readonly ok: false; readonly reason: string };

/**
 * A newsletter's recipients read again as the splitter read them: its kept request (or, for a
 * newsletter split before requests were kept, its inline list), the same stream (inline list or
 * the subscriber list's parts: openRecipientSource) through the splitter's own batcher, so the
 * addresses are normalised and de-duplicated the same way, with the same names and merge fields,
 * in the same order. Without the suppression list: who was suppressed at the split is not known
 * any more, so the batches are cut as if nobody was, and an index here is the splitter's index or
 * later (never earlier: leaving recipients out only moves the others to earlier batches).
 * Read lazily, a line at a time; `ok: false` with the reason when the list is gone (its part of a
 * subscriber list removed, or the newsletter's content removed after its retention).
 * Used by the tracker's watchdog to rebuild a lost batch, and by the gateway to render one
 * recipient's "view in browser" page.
 */
export async function readNewsletterList(
  newsletterId: string,
  from: { readonly content: ContentStore; readonly listParts: ListPartsStore },
  options: NewsletterListOptions = {},
): Promise<NewsletterList> {
  const request = await from.content.getJson<NewsletterRequestedEvent>(ContentObjects.request(newsletterId));
  const source = await openRecipientSource(request ?? { recipientsObject: ContentObjects.recipients(newsletterId) }, from);
  if (!source.ok) return source;
  if (options.mailboxOf !== undefined) {
    // One recipient a batch: a reader looking for one is handed it as soon as it is read.
    return { ok: true, request, batches: batchesOf(source.recipients, 1, localPartKey(options.mailboxOf) ?? '') };
  }
  return { ok: true, request, batches: batchesOf(source.recipients, request?.batchSize ?? FALLBACK_BATCH_SIZE) };
}

export interface NewsletterListOptions {
  /**
   * Read only the lines that may be this address's mailbox (the same local part, in any case): the
   * others cannot change which line is its own (de-duplication is per mailbox) and are not worth
   * normalising. The batches are then of one such line each: their indexes are not the splitter's.
   */
  readonly mailboxOf?: string;
}

/** The local part of an address, lower-cased (as mailboxKey compares it), or of a submitted line's address as written; undefined when there is none. */
function localPartKey(address: unknown): string | undefined {
  if (typeof address !== 'string') return undefined;
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  return at <= 0 ? undefined : trimmed.slice(0, at).toLowerCase();
}

async function* batchesOf(lines: AsyncIterable<SubmittedRecipient>, batchSize: number, onlyLocalPart?: string): AsyncGenerator<{ index: number; recipients: Recipient[] }> {
  const batcher = new RecipientBatcher(batchSize);
  for await (const submitted of lines) {
    if (onlyLocalPart !== undefined && localPartKey(submitted.email) !== onlyLocalPart) continue;
    const full = batcher.add(submitted);
    if (full) yield full;
  }
  const last = batcher.flush();
  if (last) yield last;
}

/**
 * The recipient with this address (as the sender got it: normalised, the first spelling of its
 * mailbox), with the name and merge fields the sender got; null when the list does not have it.
 * Reads the list only up to that recipient, and stops reading it (the stream is closed) once found.
 */
export async function findListRecipient(batches: AsyncIterable<{ readonly recipients: readonly Recipient[] }>, email: string): Promise<Recipient | null> {
  for await (const batch of batches) {
    const recipient = batch.recipients.find((r) => r.email === email);
    if (recipient) return recipient;
  }
  return null;
}
