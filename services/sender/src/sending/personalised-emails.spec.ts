import { UnsubscribeTokens, type NewsletterContent } from '@mailroom/contracts';
import type { UnsubscribeConfig } from '../config/unsubscribe.config';
import { PersonalisedEmails } from './personalised-emails';
import { TemplateCache } from './template-cache';

const tokens = new UnsubscribeTokens('a-test-secret-that-is-long-enough-000');
const config: UnsubscribeConfig = { baseUrl: 'https://mail.acme.example', mailto: 'unsubscribe@acme.example', tokens, developmentSecret: false };
const content: NewsletterContent = {
  from: 'Acme <news@acme.example>',
  subject: 'Hi {{ name | default: "reader" }}',
  html: '<a href="{{ unsubscribe_url }}">Unsubscribe</a>',
  text: 'Unsubscribe: {{ unsubscribe_url }}',
};
const NEWSLETTER = '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00';

describe('PersonalisedEmails', () => {
  const emails = new PersonalisedEmails(config);

  it('builds the email with the recipient, rendered content and compliance headers', () => {
    const built = emails.build(NEWSLETTER, content, { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo' } });
    if (!built.ok) throw new Error(built.reason);
    const { email } = built;
    expect(email.to).toEqual({ email: 'ann@example.org', name: 'Ann' });
    expect(email.subject).toBe('Hi Ann');
    const url = /<(https:[^>]+)>/.exec(email.rawHeaders!['List-Unsubscribe']!)![1]!;
    expect(url).toMatch(/^https:\/\/mail\.acme\.example\/unsubscribe\/[A-Za-z0-9_-]+$/);
    expect(email.html).toBe(`<a href="${url}">Unsubscribe</a>`);
    expect(email.text).toBe(`Unsubscribe: ${url}`);
    const token = url.split('/').pop()!;
    expect(tokens.verify(token)).toEqual({ ok: true, claim: { newsletterId: NEWSLETTER, email: 'ann@example.org' } });
    expect(email.rawHeaders).toEqual({
      'List-Unsubscribe': `<${url}>, <mailto:unsubscribe@acme.example?subject=unsubscribe%20${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
    expect(email.messageId).toMatch(new RegExp(`^<${NEWSLETTER}\\.[A-Za-z0-9_-]{22}@acme\\.example>$`));
    expect(email.headers).toEqual({ 'X-Mailroom-Newsletter-Id': NEWSLETTER });
  });

  it('marks a test send', () => {
    const built = emails.build(NEWSLETTER, { ...content, test: true }, { email: 'ed@acme.example' });
    expect(built.ok && built.email.headers).toEqual({ 'X-Mailroom-Newsletter-Id': NEWSLETTER, 'X-Mailroom-Test': 'true' });
  });

  it('compiles a newsletter once, however many recipients', () => {
    const cache = new TemplateCache();
    const get = jest.spyOn(cache, 'get');
    const cached = new PersonalisedEmails(config, cache);
    for (const email of ['a@example.org', 'b@example.org', 'c@example.org']) cached.build(NEWSLETTER, content, { email });
    expect(get).toHaveBeenCalledTimes(3);
    const [first, ...others] = get.mock.results.map((r) => r.value as unknown);
    for (const other of others) expect(other).toBe(first);
  });

  it('fails (the same way for everyone) when the stored template does not compile', () => {
    const built = emails.build(NEWSLETTER, { ...content, html: '{% if %}' }, { email: 'ann@example.org' });
    expect(built).toMatchObject({ ok: false, reason: expect.stringContaining("the newsletter's template does not compile: html:") });
  });

  it('leaves the mailto out when none is configured', () => {
    const built = new PersonalisedEmails({ ...config, mailto: undefined }).build(NEWSLETTER, content, { email: 'ann@example.org' });
    expect(built.ok && built.email.rawHeaders!['List-Unsubscribe']).toMatch(/^<https:[^>]+>$/);
  });
});
