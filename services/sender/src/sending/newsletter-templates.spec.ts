import { mergeScope, TemplateError, type NewsletterContent } from '@mailroom/contracts';
import { compileNewsletter, singleLineSubject, type CompiledNewsletter } from './newsletter-templates';

const content: NewsletterContent = {
  from: 'news@acme.example',
  subject: 'Hello {{ name | default: "reader" }}',
  html: '<p>Hi {{ name }}</p><a href="{{ unsubscribe_url }}">unsubscribe</a>',
  text: 'Hi {{ name }} ({{ plan }})',
};

const compiled = (c: NewsletterContent): CompiledNewsletter => {
  const result = compileNewsletter(c);
  if (result instanceof TemplateError) throw result;
  return result;
};

describe('compileNewsletter', () => {
  it('renders subject, html and text for one recipient: html escaped, subject and text not', () => {
    const scope = mergeScope({ email: 'eve@example.org', name: '<b>Eve</b>', vars: { plan: 'pro & more' } }, 'https://m.example/unsubscribe/t');
    expect(compiled(content).render(scope)).toEqual({
      subject: 'Hello <b>Eve</b>',
      html: '<p>Hi &lt;b&gt;Eve&lt;/b&gt;</p><a href="https://m.example/unsubscribe/t">unsubscribe</a>',
      text: 'Hi <b>Eve</b> (pro & more)',
    });
  });

  it('leaves out a body the newsletter does not have', () => {
    const scope = mergeScope({ email: 'ann@example.org' }, 'https://m.example/u');
    expect(compiled({ from: 'n@acme.example', subject: 'S', text: 'T' }).render(scope)).toEqual({ subject: 'S', text: 'T' });
  });

  it('makes the text part from the HTML when there is none: once, merge tags intact, unescaped per recipient', () => {
    const html = '<h1>Hi {{ name | default: "reader" }}</h1><p>{{ plan }} &amp; more</p><p><a href="{{ unsubscribe_url }}">Unsubscribe</a></p>';
    const newsletter = compiled({ from: 'n@acme.example', subject: 'S', html });
    const eve = newsletter.render(mergeScope({ email: 'eve@example.org', name: '<b>Eve</b>', vars: { plan: 'Pro' } }, 'https://m.example/u/1'));
    expect(eve.text).toBe('HI <b>Eve</b>\n\nPro & more\n\nUnsubscribe [https://m.example/u/1]');
    expect(eve.html).toContain('&lt;b&gt;Eve&lt;/b&gt;');
    const ann = newsletter.render(mergeScope({ email: 'ann@example.org' }, 'https://m.example/u/2'));
    expect(ann.text).toBe('HI reader\n\n & more\n\nUnsubscribe [https://m.example/u/2]');
  });

  it('sends HTML only when the derived text cannot be made', () => {
    const scope = mergeScope({ email: 'ann@example.org' }, 'https://m.example/u');
    expect(compiled({ from: 'n@acme.example', subject: 'S', html: '<style>{{ x }}</style><p>Hi</p>' }).render(scope)).toEqual({ subject: 'S', html: '<style></style><p>Hi</p>' });
  });

  it('with click tracking, resolves the derived text\'s links per recipient (the URL itself without a tracker); an explicit text is left alone', () => {
    const html = '<p><a href="{{ link }}">Read</a> <a href="https://acme.example/b?x=1&amp;y=2">More</a></p>';
    const newsletter = compiled({ from: 'n@acme.example', subject: 'S', html, tracking: { opens: false, clicks: true } });
    const scope = mergeScope({ email: 'ann@example.org', vars: { link: 'https://acme.example/a' } }, 'https://m.example/u');
    const tracked = (url: string) => (url.endsWith('/a') ? 'https://m.example/c/A' : undefined);
    expect(newsletter.render(scope, tracked).text).toBe('Read [https://m.example/c/A] More [https://acme.example/b?x=1&y=2]');
    expect(newsletter.render(scope).text).toBe('Read [https://acme.example/a] More [https://acme.example/b?x=1&y=2]');
    // The HTML is tracked by trackedHtml afterwards, not here.
    expect(newsletter.render(scope, tracked).html).toBe('<p><a href="https://acme.example/a">Read</a> <a href="https://acme.example/b?x=1&amp;y=2">More</a></p>');
    const explicit = compiled({ from: 'n@acme.example', subject: 'S', html, text: 'Read: {{ link }}', tracking: { opens: false, clicks: true } });
    expect(explicit.render(scope, tracked).text).toBe('Read: https://acme.example/a');
  });

  it('removes line breaks that merge data brings into the subject (header injection)', () => {
    const scope = mergeScope({ email: 'ann@example.org', name: 'Ann\r\nBcc: victim@example.org' }, 'https://m.example/u');
    const { subject } = compiled(content).render(scope);
    expect(subject).toBe('Hello Ann Bcc: victim@example.org');
    expect(subject).not.toMatch(/[\r\n]/);
  });

  it('says which field does not compile, and where', () => {
    const result = compileNewsletter({ ...content, text: 'ok\n{{ name | shout }}' });
    expect(result).toBeInstanceOf(TemplateError);
    expect(result).toMatchObject({ field: 'text', line: 2, column: 1 });
  });
});

describe('singleLineSubject', () => {
  it.each([
    ['a\r\nb', 'a b'],
    ['a\nb\rc', 'a b c'],
    ['a\u2028b\u0085c', 'a b c'],
    ['tab\there', 'tab here'],
    ['bell\u0007 and nul\u0000', 'bell and nul'],
    ['  padded \n', 'padded'],
  ])('%j → %j', (input, expected) => {
    expect(singleLineSubject(input)).toBe(expected);
  });
});
