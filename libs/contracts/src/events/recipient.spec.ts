import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { BatchReadyEvent } from './batch-ready.event';
import { checkRecipientList, RECIPIENT_NAME_MAX_LENGTH } from './recipient';

describe('checkRecipientList', () => {
  it.each([
    ['a list of addresses, names and vars', [{ email: 'a@example.org' }, { email: 'b@example.org', name: 'Bea', vars: { city: 'Oslo' } }], null],
    ['null for an optional field', [{ email: 'a@example.org', name: null, vars: null }], null],
    ['not an array', { email: 'a@example.org' }, 'must be an array of recipients'],
    ['an item that is not an object', [{ email: 'a@example.org' }, 'b@example.org'], '[1] must be an object'],
    ['a bad address, by index', [{ email: 'a@example.org' }, { email: 'a@example.org' }, { email: 'Eve <e@x.org>' }], '[2].email must be a valid email address'],
    ['a missing address', [{ name: 'Nobody' }], '[0].email must be a valid email address'],
    ['a name too long', [{ email: 'a@example.org', name: 'x'.repeat(RECIPIENT_NAME_MAX_LENGTH + 1) }], '[0].name must be a string of at most 256 characters'],
    ['a name that is not a string', [{ email: 'a@example.org', name: 7 }], '[0].name must be a string of at most 256 characters'],
    ['bad vars', [{ email: 'a@example.org', vars: { city: 7 } }], '[0].vars city must be a string'],
  ])('%s', (_what, value, reason) => {
    expect(checkRecipientList(value)).toBe(reason);
  });

  it('names the bad recipient in a batch event that fails validation', () => {
    const batch = plainToInstance(BatchReadyEvent, {
      newsletterId: '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b',
      occurredAt: new Date().toISOString(),
      batchIndex: 0,
      contentObject: 'content',
      recipients: [{ email: 'a@example.org' }, { email: 'not an address' }],
    });
    expect(validateSync(batch).flatMap((e) => Object.values(e.constraints ?? {}))).toEqual(['recipients[1].email must be a valid email address']);
  });
});
