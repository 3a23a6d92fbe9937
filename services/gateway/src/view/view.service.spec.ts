import { ContentObjects, UnsubscribeTokens, ViewTokens, type NewsletterContent, type SubmittedRecipient } from '@mailroom/contracts';
import type { ContentStore, ListPartsStore } from '@mailroom/jetstream';
import { loadGatewayConfig } from '../config/gateway.config';
import { textPage } from './view-pages';
import { MAX_VIEWS_IN_FLIGHT, ViewService } from './view.service';

const SECRET = 'v'.repeat(32);
const ID = '0b9e6f0a-6a3e-4c43-9d55-0a8e0f1d2c3b';
const viewTokens = new ViewTokens(SECRET);
const unsubscribeToken = (email: string) => new UnsubscribeTokens(SECRET).sign({ newsletterId: ID, email });
const html = '<html><body><a href="{{ view_url }}">View online</a><p>Hi {{ name | default: "reader" }} from {{ city }}</p><a href="{{ unsubscribe_url }}">Unsubscribe</a></body></html>';
const recipients: SubmittedRecipient[] = [
  { email: 'ann@example.org', name: 'Ann', vars: { city: 'Oslo' } },
  { email: 'Bob@Example.ORG', name: 'Bob', vars: { city: '<Bergen>' } },
  { email: 'cat@example.org' },
];

async function* toAsync<T>(items: readonly T[]): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

/** The content store as the gateway reads it: JSON documents and NDJSON lists by name (a stand-in for the object store). */
function stores(objects: Map<string, unknown>) {
  const lines = (name: string) => {
    const value = objects.get(name);
    return Promise.resolve(Array.isArray(value) ? toAsync(value as unknown[]) : null);
  };
  const content = { getJson: (name: string) => Promise.resolve(objects.get(name) ?? null), readLines: lines } as unknown as ContentStore;
  const listParts = { exists: (name: string) => Promise.resolve(objects.has(name)), readLines: lines } as unknown as ListPartsStore;
  return { content, listParts };
}

function setUp(body: Partial<NewsletterContent> = {}, env: Record<string, string> = { PUBLIC_BASE_URL: 'https://mail.acme.example/' }) {
  const config = loadGatewayConfig({ API_KEYS: `ops:${'k'.repeat(32)}`, UNSUBSCRIBE_SECRET: SECRET, ...env });
  const objects = new Map<string, unknown>([
    [ContentObjects.content(ID), { from: 'news@acme.example', subject: 'News for {{ name }}', html, ...body }],
    [ContentObjects.recipients(ID), recipients],
  ]);
  const { content, listParts } = stores(objects);
  return { service: new ViewService(config, content, listParts), objects, config };
}

const tokenFor = (email: string, batchIndex = 0) => viewTokens.sign({ newsletterId: ID, batchIndex, email });

async function pageOf(service: ViewService, token: string): Promise<string> {
  const claim = service.claimOf(token);
  if (!claim) throw new Error('token refused');
  const result = await service.render(claim, token);
  if (result.kind !== 'page') throw new Error(`not a page: ${result.kind}`);
  return result.html;
}

describe('ViewService', () => {
  it("renders the reader's own copy: their merge fields, their unsubscribe link and view link, exactly as the sender did", async () => {
    const { service } = setUp();
    // The address as it was sent: its domain lower-cased, its local part as written.
    const token = tokenFor('Bob@example.org');
    expect(await pageOf(service, token)).toBe(
      `<html><body><a href="https://mail.acme.example/v/${token}">View online</a><p>Hi Bob from &lt;Bergen&gt;</p>` +
        `<a href="https://mail.acme.example/unsubscribe/${unsubscribeToken('Bob@example.org')}">Unsubscribe</a></body></html>`,
    );
    expect(await pageOf(service, tokenFor('cat@example.org', 1))).toContain('<p>Hi reader from </p>');
  });

  it('without PUBLIC_BASE_URL, makes the links relative to the page (they lead to the same place)', async () => {
    const { service } = setUp({}, {});
    const token = tokenFor('ann@example.org');
    const page = await pageOf(service, token);
    expect(page).toContain(`<a href="../v/${token}">View online</a>`);
    expect(page).toContain(`<a href="../unsubscribe/${unsubscribeToken('ann@example.org')}">Unsubscribe</a>`);
    expect(new URL(`../unsubscribe/x`, `https://mail.acme.example/prefix/v/${token}`).href).toBe('https://mail.acme.example/prefix/unsubscribe/x');
  });

  it('shows a text-only newsletter in a <pre>, escaped', async () => {
    const { service } = setUp({ html: undefined, text: 'Hi {{ name }} <3\nRead online: {{ view_url }}' });
    const token = tokenFor('ann@example.org');
    expect(await pageOf(service, token)).toBe(textPage('News for Ann', `Hi Ann <3\nRead online: https://mail.acme.example/v/${token}`));
    expect(textPage('a & b', 'x < y')).toContain('<title>a &amp; b</title>');
    expect(textPage('a & b', 'x < y')).toContain('>x &lt; y</pre>');
  });

  it('refuses a tampered token, or a token of another secret', () => {
    const { service } = setUp();
    const token = tokenFor('ann@example.org');
    const at = token.length - 12;
    expect(service.claimOf(token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1))).toBeUndefined();
    expect(service.claimOf(new ViewTokens('w'.repeat(32)).sign({ newsletterId: ID, batchIndex: 0, email: 'ann@example.org' }))).toBeUndefined();
    expect(service.claimOf(unsubscribeToken('ann@example.org'))).toBeUndefined();
  });

  it('says gone when the content is gone, or the list no longer has the reader', async () => {
    const { service, objects } = setUp();
    const claim = { newsletterId: ID, batchIndex: 0, email: 'dan@example.org' };
    expect(await service.render(claim, tokenFor(claim.email))).toEqual({ kind: 'gone' });
    objects.delete(ContentObjects.recipients(ID));
    expect(await service.render({ ...claim, email: 'ann@example.org' }, tokenFor('ann@example.org'))).toEqual({ kind: 'gone' });
    objects.delete(ContentObjects.content(ID));
    expect(await service.render({ ...claim, email: 'ann@example.org' }, tokenFor('ann@example.org'))).toEqual({ kind: 'gone' });
  });

  it(`reads at most ${MAX_VIEWS_IN_FLIGHT} pages at once`, async () => {
    const { service, config } = setUp();
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const slow = { getJson: () => held.then(() => null) } as unknown as ContentStore;
    const blocked = new ViewService(config, slow, {} as ListPartsStore);
    const claim = { newsletterId: ID, batchIndex: 0, email: 'ann@example.org' };
    const pending = Array.from({ length: MAX_VIEWS_IN_FLIGHT }, () => blocked.render(claim, ''));
    expect(await blocked.render(claim, '')).toEqual({ kind: 'busy' });
    release();
    expect(await Promise.all(pending)).toEqual(Array.from({ length: MAX_VIEWS_IN_FLIGHT }, () => ({ kind: 'gone' })));
    expect((await service.render(claim, tokenFor('ann@example.org'))).kind).toBe('page');
  });
});
