import { FeedbackTokens, UnsubscribeTokens, type NewsletterContent } from '@mailroom/contracts';
import type { UnsubscribeConfig } from '../config/unsubscribe.config';
import { PersonalisedEmails } from './personalised-emails';
import { exactBytesIfOver, RenderBreaker } from './render-breaker';

describe('RenderBreaker', () => {
  it('stops a newsletter after N failures in a row, with the last reason', () => {
    const breaker = new RenderBreaker(3);
    breaker.failed('n1', 'a');
    breaker.failed('n1', 'b');
    breaker.succeeded('n1');
    breaker.failed('n1', 'c');
    breaker.failed('n1', 'd');
    expect(breaker.stoppedReason('n1')).toBeUndefined();
    breaker.failed('n1', 'e');
    expect(breaker.stoppedReason('n1')).toBe('the newsletter was stopped after its template failed for 3 recipients in a row (last: e)');
    expect(breaker.stoppedReason('n2')).toBeUndefined();
  });
});

describe('exactBytesIfOver', () => {
  it('counts UTF-8 bytes, not characters, at the limit and past it', () => {
    // 'é' is 2 bytes, '€' 3, an emoji 4 (two UTF-16 code units).
    expect(exactBytesIfOver({ subject: 'ééééé' }, 10)).toBeUndefined(); // 10 bytes: at the limit
    expect(exactBytesIfOver({ subject: 'éééééé' }, 10)).toBe(12);
    expect(exactBytesIfOver({ subject: 'S', html: '€€€', text: '😀' }, 13)).toBe(14);
    expect(exactBytesIfOver({ subject: 'S', html: '€€€', text: '😀' }, 14)).toBeUndefined();
    expect(exactBytesIfOver({ subject: 'abcd' }, 10)).toBeUndefined(); // 4 code units × 3 > 10: counted exactly, 4 bytes
    expect(exactBytesIfOver({ subject: 'x'.repeat(3_000), html: '€'.repeat(1_000) }, 5_999)).toBe(6_000);
  });
});

describe('PersonalisedEmails under the rendering bounds', () => {
  const unsubscribe: UnsubscribeConfig = { baseUrl: 'https://mail.acme.example', tokens: new UnsubscribeTokens('a-test-secret-that-is-long-enough-000'), developmentSecret: false };
  const feedback = { tokens: new FeedbackTokens('a-test-bounce-secret-that-is-long-enough'), developmentSecret: false };
  const NEWSLETTER = { newsletterId: '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00', batchIndex: 0 };

  it('fails a recipient whose email renders past MAX_RENDERED_EMAIL_BYTES, then stops the newsletter', () => {
    const emails = new PersonalisedEmails({ unsubscribe, feedback, rendering: { maxEmailBytes: 10_000, failuresToStop: 2 } });
    const content: NewsletterContent = { subject: 'Hi', from: 'news@acme.example', text: '{% for i in (1..100) %}{{ pad }}{% endfor %}' };
    const recipient = { email: 'a@example.org', vars: { pad: 'x'.repeat(1000) } };
    const first = emails.build(NEWSLETTER, content, recipient);
    expect(first).toEqual({ ok: false, reason: expect.stringContaining('above the limit of 10000 (MAX_RENDERED_EMAIL_BYTES)') });
    emails.build(NEWSLETTER, content, recipient);
    expect(emails.build(NEWSLETTER, content, { email: 'b@example.org' })).toEqual({ ok: false, reason: expect.stringContaining('stopped after its template failed for 2 recipients') });
  });
});
