import { resolveLinkMarks, textTemplateFromHtml } from './text-from-html';

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

  describe('with markLinks (click tracking)', () => {
    const html =
      '<p><a href="https://acme.example/x?a=1&amp;b=2">Read</a> <a href="mailto:help@acme.example">help@acme.example</a> ' +
      '<a href="{{ unsubscribe_url }}">Unsubscribe</a></p><p><a href="#top">Top</a> <a href="/rel">Rel</a></p>' +
      '<p><a href="https://acme.example/same">https://acme.example/same</a></p><p><a href="HTTP://acme.example/img"><img src="b.png"></a></p>';
    const shown = (text: string) => text.replace(/\uE002/g, '<').replace(/\uE003/g, '>');

    it('marks the URLs of links that may be tracked (http(s), made by a merge tag), decoded, and no others', () => {
      expect(shown(textTemplateFromHtml(html, { markLinks: true })!)).toBe(
        'Read [<https://acme.example/x?a=1&b=2>] help@acme.example Unsubscribe [<{{ unsubscribe_url }}>]\n\nTop Rel [/rel]\n\n' +
          'https://acme.example/same [<https://acme.example/same>]\n\n<HTTP://acme.example/img>',
      );
      // Without it, as before.
      expect(textTemplateFromHtml(html)).toBe(
        'Read [https://acme.example/x?a=1&b=2] help@acme.example Unsubscribe [{{ unsubscribe_url }}]\n\nTop Rel [/rel]\n\nhttps://acme.example/same\n\nHTTP://acme.example/img',
      );
    });

    it('resolves each mark to the tracked address, or the URL as it was; a lone mark (from merge data) goes', () => {
      const text = 'Read [\uE002https://a.example/1\uE003] and [\uE002https://m.example/unsubscribe/t\uE003] \uE003x\uE002';
      const link = (url: string) => (url.includes('unsubscribe') ? undefined : `https://m.example/c/${url.length}`);
      expect(resolveLinkMarks(text, link)).toBe('Read [https://m.example/c/19] and [https://m.example/unsubscribe/t] x');
      expect(resolveLinkMarks(text, () => undefined)).toBe('Read [https://a.example/1] and [https://m.example/unsubscribe/t] x');
    });

    it('gives up (HTML only) when the HTML holds the mark characters, which it may without markLinks', () => {
      expect(textTemplateFromHtml('<p>\uE002x\uE003</p>', { markLinks: true })).toBeNull();
      expect(textTemplateFromHtml('<p>\uE002x\uE003</p>')).toBe('\uE002x\uE003');
    });
  });
});
