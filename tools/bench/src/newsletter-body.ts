/** A 4 KB HTML newsletter, the size the figures in the issue were measured with. */
export function newsletterHtml(): string {
  const paragraph =
    '<p>Dear reader, this month we shipped faster batches, better retries and a brand new dashboard. ' +
    'Read on for the details, the numbers and what comes next for everyone on the list.</p>\n';
  let html = '<!doctype html><html><body><h1>Benchmark issue</h1>\n';
  while (html.length < 4_000) html += paragraph;
  return `${html}</body></html>`;
}
