import { ValidationFailedError } from '../http/api-errors';
import { createValidationPipe } from '../http/validation.pipe';
import { CreateNewsletterDto } from './create-newsletter.dto';
import { TestNewsletterDto } from './test-newsletter.dto';

const base = { subject: 'Hi', text: 'Hello', recipients: ['ann@example.org'] };

/** The error the HTTP API answers with (400 validation_failed), or null when the body is accepted. */
async function refusal(dto: typeof CreateNewsletterDto | typeof TestNewsletterDto, body: Record<string, unknown>): Promise<{ field?: string; message: string } | null> {
  try {
    await createValidationPipe().transform(body, { type: 'body', metatype: dto });
    return null;
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return { field: error.field, message: error.message };
  }
}

describe('replyTo and headers on a newsletter request', () => {
  it.each([
    ['POST /v1/newsletters', CreateNewsletterDto],
    ['POST /v1/newsletters/test', TestNewsletterDto],
  ])('%s accepts them', async (_route, dto) => {
    expect(await refusal(dto, { ...base, replyTo: 'Help <help@acme.example>', headers: { 'X-Campaign': 'spring' } })).toBeNull();
  });

  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ['a header that is not X-', { headers: { Bcc: 'victim@example.org' } }, 'headers', /^headers: "Bcc" is not allowed/],
    ['a line break in a value', { headers: { 'X-Note': 'a\r\nBcc: victim@example.org' } }, 'headers', /X-Note must not contain line breaks/],
    ["one of Mailroom's own", { headers: { 'X-Mailroom-Test': 'false' } }, 'headers', /set by Mailroom/],
    ['headers that are not an object', { headers: 'X-A: b' }, 'headers', /must be an object/],
    ['two addresses in replyTo', { replyTo: 'a@acme.example, b@acme.example' }, 'replyTo', /^replyTo must be "address@domain" or "Name <address@domain>"/],
    ['a line break in replyTo', { replyTo: 'a@acme.example\r\nBcc: victim@example.org' }, 'replyTo', /line breaks/],
  ])('refuses %s, naming the field', async (_what, fields, field, message) => {
    for (const dto of [CreateNewsletterDto, TestNewsletterDto]) {
      expect(await refusal(dto, { ...base, ...fields })).toEqual({ field, message: expect.stringMatching(message) });
    }
  });
});
