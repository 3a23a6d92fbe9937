import { addressHash } from '@mailroom/contracts';
import { listHeaders, listUnsubscribeHeaders, messageIdFor } from './compliance-headers';

describe('listUnsubscribeHeaders', () => {
  it('offers the one-click HTTPS link, with the exact RFC 8058 Post value', () => {
    expect(listUnsubscribeHeaders({ url: 'https://m.example/unsubscribe/t' })).toEqual({
      'List-Unsubscribe': '<https://m.example/unsubscribe/t>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('adds the mailto after the HTTPS link when one is configured', () => {
    expect(listUnsubscribeHeaders({ url: 'https://m.example/unsubscribe/t', mailto: 'mailto:u@m.example?subject=unsubscribe%20t' })).toEqual({
      'List-Unsubscribe': '<https://m.example/unsubscribe/t>, <mailto:u@m.example?subject=unsubscribe%20t>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });
});

describe('messageIdFor', () => {
  const id = 'c0ffee00-1111-4222-8333-444455556666';

  it.each([
    ['a bare From', 'news@acme.example', 'acme.example'],
    ['a named From', 'Acme News <news@Acme.Example>', 'acme.example'],
    ['an IDN domain', 'Zoë <news@bücher.example>', 'xn--bcher-kva.example'],
    ['no usable domain', 'nobody', 'mailroom.invalid'],
  ])('is <newsletter.addressHash@domain> for %s', (_what, from, domain) => {
    expect(messageIdFor(id, 'ann@example.org', from)).toBe(`<${id}.${addressHash('ann@example.org')}@${domain}>`);
  });

  it('is stable per recipient and newsletter, and differs between them', () => {
    const ann = messageIdFor(id, 'ann@example.org', 'news@acme.example');
    expect(messageIdFor(id, 'ann@example.org', 'news@acme.example')).toBe(ann);
    expect(messageIdFor(id, 'bob@example.org', 'news@acme.example')).not.toBe(ann);
    expect(messageIdFor('another-id', 'ann@example.org', 'news@acme.example')).not.toBe(ann);
  });

  it('is <token@domain> when given a signed token', () => {
    expect(messageIdFor(id, 'ann@example.org', 'Acme <news@acme.example>', `b1${'a'.repeat(58)}`)).toBe(`<b1${'a'.repeat(58)}@acme.example>`);
  });

  it('is a valid msg-id (dot-atom-text left of @, no address in it)', () => {
    const messageId = messageIdFor(id, 'ann@example.org', 'news@acme.example');
    expect(messageId).toMatch(/^<[A-Za-z0-9._-]+@[a-z0-9.-]+>$/);
    expect(messageId).not.toContain('ann');
  });
});

describe('listHeaders', () => {
  const id = 'c0ffee00-1111-4222-8333-444455556666';

  it('falls back from the list to the tenant, and never writes a label that is not dot-atom text', () => {
    const base = { newsletterId: id, tenant: 'default', test: false };
    expect(listHeaders(base, 'news@acme.example')['List-Id']).toBe('<default.acme.example>');
    expect(listHeaders({ ...base, listId: 'bad label' }, 'news@acme.example')['List-Id']).toBe('<default.acme.example>');
    expect(listHeaders({ ...base, tenant: 'no good' }, 'news@acme.example')).toEqual({
      'List-Id': '<newsletters.acme.example>',
      'Feedback-ID': `${id}:no-good:newsletter:mailroom`,
    });
  });

  it('writes Feedback-ID as four colon-separated fields whatever the values hold', () => {
    const { 'Feedback-ID': value } = listHeaders({ newsletterId: 'a:b', tenant: 't:u', test: true }, 'news@acme.example');
    expect(value).toBe('a-b:t-u:test:mailroom');
  });
});
