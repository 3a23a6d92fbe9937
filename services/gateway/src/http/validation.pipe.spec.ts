import { CreateNewsletterDto } from '../newsletters/create-newsletter.dto';
import { MAX_TEST_RECIPIENTS, TestNewsletterDto } from '../newsletters/test-newsletter.dto';
import { ValidationFailedError } from './api-errors';
import { createValidationPipe } from './validation.pipe';

const pipe = createValidationPipe();
const body = (recipients: unknown[]) => ({ subject: 'Hi', html: '<p>Hi {{ name }}</p>', recipients });
const recipients = (count: number) =>
  Array.from({ length: count }, (_, i) => (i % 2 ? `reader${i}@example.org` : { email: `reader${i}@example.org`, name: `Reader ${i}`, vars: { city: 'Lyon' } }));

async function refusal(run: () => Promise<unknown>): Promise<ValidationFailedError> {
  const error = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ValidationFailedError)) throw new Error(`expected a ValidationFailedError, got ${String(error)}`);
  return error;
}

describe('the validation pipe with a large inline list (CreateNewsletterDto.plainlyCheckedList)', () => {
  it('hands the handler every recipient as a plain object, the rest of the body as the class made it', async () => {
    const dto = (await pipe.transform(body(recipients(1_000)), { type: 'body', metatype: CreateNewsletterDto })) as CreateNewsletterDto;
    expect(dto).toBeInstanceOf(CreateNewsletterDto);
    expect(dto.subject).toBe('Hi');
    expect(dto.recipients).toHaveLength(1_000);
    expect(dto.recipients![0]).toEqual({ email: 'reader0@example.org', name: 'Reader 0', vars: { city: 'Lyon' } });
    expect(dto.recipients![1]).toEqual({ email: 'reader1@example.org' });
    expect(dto.recipients![999]).toEqual({ email: 'reader999@example.org' });
  });

  it('still checks the rest of the body (the list does not carry an unknown field through)', async () => {
    const error = await refusal(() => pipe.transform({ ...body(recipients(100)), colour: 'red' }, { type: 'body', metatype: CreateNewsletterDto }));
    expect(error.message).toMatch(/colour is not a known field/);
  });

  it('names the bad item of a list that fails the plain check, as the full rules do', async () => {
    const list: unknown[] = recipients(1_000);
    list[500] = { email: 'not an address' };
    const error = await refusal(() => pipe.transform(body(list), { type: 'body', metatype: CreateNewsletterDto }));
    expect(error.message).toMatch(/^recipients\[500\]\.email /);
  });

  it('takes the full path for an item with a key that reaches a prototype, which the pipe strips', async () => {
    const list: unknown[] = recipients(10);
    list[3] = JSON.parse('{"email":"reader3@example.org","__proto__":{"admin":true}}');
    const dto = (await pipe.transform(body(list), { type: 'body', metatype: CreateNewsletterDto })) as CreateNewsletterDto;
    expect(dto.recipients![3]).toEqual({ email: 'reader3@example.org' });
    expect(Object.keys(dto.recipients![3]!)).toEqual(['email']);
  });

  it('does not apply to a narrower request class: a test send keeps its recipient limit', async () => {
    const error = await refusal(() => pipe.transform(body(recipients(MAX_TEST_RECIPIENTS + 1)), { type: 'body', metatype: TestNewsletterDto }));
    expect(error.message).toMatch(new RegExp(`at most ${MAX_TEST_RECIPIENTS} addresses`));
  });
});
