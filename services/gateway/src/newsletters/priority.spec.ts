import { PRIORITIES } from '@mailroom/contracts';
import { ValidationFailedError } from '../http/api-errors';
import { createValidationPipe } from '../http/validation.pipe';
import { GrpcValidation } from '../grpc/grpc-validation';
import { toCreateNewsletterBody } from '../grpc/newsletter-message.mapper';
import { CreateNewsletterDto } from './create-newsletter.dto';
import { TestNewsletterDto } from './test-newsletter.dto';

const base = { subject: 'Hi', text: 'Hello', recipients: ['ann@example.org', 'bob@example.org'] };

/** The body as the pipe leaves it, or the error the HTTP API answers with (400 validation_failed). */
async function validated(dto: typeof CreateNewsletterDto | typeof TestNewsletterDto, body: Record<string, unknown>) {
  try {
    return { ok: true as const, dto: (await createValidationPipe().transform(body, { type: 'body', metatype: dto })) as CreateNewsletterDto };
  } catch (error) {
    if (!(error instanceof ValidationFailedError)) throw error;
    return { ok: false as const, field: error.field, message: error.message };
  }
}

describe('priority on POST /v1/newsletters', () => {
  it.each(PRIORITIES)('accepts %s and keeps it', async (priority) => {
    expect(await validated(CreateNewsletterDto, { ...base, priority })).toMatchObject({ ok: true, dto: { priority } });
  });

  it('leaves it out when not given (the service stores normal)', async () => {
    const result = await validated(CreateNewsletterDto, base);
    expect(result.ok).toBe(true);
    expect(result.ok && result.dto.priority).toBeUndefined();
  });

  it.each<[string, unknown]>([
    ['an unknown value', 'urgent'],
    ['another case', 'HIGH'],
    ['an empty string', ''],
    ['a number', 1],
  ])('refuses %s, naming the field', async (_what, priority) => {
    expect(await validated(CreateNewsletterDto, { ...base, priority })).toEqual({
      ok: false,
      field: 'priority',
      message: 'priority must be one of the following values: high, normal, low',
    });
  });

  it('is not a field of a test send (always the fast lane)', async () => {
    expect(await validated(TestNewsletterDto, { ...base, priority: 'high' })).toEqual({ ok: false, field: 'priority', message: 'priority is not a known field' });
  });
});

describe('priority on gRPC SendNewsletter', () => {
  const request = { subject: 'Hi', text: 'Hello', recipients: [{ email: 'ann@example.org' }, { email: 'bob@example.org' }] };

  it('passes it on, and leaves an empty one out (the default applies)', () => {
    expect(toCreateNewsletterBody({ ...request, priority: 'low' })).toMatchObject({ priority: 'low' });
    expect(toCreateNewsletterBody({ ...request, priority: '' })).not.toHaveProperty('priority');
  });

  it('is validated like the HTTP field', async () => {
    const validation = new GrpcValidation();
    await expect(validation.body(CreateNewsletterDto, toCreateNewsletterBody({ ...request, priority: 'high' }))).resolves.toMatchObject({ priority: 'high' });
    await expect(validation.body(CreateNewsletterDto, toCreateNewsletterBody({ ...request, priority: 'urgent' }))).rejects.toMatchObject({
      field: 'priority',
      message: 'priority must be one of the following values: high, normal, low',
    });
  });
});
