import { checkCustomHeaders, type NewsletterContent } from '@mailroom/contracts';

export type CheckedHeaders = { readonly ok: true; readonly headers: Readonly<Record<string, string>> } | { readonly ok: false; readonly reason: string };

const NONE: CheckedHeaders = { ok: true, headers: {} };

/**
 * A newsletter's custom headers, checked again here against the allow-list the gateway applied
 * (`checkCustomHeaders`): stored content is data, and a header that slipped through would go to
 * every recipient. Checked once per content object (the ContentCache hands out one per newsletter).
 */
export class CustomHeadersCache {
  private readonly checked = new WeakMap<NewsletterContent, CheckedHeaders>();

  get(content: NewsletterContent): CheckedHeaders {
    if (content.headers === undefined) return NONE;
    let entry = this.checked.get(content);
    if (entry === undefined) {
      const problem = checkCustomHeaders(content.headers);
      entry = problem === null ? { ok: true, headers: content.headers } : { ok: false, reason: `the newsletter's custom headers are refused: ${problem}` };
      this.checked.set(content, entry);
    }
    return entry;
  }
}
