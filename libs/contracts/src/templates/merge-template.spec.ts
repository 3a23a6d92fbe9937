import { IsString } from 'class-validator';
import { validateSync } from 'class-validator';
import { IsMergeTemplate } from './is-merge-template.decorator';
import { mentionsViewUrl, mergeScope } from './merge-scope';
import * as templates from './merge-template';
import { checkMergeTemplate, compileMergeTemplate, MERGE_TEMPLATE_LIMITS, TemplateError, type TemplateField } from './merge-template';

const eve = mergeScope({ email: 'eve@example.org', name: '<b>Eve</b>', vars: { city: 'Oslo & Bergen' } }, 'https://m.example/unsubscribe/t0k');
const render = (field: TemplateField, source: string, scope = eve) => compileMergeTemplate(field, source).render(scope);

describe('compileMergeTemplate: rendering', () => {
  it.each<[string, TemplateField, string, string]>([
    ['html escapes merged values', 'html', '<p>Hi {{ name }} from {{ city }}</p>', '<p>Hi &lt;b&gt;Eve&lt;/b&gt; from Oslo &amp; Bergen</p>'],
    ['html keeps a value raw when asked', 'html', '{{ name | raw }}', '<b>Eve</b>'],
    ['text does not escape', 'text', 'Hi {{ name }} from {{ city }}', 'Hi <b>Eve</b> from Oslo & Bergen'],
    ['subject does not escape', 'subject', '{{ name }}: news', '<b>Eve</b>: news'],
    ['email and unsubscribe_url are fields', 'text', '{{ email }} {{ unsubscribe_url }}', 'eve@example.org https://m.example/unsubscribe/t0k'],
    ['a missing field renders empty', 'text', '[{{ company }}]', '[]'],
    ['the default filter fills a missing field', 'text', '{{ company | default: "friend" }}', 'friend'],
    ['a template without markup renders as itself', 'html', '<p>{ not liquid }</p>', '<p>{ not liquid }</p>'],
    ['nothing reaches a prototype', 'text', '[{{ name.constructor }}{{ constructor }}{{ __proto__ }}]', '[]'],
  ])('%s', (_what, field, source, expected) => {
    expect(render(field, source)).toBe(expected);
  });

  it('uses the default for a recipient without a name', () => {
    const scope = mergeScope({ email: 'ann@example.org' }, 'https://m.example/u');
    expect(render('text', 'Dear {{ name | default: "reader" }}', scope)).toBe('Dear reader');
  });

  it('does not let a custom column replace email or the unsubscribe link', () => {
    const scope = mergeScope({ email: 'ann@example.org', vars: { unsubscribe_url: 'https://evil.example', email: 'x@evil.example' } }, 'https://m.example/u');
    expect(render('text', '{{ email }} {{ unsubscribe_url }}', scope)).toBe('ann@example.org https://m.example/u');
  });
});

describe('compileMergeTemplate: errors name the field and the position', () => {
  it.each<[string, TemplateField, string, string, number, number]>([
    ['an unclosed output', 'subject', 'Hi {{ name ', 'output "{{ name " not closed', 1, 4],
    ['an unclosed tag', 'html', '<p>\n  {% if name %}x', 'tag {% if name %} not closed', 2, 3],
    ['an unknown tag', 'text', 'a {% frobnicate %}', 'tag "frobnicate" not found', 1, 3],
    ['an unknown filter', 'text', '{{ name | shout }}', 'undefined filter: shout', 1, 1],
    ['a tag that reads files', 'html', '{% include "/etc/passwd" %}', 'the include tag is not available (templates cannot read other templates or files)', 1, 1],
    ['render', 'html', 'x\n{% render "x" %}', 'the render tag is not available (templates cannot read other templates or files)', 2, 1],
  ])('%s', (_what, field, source, detail, line, column) => {
    let error: unknown;
    try {
      compileMergeTemplate(field, source);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TemplateError);
    expect(error).toMatchObject({ name: 'TemplateError', field, detail, line, column });
    expect((error as Error).message).toBe(`${field}: ${detail} (line ${line}, column ${column})`);
  });

  it('stops a render that would run away, with the position, instead of stalling the sender', () => {
    const template = compileMergeTemplate('text', 'ok\n{% for i in (1..1000000000) %}x{% endfor %}');
    expect(() => template.render(eve)).toThrow(TemplateError);
    expect(checkMergeTemplate('text', 'ok\n{% for i in (1..1000000000) %}x{% endfor %}', eve)).toMatchObject({ line: 2, column: 1 });
  });

  it('refuses more outputs and tags than LiquidJS parses quickly, at the first one too many', () => {
    const source = `Hello\n${'{{ name }} '.repeat(MERGE_TEMPLATE_LIMITS.maxMarkup)}{% if x %}`;
    const started = Date.now();
    let error: unknown;
    try {
      compileMergeTemplate('html', source);
    } catch (e) {
      error = e;
    }
    expect(Date.now() - started).toBeLessThan(100);
    expect(error).toMatchObject({ detail: `has more than ${MERGE_TEMPLATE_LIMITS.maxMarkup} outputs and tags`, line: 2, column: 11 * MERGE_TEMPLATE_LIMITS.maxMarkup + 1 });
    expect(() => compileMergeTemplate('html', '{{ name }} '.repeat(MERGE_TEMPLATE_LIMITS.maxMarkup))).not.toThrow();
  });

  it('checkMergeTemplate says null for a usable template', () => {
    expect(checkMergeTemplate('html', '<p>{{ name | default: "reader" }}</p>', eve)).toBeNull();
  });
});

