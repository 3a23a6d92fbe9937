/** The merge field the pipeline renders per recipient; the baseline substitutes it itself. */
export const NAME_FIELD = '{{ name }}';

/**
 * A 4 KB HTML newsletter, the size the figures in the issue were measured with, personalised with
 * the reader's name: the pipeline renders it per recipient (Liquid, HTML-escaped), so the
 * comparison includes the work a real newsletter costs.
 */
export function newsletterHtml(): string {
  const paragraph =
    '<p>This month we shipped faster batches, better retries and a brand new dashboard. ' +
    'Read on for the details, the numbers and what comes next for everyone on the list.</p>\n';
  let html = `<!doctype html><html><body><h1>Benchmark issue</h1>\n<p>Dear ${NAME_FIELD},</p>\n`;
  while (html.length < 4_000) html += paragraph;
  return `${html}</body></html>`;
}

/** Recipient `i` of every run: the same addresses and names in the pipeline and the baselines. */
export function benchRecipient(i: number): { email: string; name: string } {
  return { email: `reader${i}@example.org`, name: `Reader ${i}` };
}
