import { registerDecorator, type ValidationOptions } from 'class-validator';
import { normalizeAddress } from './normalize-address';

/** class-validator rule: the value is a bare address that `normalizeAddress` accepts. */
export function IsMailboxAddress(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isMailboxAddress',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property }) => `${property} must be a valid email address`, ...options },
      validator: { validate: (value: unknown) => normalizeAddress(value).ok },
    });
  };
}
