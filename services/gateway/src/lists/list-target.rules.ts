import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * On a newsletter's `listId`: the request has no `recipients` as well. A newsletter goes to an
 * inline list or to a subscriber list, never to both.
 */
export function IsInsteadOfRecipients(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isInsteadOfRecipients',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: 'give either recipients or listId, not both', ...options },
      validator: { validate: (_value: unknown, args) => (args?.object as { recipients?: unknown } | undefined)?.recipients === undefined },
    });
}
