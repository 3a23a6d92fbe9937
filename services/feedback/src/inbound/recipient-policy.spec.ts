import { bounceAddress, FeedbackTokens } from '@mailroom/contracts';
import { checkRecipient } from './recipient-policy';

const tokens = new FeedbackTokens('a-test-bounce-secret-of-32-characters!!');
const token = tokens.sign({ newsletterId: '5a1f6f0e-3c1b-4f4e-9a53-0f2a4c5d6e7f', batchIndex: 0, addressHashPrefix: 'AbCdEf12' })!;

describe('checkRecipient (RCPT TO at the feedback service)', () => {
  it('takes a signed bounce address, in any case, and any other address of the bounce domain (feedback loops)', () => {
    expect(checkRecipient(bounceAddress(token, 'bounces.example.org'), 'bounces.example.org', tokens)).toEqual({ accept: true });
    expect(checkRecipient(bounceAddress(token.toUpperCase(), 'BOUNCES.example.org'), 'bounces.example.org', tokens)).toEqual({ accept: true });
    expect(checkRecipient('fbl@bounces.example.org', 'bounces.example.org', tokens)).toEqual({ accept: true });
  });

  it('refuses every other domain (never a relay) and a bounce address that was altered or not signed by us', () => {
    expect(checkRecipient('someone@example.org', 'bounces.example.org', tokens)).toMatchObject({ accept: false, code: 550, message: expect.stringContaining('5.7.1') });
    expect(checkRecipient(`${token}@bounces.example.org.evil.test`, 'bounces.example.org', tokens)).toMatchObject({ accept: false, code: 550 });
    const altered = `${token.slice(0, -1)}${token.endsWith('a') ? 'b' : 'a'}@bounces.example.org`;
    expect(checkRecipient(altered, 'bounces.example.org', tokens)).toMatchObject({ accept: false, code: 550, message: expect.stringContaining('5.1.1') });
    expect(checkRecipient('b1short@bounces.example.org', 'bounces.example.org', tokens)).toMatchObject({ accept: false, code: 550 });
  });
});
