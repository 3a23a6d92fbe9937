import { compileMergeTemplate, mentionsViewUrl, TemplateError, type MergeScope, type MergeTemplate, type NewsletterContent } from '@mailroom/contracts';
import { resolveLinkMarks, textTemplateFromHtml } from './text-from-html';

/** One recipient's subject and bodies. */
export interface RenderedContent {
  readonly subject: string;
  readonly html?: string;
  readonly text?: string;
}

/** A newsletter's subject, html and text, compiled once and rendered per recipient. */
export interface CompiledNewsletter {
  /**
   * Throws TemplateError when a render limit is hit. `link`: the recipient's tracked address of a
   * link of the text part made from the HTML, when the newsletter tracks clicks (see
   * linkTracker); absent or undefined, the link stays as it is. An explicit `text` is never changed.
   */
  render(scope: MergeScope, link?: (url: string) => string | undefined): RenderedContent;
  /**
   * Whether the templates may use `{{ view_url }}` (they mention it): only then is a recipient's
   * "view in browser" link signed (it costs a token per recipient), otherwise it renders empty.
   */
  readonly usesViewUrl: boolean;
}

// Line breaks (CR, LF and the Unicode ones) and tabs become a space; other control characters go.
const SUBJECT_BREAKS = /[\r\n\t\u0085\u2028\u2029]+/g;
const SUBJECT_CONTROLS = /[\u0000-\u001f\u007f]/g;

/**
 * A rendered subject as one line. The gateway refuses line breaks in the template, but merge data
 * (a list's column, a name) could still carry them into the header: that would be header injection.
 */
export function singleLineSubject(rendered: string): string {
  return rendered.replace(SUBJECT_BREAKS, ' ').replace(SUBJECT_CONTROLS, '').trim();
}

/**
 * Compiles the three templates; a TemplateError (with field and position) when one does not compile.
 * HTML without text gets a text template made from the HTML (see textTemplateFromHtml): spam filters
 * score HTML-only mail, and readers without HTML get something legible.
 */
export function compileNewsletter(content: NewsletterContent): CompiledNewsletter | TemplateError {
  let subject: MergeTemplate, html: MergeTemplate | undefined, text: MergeTemplate | undefined;
  try {
    subject = compileMergeTemplate('subject', content.subject);
    html = content.html === undefined ? undefined : compileMergeTemplate('html', content.html);
    text = content.text === undefined ? undefined : compileMergeTemplate('text', content.text);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  // With click tracking, the links of a text part made from the HTML are tracked too (marked here,
  // resolved per recipient); an explicit text is the sender's own words and stays as it is.
  const marked = html !== undefined && text === undefined && content.tracking?.clicks === true;
  if (html !== undefined && text === undefined) text = derivedText(content.html!, marked);
  const untracked = () => undefined;
  return {
    usesViewUrl: mentionsViewUrl(content.subject, content.html, content.text),
    render: (scope, link) => ({
      subject: singleLineSubject(subject.render(scope)),
      ...(html ? { html: html.render(scope) } : {}),
      ...(text ? { text: marked ? resolveLinkMarks(text.render(scope), link ?? untracked) : text.render(scope) } : {}),
    }),
  };
}

/** The text template derived from the HTML, or undefined (HTML only) when it cannot be made or does not compile. */
function derivedText(html: string, markLinks: boolean): MergeTemplate | undefined {
  const template = textTemplateFromHtml(html, { markLinks });
  if (template === null) return undefined;
  try {
    return compileMergeTemplate('text', template);
  } catch (error) {
    if (error instanceof TemplateError) return undefined;
    throw error;
  }
}
