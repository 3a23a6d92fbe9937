import { textTemplateFromHtml } from './text-from-html';

describe('textTemplateFromHtml', () => {
  it('turns HTML into readable text, links as [url], images and markup gone', () => {
    const text = textTemplateFromHtml('<h1>News</h1><p>First &amp; <b>bold</b>.</p><img src="https://t.example/p.gif" alt=""><ul><li>one</li><li>two</li></ul><p><a href="https://acme.example/x">Read</a></p>');
    expect(text).toBe('NEWS\n\nFirst & bold.\n\n * one\n * two\n\nRead [https://acme.example/x]');
  });

  it('keeps merge tags exactly: in headings (not upper-cased), attributes, long lines (not wrapped), with entities', () => {
    const html =
      '<h2>Hello {{ name | default: "dear reader" }}</h2>' +
      `<p>${'word '.repeat(30)}{{ city | default: "a town with a long name" }}</p>` +
      '{% if plan %}<p>Plan: {{ plan }}</p>{% endif %}' +
      '<p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>';
    const text = textTemplateFromHtml(html)!;
    expect(text).toContain('HELLO {{ name | default: "dear reader" }}');
    expect(text).toContain('{{ city | default: "a town with a long name" }}');
    expect(text).toContain('{% if plan %}');
    expect(text).toContain('Plan: {{ plan }}');
    expect(text).toContain('{% endif %}');
    expect(text).toContain('Unsubscribe [{{ unsubscribe_url }}]');
  });

  it('gives up (HTML only) when a tag would be lost, or the HTML holds the placeholder characters', () => {
    expect(textTemplateFromHtml('<style>p { color: {{ colour }} }</style><p>Hi</p>')).toBeNull();
    expect(textTemplateFromHtml('<p>\uE0000\uE001</p>')).toBeNull();
  });
});
