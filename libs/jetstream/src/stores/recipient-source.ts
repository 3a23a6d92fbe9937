import type { NewsletterRequestedEvent, SubmittedRecipient } from '@mailroom/contracts';
import type { ContentStore } from '../storage/content-store';
import type { ListPartsStore } from '../storage/list-parts-store';

export type RecipientSource =
  | { readonly ok: true; readonly recipients: AsyncIterable<SubmittedRecipient>; readonly objects: number }
  | { readonly ok: false; readonly reason: string };

/**
 * The recipients of a newsletter as one stream, read a line at a time: its inline list (content
 * store), or the parts of the subscriber list it was sent to (list-parts store), in order. Every
 * part is checked to exist before anything is read, so a missing one fails the newsletter before
 * a single batch goes out rather than half-way. Read by the splitter to cut batches, and by the
 * tracker's watchdog to rebuild a lost one.
 */
export async function openRecipientSource(
  request: Pick<NewsletterRequestedEvent, 'listParts' | 'recipientsObject'>,
  from: { readonly content: ContentStore; readonly listParts: ListPartsStore },
): Promise<RecipientSource> {
  if (request.listParts !== undefined) {
    const parts = request.listParts;
    for (const part of parts) {
      if (!(await from.listParts.exists(part))) return { ok: false, reason: 'A part of the subscriber list is missing' };
    }
    return { ok: true, recipients: readParts(from.listParts, parts), objects: parts.length };
  }
  const lines = request.recipientsObject === undefined ? null : await from.content.readLines<SubmittedRecipient>(request.recipientsObject);
  return lines === null ? { ok: false, reason: 'The stored recipient list is missing' } : { ok: true, recipients: lines, objects: 1 };
}

async function* readParts(store: ListPartsStore, parts: readonly string[]): AsyncGenerator<SubmittedRecipient> {
  for (const part of parts) {
    const lines = await store.readLines<SubmittedRecipient>(part);
    // Checked just before; a part removed since is an error to retry, not an empty part.
    if (lines === null) throw new Error(`List part ${part} disappeared while the newsletter was being split`);
    yield* lines;
  }
}
