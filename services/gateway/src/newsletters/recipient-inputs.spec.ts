import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { CreateNewsletterDto } from './create-newsletter.dto';
import { TestNewsletterDto } from './test-newsletter.dto';
import { recipientsPlainlyValid } from './recipient-inputs';

const validate = (dto: object) => validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });

/**
 * What class-validator's nested rules say about `recipients` (the gateway pipe's options): a test
 * send's DTO checks the same RecipientInput rules and never takes the plain-check shortcut.
 */
function fullyValid(recipients: unknown[]): boolean {
  const errors = validate(plainToInstance(TestNewsletterDto, { subject: 'Hi', html: '<p>Hi</p>', recipients }));
  return !errors.some((e) => e.property === 'recipients');
}

const items: Array<[string, unknown]> = [
  ['a bare address', 'ann@example.org'],
  ['an address with spaces around it', '  ann@example.org '],
  ['an object with a name and vars', { email: 'bob@example.org', name: 'Bob\tBuilder', vars: { city: 'Lyon' } }],
  ['null name and vars', { email: 'bob@example.org', name: null, vars: null }],
  ['an empty address', ''],
  ['a display name', 'Eve <eve@example.org>'],
  ['two addresses', 'a@example.org,b@example.org'],
  ['CR/LF in an address', 'a@example.org\r\nBcc: x@evil.org'],
  ['an address over 320 characters', `${'a'.repeat(310)}@example.org`],
  ['a number', 42],
  ['a list', ['a@example.org']],
  ['null', null],
  ['CR/LF in a name', { email: 'a@example.org', name: 'A\r\nBcc: x@evil.org' }],
  ['a Unicode line separator in a name', { email: 'a@example.org', name: 'A\u2028B' }],
  ['a name over 256 characters', { email: 'a@example.org', name: 'x'.repeat(257) }],
  ['a name that is a number', { email: 'a@example.org', name: 7 }],
  ['an unknown field', { email: 'a@example.org', cc: 'x@evil.org' }],
  ['vars that are not strings', { email: 'a@example.org', vars: { city: 7 } }],
  ['an object without an address', { name: 'Nobody' }],
];

describe('recipientsPlainlyValid', () => {
  it.each(items)('never passes what the full validation refuses: %s', (_what, item) => {
    const recipients = ['first@example.org', item];
    if (recipientsPlainlyValid(recipients)) expect(fullyValid(recipients)).toBe(true);
  });

  it('passes the ordinary shapes, so large valid requests skip the nested validation', () => {
    expect(recipientsPlainlyValid(items.slice(0, 4).map(([, item]) => item))).toBe(true);
    expect(fullyValid(items.slice(0, 4).map(([, item]) => item))).toBe(true);
  });

  it('takes the shortcut in a newsletter request, and still names a bad recipient when there is one', () => {
    const ok = plainToInstance(CreateNewsletterDto, { subject: 'Hi', html: '<p>Hi</p>', recipients: ['a@example.org', { email: 'b@example.org', name: 'B' }] });
    expect(validate(ok)).toEqual([]);
    expect(ok.recipients).toEqual([{ email: 'a@example.org' }, { email: 'b@example.org', name: 'B' }]);
    const bad = plainToInstance(CreateNewsletterDto, { subject: 'Hi', html: '<p>Hi</p>', recipients: ['a@example.org', { email: 'b@example.org', name: 7 }] });
    const [error] = validate(bad);
    expect(error?.property).toBe('recipients');
    expect(error?.children?.[0]).toMatchObject({ property: '1', children: [{ property: 'name' }] });
  });

  it('refuses what is not a non-empty list', () => {
    expect(recipientsPlainlyValid([])).toBe(false);
    expect(recipientsPlainlyValid('a@example.org')).toBe(false);
    expect(recipientsPlainlyValid(undefined)).toBe(false);
  });
});
