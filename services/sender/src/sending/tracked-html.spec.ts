import { MAX_TRACKED_URL_LENGTH, TrackingTokens } from '@mailroom/contracts';
import type { TrackingConfig } from '../config/tracking.config';
import { linkTracker, trackedHtml, type TrackedRecipient } from './tracked-html';

const BASE = 'https://mail.acme.example';
const tokens = new TrackingTokens('a-test-secret-that-is-long-enough-000');
const config: TrackingConfig = { baseUrl: BASE, tokens };
const recipient: TrackedRecipient = { newsletterId: '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00', batchIndex: 3, email: 'ann@example.org' };
const PIXEL = `${BASE}/o/pixel-token`;

/** The HTML with every tracked link of the recipient. */
const clicks = (html: string) => trackedHtml(html, { link: linkTracker(config, recipient) });

/** The URL a tracked link leads to (its token's claim), or the href itself when untracked. */
const target = (href: string): string => {
  if (!href.startsWith(`${BASE}/c/`)) return `untracked ${href}`;
  const check = tokens.verify(href.slice(`${BASE}/c/`.length));
  if (!check.ok || check.claim.kind !== 'click') throw new Error(`not a click token: ${href}`);
  const { url, ...claim } = check.claim;
  expect(claim).toEqual({ kind: 'click', ...recipient });
  return url;
};
/** The hrefs of the <a> tags (quoted either way), in order. */
const hrefs = (html: string) => [...html.matchAll(/<a\b[^>]*?href\s*=\s*(["'])(.*?)\1/gi)].map((m) => m[2]!);

describe('linkTracker and trackedHtml: links', () => {
  it('rewrites double- and single-quoted hrefs of http and https links, keeping everything else byte for byte', () => {
    const html = '<p>Read <a class="x" href="https://acme.example/a" target=_blank>this</a> and <a title=\'t\' href=\'http://acme.example/b\' >that</a>.</p>';
    const out = clicks(html);
    const [a, b] = hrefs(out);
    expect([target(a!), target(b!)]).toEqual(['https://acme.example/a', 'http://acme.example/b']);
    expect(out).toBe(`<p>Read <a class="x" href="${a}" target=_blank>this</a> and <a title='t' href='${b}' >that</a>.</p>`);
    expect(a).toMatch(/^https:\/\/mail\.acme\.example\/c\/[A-Za-z0-9_-]+$/);
  });

  it('matches <A HREF=…> and the scheme in any case, and attributes spread over lines', () => {
    const out = clicks('<A\n  Class="c"\n  HREF = "HTTPS://Acme.Example/Up">Up</A><a\thref="HtTp://acme.example/x">x</a>');
    expect(hrefs(out).map(target)).toEqual(['HTTPS://Acme.Example/Up', 'HtTp://acme.example/x']);
    expect(out).toMatch(/^<A\n {2}Class="c"\n {2}HREF = "https:\/\/mail\.acme\.example\/c\/[^"]+">Up<\/A><a\thref="https:/);
  });

  it('signs the URL a browser follows: character references decoded, surrounding spaces and line breaks dropped', () => {
    const out = clicks('<a href="https://acme.example/p?a=1&amp;b=2&#38;c=&quot;3&quot;&copy=4">p</a><a href=" https://acme.example/q\n?x=1 ">q</a>');
    expect(hrefs(out).map(target)).toEqual(['https://acme.example/p?a=1&b=2&c="3"&copy=4', 'https://acme.example/q?x=1']);
  });

  it('leaves mailto:, tel:, other schemes, anchors, relative URLs, the unsubscribe link and overlong URLs as they are', () => {
    const long = `https://acme.example/${'x'.repeat(MAX_TRACKED_URL_LENGTH - 20)}`;
    const html = [
      '<a href="mailto:help@acme.example">mail</a>',
      '<a href="tel:+4712345678">call</a>',
      '<a href="ftp://acme.example/f">ftp</a>',
      '<a href="javascript:alert(1)">js</a>',
      '<a href="#top">top</a>',
      '<a href="/relative/path">rel</a>',
      '<a href="//acme.example/protocol-relative">pr</a>',
      '<a href="acme.example/no-scheme">ns</a>',
      '<a href="">empty</a>',
      `<a href="${BASE}/unsubscribe/abc-token">unsubscribe</a>`,
      `<a href="${BASE.toUpperCase()}/UNSUBSCRIBE/abc-token">UNSUBSCRIBE</a>`,
      `<a href="${long}">long</a>`,
    ].join('');
    expect(long.length).toBeGreaterThan(MAX_TRACKED_URL_LENGTH);
    expect(clicks(html)).toBe(html);
    // A URL of exactly the maximum is tracked.
    const longest = long.slice(0, MAX_TRACKED_URL_LENGTH);
    expect(target(hrefs(clicks(`<a href="${longest}">x</a>`))[0]!)).toBe(longest);
  });

  it('leaves unquoted and valueless hrefs untracked (documented), and only the first href of a tag counts', () => {
    const html = '<a href=https://acme.example/unquoted>u</a><a href>none</a><a href=https://acme.example/1 href="https://acme.example/2">two</a>';
    expect(clicks(html)).toBe(html);
    const out = clicks('<a href="https://acme.example/first" HREF="https://acme.example/second">x</a>');
    expect(hrefs(out).map(target)).toEqual(['https://acme.example/first']);
    expect(out).toContain('HREF="https://acme.example/second"');
  });

  it('touches only <a> tags: not <link>, <area>, <abbr>, data-href, nor an href inside another attribute', () => {
    const html =
      '<link rel="stylesheet" href="https://acme.example/s.css"><area href="https://acme.example/map"><abbr href="https://acme.example/ab">ab</abbr>' +
      '<base href="https://acme.example/"><a data-href="https://acme.example/d" title="see href=&quot;https://acme.example/t&quot; > here">no href</a>';
    expect(clicks(html)).toBe(html);
    const out = clicks('<a title="a > b, href=\'https://acme.example/fake\'" href="https://acme.example/real">x</a>');
    expect(out.startsWith('<a title="a > b, href=\'https://acme.example/fake\'" href="https://mail.acme.example/c/')).toBe(true);
    expect(target(/ href="([^"]+)"/.exec(out)![1]!)).toBe('https://acme.example/real');
  });

  it('stops at an <a tag that never ends, leaving the rest as it is', () => {
    const html = '<a href="https://acme.example/ok">ok</a><a href="https://acme.example/cut';
    const out = clicks(html);
    expect(target(hrefs(out)[0]!)).toBe('https://acme.example/ok');
    expect(out.endsWith('</a><a href="https://acme.example/cut')).toBe(true);
  });

  it('signs a URL once per recipient however often it appears, and gives each recipient their own token', () => {
    const sign = jest.spyOn(tokens, 'sign');
    const html = '<a href="https://acme.example/x">1</a><a href=\'https://acme.example/x\'>2</a>';
    const [first, second] = hrefs(clicks(html));
    expect(first).toBe(second);
    expect(sign).toHaveBeenCalledTimes(1);
    sign.mockRestore();
    const bob = hrefs(trackedHtml(html, { link: linkTracker(config, { ...recipient, email: 'bob@example.org' }) }));
    expect(bob[0]).not.toBe(first);
  });

  it('writes an attribute-safe href when PUBLIC_BASE_URL has characters that need escaping', () => {
    const odd = linkTracker({ baseUrl: "https://mail.acme.example/it's&co", tokens }, recipient);
    const out = trackedHtml("<a href='https://acme.example/'>x</a>", { link: odd });
    expect(out).toMatch(/^<a href='https:\/\/mail\.acme\.example\/it&#39;s&amp;co\/c\/[A-Za-z0-9_-]+'>x<\/a>$/);
  });

  it('shows neither the address nor the URL in the tracked link', () => {
    const out = clicks('<a href="https://acme.example/secret-page">x</a>');
    expect(out).not.toMatch(/ann|secret-page|acme\.example\/secret/);
  });
});

describe('trackedHtml: the open pixel', () => {
  const pixel = `<img src="${PIXEL}" width="1" height="1" alt="" style="display:block;border:0;width:1px;height:1px">`;

  it('goes just before the last </body>, in any case', () => {
    expect(trackedHtml('<html><body><p>Hi</p></body></html>', { pixelUrl: PIXEL })).toBe(`<html><body><p>Hi</p>${pixel}</body></html>`);
    expect(trackedHtml('<BODY>a</BODY >\n<!-- </body> -->x</Body>', { pixelUrl: PIXEL })).toBe(`<BODY>a</BODY >\n<!-- </body> -->x${pixel}</Body>`);
    expect(trackedHtml('<p>a</p></bodyguard>', { pixelUrl: PIXEL })).toBe(`<p>a</p></bodyguard>${pixel}`);
  });

  it('is appended at the end of HTML without </body>', () => {
    expect(trackedHtml('<p>Hi</p>', { pixelUrl: PIXEL })).toBe(`<p>Hi</p>${pixel}`);
    expect(trackedHtml('', { pixelUrl: PIXEL })).toBe(pixel);
  });

  it('comes with tracked links when both are asked for, and is not itself a link', () => {
    const out = trackedHtml('<body><a href="https://acme.example/">x</a></body>', { link: linkTracker(config, recipient), pixelUrl: PIXEL });
    expect(out).toMatch(new RegExp(`^<body><a href="https://mail\\.acme\\.example/c/[^"]+">x</a>${pixel.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}</body>$`));
  });
});

describe('trackedHtml: nothing to do', () => {
  const html = '<!doctype html>\n<html><BODY><a href="https://acme.example/">x</a> &amp; <img src="https://acme.example/logo.png"></BODY></html>\n';

  it('leaves the HTML byte for byte when neither is asked for, or no link is trackable', () => {
    expect(trackedHtml(html, {})).toBe(html);
    expect(trackedHtml(html, { link: () => undefined })).toBe(html);
    const plain = '<p>No links, <a name="top">an anchor</a>, <a href="mailto:x@acme.example">mail</a></p>';
    expect(clicks(plain)).toBe(plain);
  });
});
