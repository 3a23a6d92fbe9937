import { convert, type HtmlToTextOptions } from 'html-to-text';

// Liquid output and tags: {{ … }} and {% … %} (including the whitespace-trimming {{- … -}} forms).
const MERGE_TAG = /\{\{[^]*?\}\}|\{%[^]*?%\}/g;
// Private-use characters around an index: no space to wrap at, no letter to upper-case, nothing
// html-to-text would escape or drop, and never in real content (the HTML is checked for them).
const OPEN = '\uE000';
const CLOSE = '\uE001';
const PLACEHOLDER = /\uE000(\d+)\uE001/g;

const OPTIONS: HtmlToTextOptions = {
  wordwrap: 78,
  selectors: [
    // An image's alt text, without its (often tracking) URL.
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true } },
  ],
};

/**
 * The plain-text alternative of an HTML newsletter, as a template: run once per newsletter, not per
 * recipient, so its merge tags must come through the conversion untouched. They are swapped for
 * placeholders first (html-to-text would wrap them at their spaces, upper-case them in headings,
 * decode entities in them) and put back afterwards. Null when the HTML holds the placeholder
 * characters itself, or the conversion fails: the email then goes out as HTML only, as before.
 */
export function textTemplateFromHtml(html: string): string | null {
  if (html.includes(OPEN) || html.includes(CLOSE)) return null;
  const tags: string[] = [];
  const shielded = html.replace(MERGE_TAG, (tag) => `${OPEN}${tags.push(tag) - 1}${CLOSE}`);
  let text: string;
  try {
    text = convert(shielded, OPTIONS);
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
