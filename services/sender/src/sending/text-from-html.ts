import { convert, type HtmlToTextOptions } from 'html-to-text';

// Liquid output and tags: {{ … }} and {% … %} (including the whitespace-trimming {{- … -}} forms).
const MERGE_TAG = /\{\{[^]*?\}\}|\{%[^]*?%\}/g;
// Private-use characters around an index: no space to wrap at, no letter to upper-case, nothing
// html-to-text would escape or drop, and never in real content (the HTML is checked for them).
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;
// Around the URL of a link that may be tracked, when the newsletter tracks clicks: resolved per
// recipient by resolveLinkMarks (a lone one, from merge data, is dropped there).
const LINK_OPEN = '\uE002';
const LINK_CLOSE = '\uE003';
const LINK_MARK = /\uE002([^\uE002\uE003]*)\uE003|[\uE002\uE003]/g;
const MAY_BE_TRACKED = /^[\u0000-\u0020]*(?:https?:|\uE000)/i;
const MAILTO = /^[\u0000-\u0020]*mailto:/i;

const OPTIONS: HtmlToTextOptions = {
  wordwrap: 78,
  selectors: [
    // An image's alt text, without its (often tracking) URL.
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
  ],
};

const MARKED_LINK_OPTIONS: HtmlToTextOptions = {
  ...OPTIONS,
  selectors: [
    { selector: 'img', format: 'skip' },
    // html-to-text 10 passes the element as a third argument (not in @types/html-to-text 9).
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, pathRewrite: (href: string, _meta: unknown, a?: { attribs?: Record<string, string> }) => markLink(href, a?.attribs?.['href']) } },
  ],
};

/**
 * The link's URL between marks when it may be tracked: http(s), or made by a merge tag (known only
 * per recipient); a mailto: stays as it is. A marked link never counts as the same as its text,
 * so a link whose text is its URL shows that URL in brackets too (as it would once tracked).
 */
function markLink(href: string, attribute: string | undefined): string {
  return MAY_BE_TRACKED.test(href) && !MAILTO.test(attribute ?? '') ? `${LINK_OPEN}${href}${LINK_CLOSE}` : href;
}

export interface TextFromHtmlOptions {
  /**
   * Mark the URLs of links that may be tracked (the newsletter tracks clicks): the rendered text
   * must then go through resolveLinkMarks, which puts in each recipient's tracked link (or the URL).
   */
  readonly markLinks?: boolean;
}

/**
 * One recipient's text part made from the HTML with marked links: each marked URL becomes its
 * tracked address (`link`, the same rules and tokens as the HTML's links) or stays as it is.
 */
export function resolveLinkMarks(text: string, link: (url: string) => string | undefined): string {
  return text.replace(LINK_MARK, (_mark, url: string | undefined) => (url === undefined ? '' : (link(url) ?? url)));
}

/**
 * The plain-text alternative of an HTML newsletter, as a template: run once per newsletter, not per
 * recipient, so its merge tags must come through the conversion untouched. They are swapped for
 * placeholders first (html-to-text would wrap them at their spaces, upper-case them in headings,
 * decode entities in them) and put back afterwards. Null when the HTML holds the placeholder
 * characters itself, or the conversion fails: the email then goes out as HTML only, as before.
 * With `markLinks` (click tracking), the links' URLs are marked for resolveLinkMarks, so that each
 * recipient's text part carries the same tracked links as their HTML.
 */
export function textTemplateFromHtml(html: string, options: TextFromHtmlOptions = {}): string | null {
  if (html.includes(OPEN) || html.includes(CLOSE)) return null;
  if (options.markLinks && (html.includes(LINK_OPEN) || html.includes(LINK_CLOSE))) return null;
  const tags: string[] = [];
  const shielded = html.replace(MERGE_TAG, (tag) => `${OPEN}${tags.push(tag) - 1}${CLOSE}`);
  let text: string;
  try {
    text = convert(shielded, options.markLinks ? MARKED_LINK_OPTIONS : OPTIONS);
  } catch {
    return null;
  }
  let restored = 0;
  const template = text.replace(PLACEHOLDER, (_match, index: string) => {
    restored += 1;
    return tags[Number(index)] ?? '';
  });
  // A tag lost in conversion (inside <script>, <style> or an attribute that is not shown) could
  // leave an {% if %} without its {% endif %}; the compile step catches that, but a lost output
  // tag would silently change the text: keep such a text only when every tag came through.
  return restored === tags.length ? template : null;
}
