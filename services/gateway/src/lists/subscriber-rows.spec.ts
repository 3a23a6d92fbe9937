import { subscriberFromFields } from './csv-row';
import { subscriberFromJson } from './ndjson-row';
import { checkSubscriber } from './subscriber-checks';
import { columnsFromHeader } from './subscriber-columns';

describe('columnsFromHeader', () => {
  it('finds email and name without regard to case; every other named column is a var', () => {
    expect(columnsFromHeader(['Email', ' city ', 'NAME', '', 'First Name'])).toEqual({
      email: 0,
      name: 2,
      vars: [
        { index: 1, name: 'city' },
        { index: 4, name: 'First Name' },
      ],
      count: 5,
    });
  });

  it.each([
    [['name', 'city'], 'CSV header row: needs an "email" column (the first line names the columns, e.g. "email,name,city")'],
    [['email', 'Email'], 'CSV header row: column "Email" appears twice'],
    [['email', 'city', 'city'], 'CSV header row: column "city" appears twice'],
    [['email', '__proto__'], 'CSV header row: column name "__proto__" is a reserved name'],
    [['email', 'x'.repeat(65)], `CSV header row: column name "${'x'.repeat(64)}" is longer than 64 characters`],
    [['email', ...Array.from({ length: 51 }, (_, i) => `c${i}`)], 'CSV header row: at most 50 custom columns besides email and name (found 51)'],
  ])('refuses %j', (header, message) => {
    expect(() => columnsFromHeader(header)).toThrow(message);
  });
});

describe('CSV rows', () => {
  const columns = columnsFromHeader(['email', 'name', 'city', 'plan']);

  it.each([
    [['Ann@Example.ORG', ' Ann ', 'Oslo', 'pro'], { ok: true, subscriber: { email: 'Ann@example.org', name: 'Ann', vars: { city: 'Oslo', plan: 'pro' } } }],
    [['bob@example.org', '', '', ''], { ok: true, subscriber: { email: 'bob@example.org' } }],
    [['bob@example.org'], { ok: true, subscriber: { email: 'bob@example.org' } }],
    [['bob@example.org', 'Bob', 'Lyon', '', '', ''], { ok: true, subscriber: { email: 'bob@example.org', name: 'Bob', vars: { city: 'Lyon' } } }],
    [['bob@example.org', 'Bob', 'Lyon', 'free', 'extra'], { ok: false, reason: 'has 5 fields, but the header has 4' }],
    [['', 'Nobody', 'Rome', ''], { ok: false, reason: 'email is missing' }],
    [['not-an-address', '', '', ''], { ok: false, reason: 'invalid email: missing "@"' }],
    [['x@localhost', '', '', ''], { ok: false, reason: 'invalid email: domain has no top-level part' }],
    [['a@example.org', 'x'.repeat(257), '', ''], { ok: false, reason: 'name is longer than 256 characters' }],
    [['a@example.org', 'two\nlines', '', ''], { ok: false, reason: 'name must not contain line breaks or control characters' }],
    [['a@example.org', '', 'x'.repeat(1001), ''], { ok: false, reason: 'custom columns: city is longer than 1000 characters' }],
  ])('%j', (fields, expected) => {
    expect(subscriberFromFields(columns, fields)).toEqual(expected);
  });
});

describe('NDJSON rows', () => {
  it.each([
    ['{"email":"ann@example.org","name":"Ann","city":"Oslo"}', { ok: true, subscriber: { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo' } } }],
    ['{"email":"ann@example.org","age":42,"vip":true,"note":null}', { ok: true, subscriber: { email: 'ann@example.org', vars: { age: '42', vip: 'true' } } }],
    ['{"email":"ann@example.org","vars":{"city":"Oslo"},"plan":"pro"}', { ok: true, subscriber: { email: 'ann@example.org', vars: { city: 'Oslo', plan: 'pro' } } }],
    ['{"email":"ann@example.org","tags":["a"]}', { ok: false, reason: 'tags must be text, a number or a boolean' }],
    ['{"email":"ann@example.org","__proto__":"x"}', { ok: false, reason: 'field name "__proto__" is a reserved name' }],
    ['{"email":"ann@example.org","vars":{"constructor":"x"}}', { ok: false, reason: 'vars: field name "constructor" is a reserved name' }],
    ['{"email":42}', { ok: false, reason: 'email must be text' }],
    ['{"name":"Ann"}', { ok: false, reason: 'email is missing' }],
    ['{"email":"ann@example.org","name":7}', { ok: false, reason: 'name must be text' }],
    ['["ann@example.org"]', { ok: false, reason: 'must be a JSON object' }],
    ['{"email":', { ok: false, reason: 'not valid JSON' }],
  ])('%s', (line, expected) => {
    expect(subscriberFromJson(line)).toEqual(expected);
  });

  it('never touches the prototype of the vars it builds', () => {
    const result = subscriberFromJson('{"email":"a@example.org","city":"Oslo"}');
    expect(result.ok && Object.getPrototypeOf(result.subscriber.vars)).toBe(Object.prototype);
  });
});

describe('checkSubscriber', () => {
  it('normalises the address as the splitter does (the de-duplication key)', () => {
    expect(checkSubscriber('  Bob@EXAMPLE.org ', undefined, undefined)).toEqual({ ok: true, subscriber: { email: 'Bob@example.org' } });
  });
});
