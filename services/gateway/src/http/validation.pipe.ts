import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { ValidationFailedError } from './api-errors';

/**
 * Request validation: unknown fields are refused, and the first problem is reported with the path
 * of the field (`recipients[3].email`), the rest in the message.
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: true,
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
  const own = Object.values(error.constraints ?? {}).map((message) => ({
    field,
    message: message.startsWith('property ') && message.endsWith(' should not exist')
      ? `${field} is not a known field`
      : message.startsWith(`${error.property} `)
        ? `${field}${message.slice(error.property.length)}`
        : message,
  }));
  return [...own, ...(error.children ?? []).flatMap((c) => flatten(c, field))];
}
