import { liquidTemplate, type MergeScope, type TemplateField } from './merge-template';
import { compileSimpleTemplate } from './simple-template';

const scopes: MergeScope[] = [
  { name: 'Ann', email: 'ann@example.org', city: 'Oslo', unsubscribe_url: 'https://m.example/unsubscribe/abc' },
  { name: '<b>Eve</b> & "co" \'s', email: 'eve@example.org', city: '' },
  { email: 'x@example.org', name: undefined, city: '0' },
  { email: 'y@example.org', name: 'false', city: ' ', plan: 'nil' },
  { email: 'z@example.org', name: '{{ not markup }}', city: 'Zürich ✓ 😀', constructor: 'own' },
  {},
];

describe('compileSimpleTemplate renders exactly what Liquid renders', () => {
  it.each<[string]>([
    ['Hello {{ name }}'],
    ['Hello {{name}}!'],
    ['{{ name | default: "reader" }} from {{ city | default: \'somewhere\' }}'],
    ['{{name|default:"x"}}{{ city }}{{ missing }}{{ missing | default: "" }}'],
    ['<p>Hi {{ name | default: "<reader> & co" }}</p><a href="{{ unsubscribe_url }}">x</a>'],
    ['no markup at all, { braces } and } stray'],
    ['{{ constructor }}{{ __proto__ }}{{ toString }}'],
    ['line one\nline two {{ email }}\r\n'],
  ])('%j', (source) => {
    for (const field of ['html', 'text', 'subject'] as TemplateField[]) {
      const simple = compileSimpleTemplate(source, field === 'html');
      expect(simple).not.toBeNull();
      const liquid = liquidTemplate(field, source);
      for (const scope of scopes) {
        expect({ field, scope, out: simple!.render(scope) }).toEqual({ field, scope, out: liquid.render(scope) });
      }
    }
  });

  it.each([
    ['a tag', '{% if name %}x{% endif %}'],
    ['another filter', '{{ name | upcase }}'],
    ['whitespace control', 'a {{- name -}} b'],
    ['a literal', '{{ true }}{{ "x" }}'],
    ['a property', '{{ name.size }}'],
    ['a default with an escape', '{{ name | default: "a\\"b" }}'],
    ['a stray closing pair', 'a }} {{ name }}'],
  ])('leaves %s to Liquid', (_what, source) => {
    expect(compileSimpleTemplate(source, true)).toBeNull();
  });
});
