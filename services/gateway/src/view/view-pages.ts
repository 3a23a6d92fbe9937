import type { Response } from 'express';
import { errorPage } from '../unsubscribe/unsubscribe-pages';

/**
 * The headers of every answer of a "view in browser" link. The page is one reader's copy of a
 * newsletter: never stored by a cache (`private, no-store`), never indexed, never framed, and the
 * token in its address never sent on as a Referer (to the newsletter's image hosts). Its HTML is
 * the newsletter's own, so the policy lets it load what an email loads (images, styles and fonts
 * from anywhere, inline styles) and nothing that runs: no script, no plug-in, no form, no `<base>`;
 * `sandbox` puts it in an origin of its own, away from the gateway's, and still lets its links
 * open in new tabs.
 */
export const VIEW_PAGE_HEADERS: Readonly<Record<string, string>> = {
  'Content-Type': 'text/html; charset=utf-8',
  'Cache-Control': 'private, no-store',
  'X-Robots-Tag': 'noindex, nofollow',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Content-Security-Policy':
    "default-src 'none'; img-src https: http: data:; style-src 'unsafe-inline' https: http:; font-src https: http: data:; media-src https: http:; " +
    "frame-ancestors 'none'; base-uri 'none'; form-action 'none'; " +
    'sandbox allow-popups allow-popups-to-escape-sandbox allow-top-navigation-by-user-activation',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** A text-only newsletter as a page: its subject as the title, its text as written, in a `<pre>` that wraps long lines. */
export function textPage(subject: string, text: string): string {
  return (
    '<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">' +
    `<meta name="robots" content="noindex"><title>${escapeHtml(subject)}</title></head>` +
    `<body><pre style="white-space:pre-wrap;word-wrap:break-word;font-family:ui-monospace,monospace;max-width:80ch;margin:2rem auto;padding:0 1rem">${escapeHtml(text)}</pre></body></html>`
  );
}

/** The answers that are not the newsletter: the link is not ours (404), the newsletter is gone (410), busy or unreachable (503). */
export const VIEW_ERRORS = {
  invalid: { status: 404, title: 'Link not valid', message: 'This link is not valid: it was altered or cut. Open it from the email again.' },
  gone: { status: 410, title: 'No longer available', message: 'This newsletter is no longer available online. The email you received is still yours to read.' },
  unavailable: { status: 503, title: 'Please try again', message: 'This newsletter cannot be shown right now. Please try again in a moment.' },
} as const;

export function sendViewPage(response: Response, status: number, html: string, headers: Readonly<Record<string, string>> = {}): void {
  response.status(status).set({ ...VIEW_PAGE_HEADERS, ...headers }).send(html);
}

export function sendViewError(response: Response, error: (typeof VIEW_ERRORS)[keyof typeof VIEW_ERRORS], headers: Readonly<Record<string, string>> = {}): void {
  sendViewPage(response, error.status, errorPage(error.title, error.message), headers);
}
