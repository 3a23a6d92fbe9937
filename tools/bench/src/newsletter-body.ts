/** The merge field the pipeline renders per recipient; the baseline substitutes it itself. */
export const NAME_FIELD = '{{ name }}';

/** Links in the bench newsletter: what tracked clicks rewrite (a real newsletter has a few dozen). */
export const BENCH_LINKS = 20;

/**
 * A 4 KB HTML newsletter, the size the figures in the issue were measured with, personalised with
 * the reader's name and carrying BENCH_LINKS links: the pipeline renders it per recipient (Liquid,
 * HTML-escaped), and with tracking on rewrites every link, so the comparison includes the work a
 * real newsletter costs.
 */
export function newsletterHtml(): string {
  const paragraph = (i: number) =>
    `<p>This month we shipped faster batches, better retries and a new dashboard. ` +
    `<a href="https://example.org/posts/${i}?utm_source=newsletter&amp;utm_medium=email">Read part ${i}</a></p>\n`;
  let html = `<!doctype html><html><body><h1>Benchmark issue</h1>\n<p>Dear ${NAME_FIELD},</p>\n`;
  for (let i = 1; i <= BENCH_LINKS; i += 1) html += paragraph(i);
  while (html.length < 4_000) html += '<p>Read on for the details, the numbers and what comes next for everyone on the list.</p>\n';
  return `${html}</body></html>`;
}

/** Recipient `i` of every run: the same addresses and names in the pipeline and the baselines. */
export function benchRecipient(i: number): { email: string; name: string } {
  return { email: `reader${i}@example.org`, name: `Reader ${i}` };
}
