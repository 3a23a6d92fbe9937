import { NEWSLETTER_STATUSES, type NewsletterView } from '@mailroom/contracts';
import { toCreateNewsletterBody, toFailureMessage, toNewsletterMessage, toStatusMessage } from './newsletter-message.mapper';

describe('gRPC message mapping', () => {
  it.each([
    ['queued', 'NEWSLETTER_STATUS_QUEUED'],
    ['completed_with_failures', 'NEWSLETTER_STATUS_COMPLETED_WITH_FAILURES'],
    ['failed', 'NEWSLETTER_STATUS_FAILED'],
    ['paused', 'NEWSLETTER_STATUS_PAUSED'],
    ['cancelled', 'NEWSLETTER_STATUS_CANCELLED'],
    ['scheduled', 'NEWSLETTER_STATUS_SCHEDULED'],
    ['something-newer', 'NEWSLETTER_STATUS_UNSPECIFIED'],
  ])('status %s → %s', (status, name) => {
    expect(toStatusMessage(status)).toBe(name);
  });

  it.each(NEWSLETTER_STATUSES)('status %s has its value in the .proto', (status) => {
    expect(toStatusMessage(status)).not.toBe('NEWSLETTER_STATUS_UNSPECIFIED');
  });

  it('leaves out what the view does not have yet (unsplit, not settled, no ETA)', () => {
    const view: NewsletterView = {
      id: 'n1',
      status: 'queued',
      total: 2,
      sent: 0,
      failed: 0,
      suppressed: 0,
      bounced: 0,
      complained: 0,
      opens: 0,
      clicks: 0,
      clicksTotal: 0,
      machineOpens: 0,
      unsubscribes: 0,
      links: [],
      cancelled: 0,
      sendAt: null,
      test: false,
      priority: 'normal',
      pending: 2,
      duplicates: 0,
      batches: { total: null, completed: 0, deadLettered: 0 },
      rounds: [{ id: 'r1', batches: null, completed: 0, requestedAt: 't' }],
      createdAt: 't0',
      startedAt: null,
      completedAt: null,
      ratePerSecond: 0,
      etaSeconds: null,
    };
    expect(toNewsletterMessage(view)).toEqual({
      id: 'n1',
      status: 'NEWSLETTER_STATUS_QUEUED',
      total: 2,
      sent: 0,
      failed: 0,
      suppressed: 0,
      bounced: 0,
      complained: 0,
      opens: 0,
      clicks: 0,
      clicksTotal: 0,
      machineOpens: 0,
      unsubscribes: 0,
      links: [],
      cancelled: 0,
      sendAt: '',
      test: false,
      priority: 'normal',
      pending: 2,
      duplicates: 0,
      batches: { completed: 0, deadLettered: 0 },
      rounds: [{ id: 'r1', completed: 0, requestedAt: 't' }],
      createdAt: 't0',
      startedAt: '',
      completedAt: '',
      ratePerSecond: 0,
      error: '',
      cancelReason: '',
    });
  });

  it('says why Mailroom cancelled a newsletter by itself (a pause past the limit)', () => {
    const view = {
      id: 'n1',
      status: 'cancelled',
      total: 2,
      sent: 1,
      failed: 0,
      suppressed: 0,
      bounced: 0,
      complained: 0,
      opens: 0,
      clicks: 0,
      clicksTotal: 0,
      machineOpens: 0,
      unsubscribes: 0,
      links: [],
      cancelled: 1,
      sendAt: null,
      test: false,
      priority: 'normal',
      pending: 0,
      duplicates: 0,
      batches: { total: 1, completed: 1, deadLettered: 0 },
      rounds: [],
      createdAt: 't0',
      startedAt: 't1',
      completedAt: 't2',
      ratePerSecond: 0,
      etaSeconds: null,
      cancelReason: 'pause_limit',
    } satisfies NewsletterView;
    expect(toNewsletterMessage(view)).toMatchObject({ status: 'NEWSLETTER_STATUS_CANCELLED', cancelled: 1, cancelReason: 'pause_limit' });
  });

  it.each(['high', 'normal', 'low'] as const)('maps priority %s', (priority) => {
    const view: NewsletterView = {
      id: 'n1',
      status: 'sending',
      total: 2,
      sent: 1,
      failed: 0,
      suppressed: 0,
      bounced: 0,
      complained: 0,
      opens: 0,
      clicks: 0,
      clicksTotal: 0,
      machineOpens: 0,
      unsubscribes: 0,
      links: [],
      cancelled: 0,
      sendAt: null,
      test: false,
      priority,
      pending: 1,
      duplicates: 0,
      batches: { total: 1, completed: 0, deadLettered: 0 },
      rounds: [],
      createdAt: 't0',
      startedAt: 't1',
      completedAt: null,
      ratePerSecond: 1,
      etaSeconds: 1,
    };
    expect(toNewsletterMessage(view).priority).toBe(priority);
  });

  it('maps the engagement counts, and a view without them (a tracker from before them) as 0', () => {
    const view: NewsletterView = {
      id: 'n1',
      status: 'completed',
      total: 10,
      sent: 10,
      failed: 0,
      suppressed: 0,
      bounced: 1,
      complained: 0,
      opens: 6,
      clicks: 3,
      clicksTotal: 7,
      machineOpens: 2,
      unsubscribes: 1,
      links: [
        { url: 'https://example.com/a', clicks: 5, recipients: 2 },
        { url: null, clicks: 2, recipients: 1 },
      ],
      cancelled: 0,
      sendAt: null,
      test: false,
      priority: 'normal',
      pending: 0,
      duplicates: 0,
      batches: { total: 1, completed: 1, deadLettered: 0 },
      rounds: [],
      createdAt: 't0',
      startedAt: 't1',
      completedAt: 't2',
      ratePerSecond: 0,
      etaSeconds: null,
    };
    expect(toNewsletterMessage(view)).toMatchObject({
      bounced: 1,
      opens: 6,
      clicks: 3,
      clicksTotal: 7,
      machineOpens: 2,
      unsubscribes: 1,
      links: [
        { url: 'https://example.com/a', clicks: 5, recipients: 2, other: false },
        { url: '', clicks: 2, recipients: 1, other: true },
      ],
    });
    const { opens: _o, clicks: _c, clicksTotal: _t, machineOpens: _m, unsubscribes: _u, links: _l, ...older } = view;
    expect(toNewsletterMessage(older as NewsletterView)).toMatchObject({ opens: 0, clicks: 0, clicksTotal: 0, machineOpens: 0, unsubscribes: 0, links: [] });
  });

  it('maps a failure without an SMTP code to code 0', () => {
    expect(toFailureMessage({ email: 'a@x.org', batchIndex: -1, reason: 'invalid', permanent: true, attempts: 0, at: 't' }).code).toBe(0);
  });

  it('turns a request into the HTTP body, leaving out what proto3 cannot tell from "not given"', () => {
    expect(
      toCreateNewsletterBody({
        subject: 'Hi',
        html: '',
        text: 'Hello',
        recipients: [{ email: 'a@x.org' }, { email: 'b@x.org', name: 'B' }, {}],
        batchSize: 0,
        idempotencyKey: 'k',
        webhookUrl: 'https://hooks.example.org/',
      }),
    ).toEqual({
      subject: 'Hi',
      text: 'Hello',
      webhookUrl: 'https://hooks.example.org/',
      recipients: [{ email: 'a@x.org' }, { email: 'b@x.org', name: 'B' }, { email: '' }],
    });
  });

  it('sends to a list: list_id, and no recipients unless some were given (then validation refuses both)', () => {
    const listId = '0b6f3c1e-8a7d-4f0e-9c2b-5d4a3e2f1a00';
    expect(toCreateNewsletterBody({ subject: 'Hi', text: 'Hello', listId, recipients: [] })).toEqual({ subject: 'Hi', text: 'Hello', listId });
    expect(toCreateNewsletterBody({ subject: 'Hi', text: 'Hello', listId, recipients: [{ email: 'a@x.org' }] })).toEqual({
      subject: 'Hi',
      text: 'Hello',
      listId,
      recipients: [{ email: 'a@x.org' }],
    });
    expect(toCreateNewsletterBody({ subject: 'Hi', text: 'Hello', recipients: [] })).toEqual({ subject: 'Hi', text: 'Hello', recipients: [] });
  });

  it('passes recipient_webhooks on when true, and leaves false (not given in proto3) out', () => {
    const base = { subject: 'Hi', text: 'Hello', recipients: [{ email: 'a@x.org' }], webhookUrl: 'https://hooks.example.org/' };
    expect(toCreateNewsletterBody({ ...base, recipientWebhooks: true })).toEqual({ ...base, recipientWebhooks: true });
    expect(toCreateNewsletterBody({ ...base, recipientWebhooks: false })).toEqual(base);
  });

  it('passes reply_to and headers on, leaving out an empty map', () => {
    const base = { subject: 'Hi', text: 'Hello', recipients: [{ email: 'a@x.org' }] };
    expect(toCreateNewsletterBody({ ...base, replyTo: 'Help <help@x.org>', headers: { 'X-Campaign': 'spring' } })).toEqual({
      ...base,
      replyTo: 'Help <help@x.org>',
      headers: { 'X-Campaign': 'spring' },
    });
    expect(toCreateNewsletterBody({ ...base, replyTo: '', headers: {} })).toEqual(base);
  });

  it('passes rate_per_second, send_at and per-recipient vars on, leaving out their zero values', () => {
    expect(
      toCreateNewsletterBody({
        subject: 'Hi',
        text: 'Hello {{ city }}',
        recipients: [{ email: 'a@x.org', vars: { city: 'Oslo' } }, { email: 'b@x.org', vars: {} }],
        ratePerSecond: 12.5,
        sendAt: '2026-12-01T09:00:00Z',
      }),
    ).toEqual({
      subject: 'Hi',
      text: 'Hello {{ city }}',
      sendAt: '2026-12-01T09:00:00Z',
      ratePerSecond: 12.5,
      recipients: [{ email: 'a@x.org', vars: { city: 'Oslo' } }, { email: 'b@x.org' }],
    });
    expect(toCreateNewsletterBody({ subject: 'Hi', text: 'x', recipients: [{ email: 'a@x.org' }], ratePerSecond: 0, sendAt: '' })).toEqual({
      subject: 'Hi',
      text: 'x',
      recipients: [{ email: 'a@x.org' }],
    });
  });
});
