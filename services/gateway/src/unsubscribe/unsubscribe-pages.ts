import type { Response } from 'express';

/**
 * The small HTML pages of the public unsubscribe links. No scripts, no external resources; every
 * dynamic value is escaped. The headers keep the token out of Referer headers and caches, and
 * the confirmation button out of other sites' frames.
 */
const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'X-Content-Type-Options': 'nosniff',
  'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const STYLE =
  'body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222;line-height:1.5}' +
  'button{font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:.3rem;background:#2457c5;color:#fff;cursor:pointer}';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

/** `a***@example.org`: enough for the reader to recognise their address, not enough to give it away. */
export function maskAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`;
}

/**
 * Asks before unsubscribing: a GET must never unsubscribe, since link scanners and previews fetch
 * links. The button POSTs to the same URL what a one-click mail client would send.
 */
export function confirmationPage(email: string): string {
  return page(
    'Unsubscribe?',
    `<p>Stop sending newsletters to <strong>${escapeHtml(maskAddress(email))}</strong>?</p>` +
      '<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>',
  );
}

export function unsubscribedPage(email: string): string {
  return page('You are unsubscribed', `<p><strong>${escapeHtml(maskAddress(email))}</strong> will not receive our newsletters any more.</p>`);
}

export function errorPage(title: string, message: string): string {
  return page(title, `<p>${escapeHtml(message)}</p>`);
}

export function sendPage(response: Response, status: number, html: string): void {
  response.status(status).set(PAGE_HEADERS).send(html);
}
