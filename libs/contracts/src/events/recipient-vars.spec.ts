import { checkRecipientList } from './recipient';
import { RECIPIENT_VARS_LIMITS, checkRecipientVars, checkVarName } from './recipient-vars';

describe('recipient vars', () => {
  it.each([
    [{}, null],
    [{ city: 'Oslo', 'First Name': 'Ann' }, null],
    [{ city: 3 }, 'city must be a string'],
    [[], 'must be an object of strings'],
    [null, 'must be an object of strings'],
    [{ ['x'.repeat(65)]: 'v' }, `name "${'x'.repeat(64)}" is longer than 64 characters`],
    [{ 'a\nb': 'v' }, 'name "a\nb" contains control characters'],
    [{ prototype: 'v' }, 'name "prototype" is a reserved name'],
    [{ bio: 'x'.repeat(1001) }, 'bio is longer than 1000 characters'],
  ])('%j: %s', (vars, reason) => {
    expect(checkRecipientVars(vars)).toBe(reason);
  });

  it('bounds the number of entries and their total length', () => {
    const many = Object.fromEntries(Array.from({ length: RECIPIENT_VARS_LIMITS.maxEntries + 1 }, (_, i) => [`k${i}`, 'v']));
    expect(checkRecipientVars(many)).toBe('has more than 50 entries');
    const long = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'x'.repeat(1000)]));
    expect(checkRecipientVars(long)).toBe('is longer than 8000 characters in all');
  });

  it('refuses an empty var name', () => {
    expect(checkVarName('')).toBe('is empty');
  });

  it('is part of the Recipient contract (optional)', () => {
    expect(checkRecipientList([{ email: 'a@example.org', vars: { city: 'Oslo' } }])).toBeNull();
    expect(checkRecipientList([{ email: 'a@example.org', vars: { city: 7 } }])).toBe('[0].vars city must be a string');
    expect(checkRecipientList([{ email: 'a@example.org' }])).toBeNull();
  });
});
