import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from './api-errors';

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
  return new ValidationPipe({
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
