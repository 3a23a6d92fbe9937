import { registerDecorator, type ValidationOptions } from 'class-validator';
import { normalizeAddress } from '../addresses/normalize-address';
import { checkRecipientVars } from './recipient-vars';

/** One normalised recipient as it travels inside a batch. */
export interface Recipient {
  readonly email: string;
  /** At most RECIPIENT_NAME_MAX_LENGTH characters. */
  readonly name?: string;
  /**
   * Merge fields of this recipient (a subscriber list's custom columns), strings only, within
   * RECIPIENT_VARS_LIMITS. Absent when the recipient has none.
   */
  readonly vars?: Readonly<Record<string, string>>;
}

export const RECIPIENT_NAME_MAX_LENGTH = 256;

/**
 * Why `value` is not a list of recipients (naming the first bad one), or null when it is. A
 * plain loop rather than class-validator's nested validation: a batch holds up to 1000
 * recipients and every sender checks every batch, where nested validation cost about 20 µs per
 * recipient, a noticeable share of sending one email.
 */
export function checkRecipientList(value: unknown): string | null {
  if (!Array.isArray(value)) return 'must be an array of recipients';
  for (let i = 0; i < value.length; i += 1) {
    const item: unknown = value[i];
    if (typeof item !== 'object' || item === null || Array.isArray(item)) return `[${i}] must be an object`;
    const { email, name, vars } = item as Record<string, unknown>;
    if (!normalizeAddress(email).ok) return `[${i}].email must be a valid email address`;
    if (name != null && (typeof name !== 'string' || name.length > RECIPIENT_NAME_MAX_LENGTH)) {
      return `[${i}].name must be a string of at most ${RECIPIENT_NAME_MAX_LENGTH} characters`;
    }
    if (vars != null) {
      const bad = checkRecipientVars(vars);
      if (bad) return `[${i}].vars ${bad}`;
    }
  }
  return null;
}

/** class-validator rule: an array of recipients (see `checkRecipientList`). */
export function IsRecipientList(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isRecipientList',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property, value }) => `${property}${checkRecipientList(value) ?? ' is invalid'}`, ...options },
      validator: { validate: (value: unknown) => checkRecipientList(value) === null },
    });
  };
}
