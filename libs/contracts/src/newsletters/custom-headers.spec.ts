import { checkCustomHeaders, CUSTOM_HEADER_LIMITS } from './custom-headers';

describe('checkCustomHeaders', () => {
  it('accepts X- headers within the limits, Unicode values included', () => {
    expect(checkCustomHeaders({ 'X-Campaign': 'spring-2026', 'x-crm-id': '42', 'X-Note': 'Grüße' })).toBeNull();
    expect(checkCustomHeaders({})).toBeNull();
    const twenty = Object.fromEntries(Array.from({ length: CUSTOM_HEADER_LIMITS.maxHeaders }, (_, i) => [`X-H${i}`, 'v']));
    expect(checkCustomHeaders(twenty)).toBeNull();
  });

  it.each<[string, unknown, RegExp]>([
    ['not an object', ['X-A'], /must be an object/],
    ['a name without X-', { Bcc: 'victim@example.org' }, /^"Bcc" is not allowed: custom headers are X- names/],
    ['a standard header', { 'Reply-To': 'a@example.org' }, /"Reply-To" is not allowed/],
    ['a name with a colon or space', { 'X-A: b': 'c' }, /is not allowed/],
    ['a name with a line break', { 'X-A\r\nBcc': 'c' }, /^"X-A\\r\\nBcc" is not allowed/],
    ["Mailroom's own", { 'X-Mailroom-Newsletter-Id': 'forged' }, /X-Mailroom- headers are set by Mailroom/],
    ['a provider instruction', { 'X-SMTPAPI': '{"to":["victim@example.org"]}' }, /instructions to an SMTP provider/],
    ['a provider instruction in another case', { 'x-ses-configuration-set': 'other' }, /instructions to an SMTP provider/],
    ['a CR/LF in a value (injection)', { 'X-Note': 'a\r\nBcc: victim@example.org' }, /^X-Note must not contain line breaks/],
    ['a Unicode line break', { 'X-Note': 'a\u2028b' }, /line breaks/],
    ['a value that is not a string', { 'X-Count': 3 }, /^X-Count must be a string/],
    ['a value too long', { 'X-Long': 'x'.repeat(1001) }, /longer than 1000/],
    ['a name too long', { [`X-${'a'.repeat(63)}`]: 'v' }, /longer than 64/],
    ['the same name twice', { 'X-A': '1', 'x-a': '2' }, /given twice/],
    ['too many', Object.fromEntries(Array.from({ length: 21 }, (_, i) => [`X-H${i}`, 'v'])), /more than 20 headers/],
  ])('refuses %s', (_what, value, message) => {
    expect(checkCustomHeaders(value)).toMatch(message);
  });
});
