import { Logger } from '@nestjs/common';
import { addressHash, FeedbackTokens, feedbackTokenOf, TrackingTokens, UnsubscribeTokens, ViewTokens, type NewsletterContent } from '@mailroom/contracts';
import type { FeedbackConfig } from '../config/feedback.config';
import type { TrackingConfig } from '../config/tracking.config';
import type { UnsubscribeConfig } from '../config/unsubscribe.config';
import type { ViewConfig } from '../config/view.config';
import { PersonalisedEmails } from './personalised-emails';
import { TemplateCache } from './template-cache';

const tokens = new UnsubscribeTokens('a-test-secret-that-is-long-enough-000');
const unsubscribe: UnsubscribeConfig = { baseUrl: 'https://mail.acme.example', mailto: 'unsubscribe@acme.example', tokens, developmentSecret: false };
const feedbackTokens = new FeedbackTokens('a-test-bounce-secret-that-is-long-enough');
const feedback: FeedbackConfig = { tokens: feedbackTokens, developmentSecret: false };
const config = { unsubscribe, feedback };
const content: NewsletterContent = {
  from: 'Acme <news@acme.example>',
  subject: 'Hi {{ name | default: "reader" }}',
  html: '<a href="{{ unsubscribe_url }}">Unsubscribe</a>',
  text: 'Unsubscribe: {{ unsubscribe_url }}',
};
const NEWSLETTER_ID = '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00';
const NEWSLETTER = { newsletterId: NEWSLETTER_ID, batchIndex: 7 };

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
    expect(tokens.verify(token)).toEqual({ ok: true, claim: { newsletterId: NEWSLETTER_ID, email: 'ann@example.org' } });
    expect(email.rawHeaders).toEqual({
      'List-Unsubscribe': `<${url}>, <mailto:unsubscribe@acme.example?subject=unsubscribe%20${token}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
      'List-Id': '<default.acme.example>',
      'Feedback-ID': `${NEWSLETTER_ID}:default:newsletter:mailroom`,
    });
    expect(email.headers).toEqual({ 'X-Mailroom-Newsletter-Id': NEWSLETTER_ID });
    // Without BOUNCE_DOMAIN the envelope sender stays the From address.
    expect(email.envelopeFrom).toBeUndefined();
  });

  it('signs newsletter, batch and recipient into the Message-ID', () => {
    const built = emails.build(NEWSLETTER, content, { email: 'ann@example.org' });
    if (!built.ok) throw new Error(built.reason);
    expect(built.email.messageId).toMatch(/^<b1[a-z2-7]{58}@acme\.example>$/);
    expect(feedbackTokens.verify(feedbackTokenOf(built.email.messageId!)!)).toEqual({
      ok: true,
      claim: { newsletterId: NEWSLETTER_ID, batchIndex: 7, addressHashPrefix: addressHash('ann@example.org').slice(0, 8) },
    });
    // Stable: a resend of the same recipient is the same message.
    const again = emails.build(NEWSLETTER, content, { email: 'ann@example.org' });
    expect(again.ok && again.email.messageId).toBe(built.email.messageId);
  });

  it('with BOUNCE_DOMAIN, sends from a bounce address carrying the Message-ID token', () => {
    const bouncing = new PersonalisedEmails({ unsubscribe, feedback: { ...feedback, bounceDomain: 'bounces.acme.example' } });
    const built = bouncing.build(NEWSLETTER, content, { email: 'ann@example.org' });
    if (!built.ok) throw new Error(built.reason);
    expect(built.email.from).toBe(content.from);
    expect(built.email.envelopeFrom).toMatch(/^b1[a-z2-7]{58}@bounces\.acme\.example$/);
    expect(feedbackTokenOf(built.email.envelopeFrom!)).toBe(feedbackTokenOf(built.email.messageId!));
  });

  it('keeps the older Message-ID for a newsletter id that is not a UUID, with no bounce address', () => {
    const bouncing = new PersonalisedEmails({ unsubscribe, feedback: { ...feedback, bounceDomain: 'bounces.acme.example' } });
    const built = bouncing.build({ newsletterId: 'legacy-1', batchIndex: 0 }, content, { email: 'ann@example.org' });
    if (!built.ok) throw new Error(built.reason);
    expect(built.email.messageId).toBe(`<legacy-1.${addressHash('ann@example.org')}@acme.example>`);
    expect(built.email.envelopeFrom).toBeUndefined();
  });

  it("names the subscriber list, else the tenant, in List-Id; the tenant and kind in Feedback-ID", () => {
    const listId = '5d0c8f8e-1b7a-4c55-9d2e-0a1b2c3d4e5f';
    const forList = emails.build(NEWSLETTER, { ...content, listId, tenant: 'acme' }, { email: 'ann@example.org' });
    expect(forList.ok && forList.email.rawHeaders).toMatchObject({ 'List-Id': `<${listId}.acme.example>`, 'Feedback-ID': `${NEWSLETTER_ID}:acme:newsletter:mailroom` });
    const test = emails.build(NEWSLETTER, { ...content, tenant: 'Shop.EU', test: true }, { email: 'ann@example.org' });
    expect(test.ok && test.email.rawHeaders).toMatchObject({ 'List-Id': '<shop.eu.acme.example>', 'Feedback-ID': `${NEWSLETTER_ID}:Shop.EU:test:mailroom` });
  });

  it('adds Reply-To and the custom headers, Mailroom\'s own kept', () => {
    const built = emails.build(NEWSLETTER, { ...content, replyTo: 'Help <help@acme.example>', headers: { 'X-Campaign': 'spring' } }, { email: 'ann@example.org' });
    if (!built.ok) throw new Error(built.reason);
    expect(built.email.replyTo).toBe('Help <help@acme.example>');
    expect(built.email.headers).toEqual({ 'X-Campaign': 'spring', 'X-Mailroom-Newsletter-Id': NEWSLETTER_ID });
  });

  it('fails every recipient rather than send stored headers the allow-list refuses', () => {
    for (const headers of [{ 'X-Mailroom-Newsletter-Id': 'forged' } as Record<string, string>, { 'X-Note': 'a\r\nBcc: victim@example.org' }, { Bcc: 'victim@example.org' }]) {
      expect(emails.build(NEWSLETTER, { ...content, headers }, { email: 'ann@example.org' })).toEqual({
        ok: false,
        reason: expect.stringContaining("the newsletter's custom headers are refused:"),
      });
    }
  });

  it('marks a test send', () => {
    const built = emails.build(NEWSLETTER, { ...content, test: true }, { email: 'ed@acme.example' });
    expect(built.ok && built.email.headers).toEqual({ 'X-Mailroom-Newsletter-Id': NEWSLETTER_ID, 'X-Mailroom-Test': 'true' });
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
    const built = new PersonalisedEmails({ unsubscribe: { ...unsubscribe, mailto: undefined }, feedback }).build(NEWSLETTER, content, { email: 'ann@example.org' });
    expect(built.ok && built.email.rawHeaders!['List-Unsubscribe']).toMatch(/^<https:[^>]+>$/);
  });
});

describe('PersonalisedEmails: open and click tracking', () => {
  const trackingTokens = new TrackingTokens('a-test-secret-that-is-long-enough-000');
  const tracking: TrackingConfig = { baseUrl: 'https://mail.acme.example', tokens: trackingTokens };
  const html =
    '<html><body><p>Hi {{ name }}, <a href="https://acme.example/offer?id=1&amp;ref=news">the offer</a>, ' +
    '<a href="mailto:help@acme.example">help</a>, <a href="{{ unsubscribe_url }}">unsubscribe</a></p></body></html>';
  const tracked: NewsletterContent = { from: 'news@acme.example', subject: 'S', html, tracking: { opens: true, clicks: true } };
  const ann = { email: 'ann@example.org', name: 'Ann' };
  const claimOf = (url: string) => {
    const check = trackingTokens.verify(url.replace(/^https:\/\/mail\.acme\.example\/[co]\//, ''));
    if (!check.ok) throw new Error(`not a tracking link: ${url}`);
    return check.claim;
  };
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it('tracks the http(s) links and adds the pixel; the text part made from the HTML gets the same tracked links', () => {
    const built = new PersonalisedEmails({ ...config, tracking }).build(NEWSLETTER, tracked, ann);
    if (!built.ok) throw new Error(built.reason);
    const { html: out, text } = built.email;
    const click = /href="(https:\/\/mail\.acme\.example\/c\/[^"]+)"/.exec(out!)![1]!;
    expect(claimOf(click)).toEqual({ kind: 'click', newsletterId: NEWSLETTER_ID, batchIndex: 7, email: 'ann@example.org', url: 'https://acme.example/offer?id=1&ref=news' });
    const pixel = /<img src="([^"]+)" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px"><\/body><\/html>$/.exec(out!)![1]!;
    expect(claimOf(pixel)).toEqual({ kind: 'open', newsletterId: NEWSLETTER_ID, batchIndex: 7, email: 'ann@example.org' });
    const unsubscribe = /<(https:[^>]+)>/.exec(built.email.rawHeaders!['List-Unsubscribe']!)![1]!;
    expect(out).toContain(`<a href="mailto:help@acme.example">help</a>, <a href="${unsubscribe}">unsubscribe</a>`);
    // (Wrapped at 78 columns: compared with spaces for line breaks.)
    expect(text!.replace(/\s+/g, ' ')).toBe(`Hi Ann, the offer [${click}], help [help@acme.example], unsubscribe [${unsubscribe}]`);
  });

  it('tracks only what the newsletter asks for', () => {
    const emails = new PersonalisedEmails({ ...config, tracking });
    const opens = emails.build(NEWSLETTER, { ...tracked, tracking: { opens: true, clicks: false } }, ann);
    expect(opens.ok && opens.email.html).toMatch(/^<html><body><p>Hi Ann, <a href="https:\/\/acme\.example\/offer\?id=1&amp;ref=news">.*<img src="https:\/\/mail\.acme\.example\/o\/[^"]+"[^>]*><\/body><\/html>$/);
    expect(opens.ok && opens.email.text).toContain('the offer [https://acme.example/offer?id=1&ref=news]');
    const clicks = emails.build(NEWSLETTER, { ...tracked, tracking: { opens: false, clicks: true } }, ann);
    expect(clicks.ok && clicks.email.html).not.toContain('<img');
    expect(clicks.ok && clicks.email.html).toContain('<a href="https://mail.acme.example/c/');
  });

  it('leaves an explicit text part as it is, and a text-only newsletter untouched', () => {
    const emails = new PersonalisedEmails({ ...config, tracking });
    const withText = emails.build(NEWSLETTER, { ...tracked, text: 'Offer: https://acme.example/offer' }, ann);
    expect(withText.ok && withText.email.text).toBe('Offer: https://acme.example/offer');
    expect(withText.ok && withText.email.html).toContain('https://mail.acme.example/c/');
    const textOnly = emails.build(NEWSLETTER, { from: 'news@acme.example', subject: 'S', text: 'Offer: https://acme.example/offer', tracking: { opens: true, clicks: true } }, ann);
    expect(textOnly.ok && textOnly.email).toMatchObject({ subject: 'S', text: 'Offer: https://acme.example/offer' });
    expect(textOnly.ok && textOnly.email.html).toBeUndefined();
    expect(warn).not.toHaveBeenCalled();
  });

  it('changes nothing for a newsletter that does not ask (or asks for neither)', () => {
    const untracked = new PersonalisedEmails(config).build(NEWSLETTER, { ...tracked, tracking: undefined }, ann);
    for (const asked of [undefined, { opens: false, clicks: false }]) {
      const built = new PersonalisedEmails({ ...config, tracking }).build(NEWSLETTER, { ...tracked, tracking: asked }, ann);
      expect(built).toEqual(untracked);
    }
  });

  it('sends untracked, with one warning per newsletter, when this sender has no tracking configuration', () => {
    const emails = new PersonalisedEmails(config);
    const plain = new PersonalisedEmails(config).build(NEWSLETTER, { ...tracked, tracking: undefined }, ann);
    for (const email of ['ann@example.org', 'bob@example.org']) {
      const built = emails.build(NEWSLETTER, tracked, { ...ann, email });
      expect(built.ok && built.email.html).not.toMatch(/\/c\/|<img/);
    }
    expect(emails.build(NEWSLETTER, tracked, ann)).toEqual(plain);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(new RegExp(`^Newsletter ${NEWSLETTER_ID} asks for open or click tracking, but .*PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET.*untracked`));
    emails.build({ newsletterId: 'another', batchIndex: 0 }, tracked, ann);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('counts the tracked HTML against MAX_RENDERED_EMAIL_BYTES', () => {
    const content = { ...tracked, text: 'x' };
    const sizeOf = (built: ReturnType<PersonalisedEmails['build']>) => (built.ok ? Buffer.byteLength(built.email.subject + built.email.html! + built.email.text!) : NaN);
    const untrackedBytes = sizeOf(new PersonalisedEmails(config).build(NEWSLETTER, content, ann));
    const trackedBytes = sizeOf(new PersonalisedEmails({ ...config, tracking }).build(NEWSLETTER, content, ann));
    expect(trackedBytes).toBeGreaterThan(untrackedBytes);
    const rendering = { maxEmailBytes: trackedBytes - 1, failuresToStop: 10 };
    expect(new PersonalisedEmails({ ...config, rendering }).build(NEWSLETTER, content, ann).ok).toBe(true);
    expect(new PersonalisedEmails({ ...config, tracking, rendering }).build(NEWSLETTER, content, ann)).toMatchObject({ ok: false, reason: expect.stringContaining('above the limit') });
  });
});

describe('PersonalisedEmails: view_url', () => {
  const viewTokens = new ViewTokens('a-test-secret-that-is-long-enough-000');
  const view: ViewConfig = { baseUrl: 'https://mail.acme.example', tokens: viewTokens };
  const withView: NewsletterContent = {
    from: 'news@acme.example',
    subject: 'News for {{ name }}',
    html: '<html><body><p><a href="{{ view_url }}">View in your browser</a></p><p>Hi {{ name }}</p></body></html>',
  };
  const ann = { email: 'ann@example.org', name: 'Ann' };
  const viewOf = (html: string) => /href="(https:\/\/mail\.acme\.example\/v\/[A-Za-z0-9_-]+)"/.exec(html)?.[1];
  let warn: jest.SpyInstance;
  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  it("gives each recipient a link of their own, sealing newsletter, batch and address; the text part made from the HTML has the same", () => {
    const emails = new PersonalisedEmails({ ...config, view });
    const built = emails.build(NEWSLETTER, withView, ann);
    if (!built.ok) throw new Error(built.reason);
    const link = viewOf(built.email.html!)!;
    expect(viewTokens.verify(link.slice('https://mail.acme.example/v/'.length))).toEqual({ ok: true, claim: { newsletterId: NEWSLETTER_ID, batchIndex: 7, email: 'ann@example.org' } });
    expect(built.email.text).toContain(`View in your browser [${link}]`);
    const bob = emails.build(NEWSLETTER, withView, { email: 'bob@example.org' });
    expect(bob.ok && viewOf(bob.email.html!)).not.toBe(link);
    // In an explicit text part too, the same URL.
    const withText = emails.build(NEWSLETTER, { ...withView, text: 'Read it online: {{ view_url }}' }, ann);
    expect(withText.ok && withText.email.text).toBe(`Read it online: ${link}`);
    expect(warn).not.toHaveBeenCalled();
  });

  it('signs nothing for a newsletter that does not mention view_url', () => {
    const sign = jest.spyOn(viewTokens, 'sign');
    const emails = new PersonalisedEmails({ ...config, view });
    const built = emails.build(NEWSLETTER, { ...withView, html: '<p>Hi {{ name }}</p>' }, ann);
    expect(built.ok && built.email.html).toBe('<p>Hi Ann</p>');
    expect(sign).not.toHaveBeenCalled();
    emails.build(NEWSLETTER, withView, ann);
    expect(sign).toHaveBeenCalledTimes(1);
    sign.mockRestore();
  });

  it('renders empty, with one warning per newsletter, when this sender has no PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET of its own', () => {
    const emails = new PersonalisedEmails(config);
    for (const email of ['ann@example.org', 'bob@example.org']) {
      const built = emails.build(NEWSLETTER, withView, { ...ann, email });
      expect(built.ok && built.email.html).toContain('<a href="">View in your browser</a>');
    }
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]![0]).toMatch(new RegExp(`^Newsletter ${NEWSLETTER_ID} uses \\{\\{ view_url \\}\\}, but .*PUBLIC_BASE_URL and UNSUBSCRIBE_SECRET.*renders empty`));
    emails.build({ newsletterId: 'another', batchIndex: 0 }, withView, ann);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('is a link a click-tracked newsletter tracks like any other (the unsubscribe link is the one exception)', () => {
    const tracking: TrackingConfig = { baseUrl: 'https://mail.acme.example', tokens: new TrackingTokens('a-test-secret-that-is-long-enough-000') };
    const built = new PersonalisedEmails({ ...config, view, tracking }).build(NEWSLETTER, { ...withView, tracking: { opens: false, clicks: true } }, ann);
    expect(built.ok && built.email.html).toContain('<a href="https://mail.acme.example/c/');
    expect(built.ok && viewOf(built.email.html!)).toBeUndefined();
  });
});
