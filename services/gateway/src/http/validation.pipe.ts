import { ValidationPipe, type ArgumentMetadata, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from './api-errors';

/**
 * A list field of a request class (`static plainlyCheckedList` on it) that the pipe may check in
 * one plain loop: `accept` gives the list as the handler should see it when every item passes
 * rules at least as strict as the class's, undefined otherwise (then the class's rules run and
 * name the bad item). For the 100,000 recipients of an inline newsletter: class-transformer
 * copying each item into an instance, and the pipe's walks over them, are skipped.
 */
export interface PlainlyCheckedList {
  readonly field: string;
  accept(items: unknown[]): object[] | undefined;
}

/** The class's own: a subclass (a narrower request, say at most 5 recipients) must declare its own. */
function plainlyCheckedListOf(metatype: ArgumentMetadata['metatype']): PlainlyCheckedList | undefined {
  if (!metatype || !Object.prototype.hasOwnProperty.call(metatype, 'plainlyCheckedList')) return undefined;
  return (metatype as { plainlyCheckedList?: PlainlyCheckedList }).plainlyCheckedList;
}

/** ValidationPipe, with the shortcut of PlainlyCheckedList for large lists. */
class GatewayValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const list = plainlyCheckedListOf(metadata.metatype);
    const items = list && typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[list.field] : undefined;
    const accepted = list && Array.isArray(items) && items.length > 1 ? list.accept(items) : undefined;
    if (!list || !accepted) return super.transform(value, metadata);
    // Everything else goes through the pipe as ever, the list as a stand-in of its first item
    // (accepted too, so it satisfies whatever the class says of the list), then the whole list.
    const entity = (await super.transform({ ...(value as object), [list.field]: [(items as unknown[])[0]] }, metadata)) as Record<string, unknown>;
    entity[list.field] = accepted;
    return entity;
  }
}

/**
 * Which of a field's failed checks to report: presence and type before content. A missing subject
 * is "subject must be a string", not "subject must not contain line breaks" (class-validator runs
 * a property's checks bottom-up, so decorator order cannot be relied on).
 */
const PRIORITY = ['whitelistValidation', 'isDefined', 'isString', 'isInt', 'isBoolean', 'isArray', 'isNotEmpty', 'arrayMinSize'];
const rank = (constraint: string) => {
  const index = PRIORITY.indexOf(constraint);
  return index === -1 ? PRIORITY.length : index;
};

/**
 * Request validation: unknown fields are refused, and each field's most basic problem is reported
 * with its path (`recipients[3].email`); the first one names the field, all are in the message.
 */
export function createValidationPipe(): ValidationPipe {
  return new GatewayValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    exceptionFactory: (errors: ValidationError[]) => {
      const problems = errors.flatMap((e) => flatten(e, ''));
      const first = problems[0] ?? { field: undefined, message: 'Invalid request' };
      const message = problems.map((p) => p.message).join('; ');
      return new ValidationFailedError(message, first.field);
    },
  });
}

function flatten(error: ValidationError, prefix: string): Array<{ field: string; message: string }> {
  const field = prefix ? (/^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : `${prefix}.${error.property}`) : error.property;
  const [constraint] = Object.keys(error.constraints ?? {}).sort((a, b) => rank(a) - rank(b));
  const own = constraint ? [{ field, message: describe(error, field, error.constraints![constraint]!) }] : [];
  // A field that is not even a list or an object has no children worth reporting.
  if (constraint && rank(constraint) < PRIORITY.length) return own;
  return [...own, ...(error.children ?? []).flatMap((c) => flatten(c, field))];
}

function describe(error: ValidationError, field: string, message: string): string {
  if (message.startsWith('property ') && message.endsWith(' should not exist')) return `${field} is not a known field`;
  if (message.startsWith(`${error.property} `)) return `${field}${message.slice(error.property.length)}`;
  return message;
}
