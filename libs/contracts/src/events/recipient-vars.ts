import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * Per-recipient merge fields (a subscriber list's custom columns), as strings. Bounded so that a
 * batch of recipients stays well inside NATS's 1 MB message limit (the splitter also cuts batches
 * by size) and no one row can carry megabytes.
 */
export const RECIPIENT_VARS_LIMITS = {
  /** Custom columns per recipient. */
  maxEntries: 50,
  maxKeyLength: 64,
  maxValueLength: 1000,
  /** Characters of all keys and values together. */
  maxTotalLength: 8000,
} as const;

// Keys that would reach an object's prototype if assigned naively; refused everywhere.
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
const CONTROL = /[\u0000-\u001f\u007f]/;

/** Why `name` cannot be a var name, or null when it can. */
export function checkVarName(name: string): string | null {
  if (name.length === 0) return 'is empty';
  if (name.length > RECIPIENT_VARS_LIMITS.maxKeyLength) return `is longer than ${RECIPIENT_VARS_LIMITS.maxKeyLength} characters`;
  if (CONTROL.test(name)) return 'contains control characters';
  if (RESERVED_KEYS.has(name)) return 'is a reserved name';
  return null;
}

/** Why `value` is not a valid vars object, or null when it is. */
export function checkRecipientVars(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of strings';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > RECIPIENT_VARS_LIMITS.maxEntries) return `has more than ${RECIPIENT_VARS_LIMITS.maxEntries} entries`;
  let total = 0;
  for (const [key, item] of entries) {
    const badName = checkVarName(key);
    if (badName) return `name "${key.slice(0, 64)}" ${badName}`;
    if (typeof item !== 'string') return `${key} must be a string`;
    if (item.length > RECIPIENT_VARS_LIMITS.maxValueLength) {
      return `${key} is longer than ${RECIPIENT_VARS_LIMITS.maxValueLength} characters`;
    }
    total += key.length + item.length;
  }
  if (total > RECIPIENT_VARS_LIMITS.maxTotalLength) return `is longer than ${RECIPIENT_VARS_LIMITS.maxTotalLength} characters in all`;
  return null;
}

/** class-validator rule: a vars object within RECIPIENT_VARS_LIMITS. */
export function IsRecipientVars(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isRecipientVars',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property, value }) => `${property} ${checkRecipientVars(value) ?? 'is invalid'}`, ...options },
      validator: { validate: (value: unknown) => checkRecipientVars(value) === null },
    });
  };
}