describe('IsMergeTemplate', () => {
  class Body {
    @IsString()
    @IsMergeTemplate('html')
    content!: string;
  }
  const errorsOf = (content: unknown) => validateSync(Object.assign(new Body(), { content }));

  it('accepts a template that compiles', () => {
    expect(errorsOf('<p>Hi {{ name | default: "reader" }}</p>')).toEqual([]);
  });

  it('refuses one that does not, naming the property and the position', () => {
    const [error] = errorsOf('<p>Hi</p>\n<p>{{ name | shout }}</p>');
    expect(error?.constraints?.['isMergeTemplate']).toBe('content is not a valid template: undefined filter: shout (line 2, column 4)');
  });

  it('leaves a value that is not a string to the other rules', () => {
    const [error] = errorsOf(42);
    expect(Object.keys(error?.constraints ?? {})).toEqual(['isString']);
  });
});

describe('merge template budget (every recipient, not just the sample)', () => {
  it('stops a loop repeating a large string before it builds a huge email', () => {
    const template = compileMergeTemplate('text', `{% for i in (1..200) %}{{ big }}{% endfor %}`);
    expect(() => template.render({ email: 'a@example.org', big: 'x'.repeat(1024 * 1024) })).toThrow(/more than \d+ characters/);
  });

  it('stops a loop of many cheap iterations', () => {
    const template = compileMergeTemplate('text', '{% for i in (1..1000) %}{% for j in (1..1000) %}.{% endfor %}{% endfor %}');
    expect(() => template.render({ email: 'a@example.org' })).toThrow(/more than 200000 pieces of output|limit/);
  });

  it('fails for every recipient the sample check does not catch', () => {
    const template = compileMergeTemplate('text', '{% if email != "reader@example.org" %}{% for i in (1..4000) %}{% for j in (1..4000) %}{% endfor %}{% endfor %}{% endif %}ok');
    expect(template.render({ email: 'reader@example.org' })).toBe('ok');
    const started = Date.now();
    expect(() => template.render({ email: 'ann@example.org' })).toThrow();
    // The time budget is what bounds it (renderLimitMs); generous slack for a loaded machine.
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('IsMergeTemplate renders a refused template once', () => {
  it('compiles and renders once for validate and message together', () => {
    class Probe {
      @IsMergeTemplate('text')
      text = '{% for i in (1..1000) %}{% for j in (1..1000) %}.{% endfor %}{% endfor %}';
    }
    const spy = jest.spyOn(templates, 'checkMergeTemplate');
    const errors = validateSync(new Probe());
    expect(errors[0]?.constraints?.['isMergeTemplate']).toContain('text is not a valid template');
    expect(spy).toHaveBeenCalledTimes(1);
    spy.mockRestore();
  });
});

describe('view_url', () => {
  it('is a field, empty when not given, and a column cannot replace it', () => {
    expect(render('text', '[{{ view_url }}]', mergeScope({ email: 'ann@example.org' }, 'https://m.example/u'))).toBe('[]');
    const scope = mergeScope({ email: 'ann@example.org', vars: { view_url: 'https://evil.example' } }, 'https://m.example/u', 'https://m.example/v/t0k');
    expect(render('html', '<a href="{{ view_url }}">View</a>', scope)).toBe('<a href="https://m.example/v/t0k">View</a>');
    expect(render('text', '{{ view_url | default: "none" }}', mergeScope({ email: 'ann@example.org' }, 'https://m.example/u'))).toBe('none');
  });

  it('is noticed in any of the templates', () => {
    expect(mentionsViewUrl('Hi', '<a href="{{ view_url }}">x</a>', undefined)).toBe(true);
    expect(mentionsViewUrl('{{view_url}}')).toBe(true);
    expect(mentionsViewUrl('Hi {{ name }}', '<p>{{ unsubscribe_url }}</p>', undefined)).toBe(false);
  });
});
