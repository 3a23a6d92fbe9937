import { addressHash } from '../newsletters/ledger-entry';
import { normalizeAddress } from './normalize-address';
import { mailboxKey, suppressionKey } from './mailbox-key';

const normalised = (raw: string) => {
  const checked = normalizeAddress(raw);
  if (!checked.ok) throw new Error(checked.reason);
  return checked.email;
};

describe('mailboxKey / suppressionKey', () => {
  it.each([['Reader2998@example.org'], ['READER2998@EXAMPLE.ORG'], [' reader2998@Example.org '], ['reader2998@example.org']])('%s is the mailbox reader2998@example.org', (raw) => {
    expect(mailboxKey(normalised(raw))).toBe('reader2998@example.org');
    expect(suppressionKey(normalised(raw))).toBe(addressHash('reader2998@example.org'));
  });

  it('keeps IDNA domains as normalizeAddress encodes them', () => {
    expect(mailboxKey(normalised('Ann@Bücher.example'))).toBe('ann@xn--bcher-kva.example');
  });

  it('keeps different mailboxes apart', () => {
    expect(suppressionKey('ann@example.org')).not.toBe(suppressionKey('ann@example.com'));
    expect(suppressionKey('ann+news@example.org')).not.toBe(suppressionKey('ann@example.org'));
  });
});
