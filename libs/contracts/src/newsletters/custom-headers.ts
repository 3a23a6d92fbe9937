import { registerDecorator, type ValidationOptions } from 'class-validator';

/**
 * Custom headers a newsletter may add to every email (`headers` on the request). Allow-listed
 * rather than checked for harm: only `X-` names, none of Mailroom's own, none that steer an SMTP
 * provider, one line each. The gateway refuses a request that breaks a rule (400 naming the
 * header); the sender checks again before writing them (a stored newsletter is data, not trust).
 */
export const CUSTOM_HEADER_LIMITS = {
  maxHeaders: 20,
  /** Characters of a name, `X-` included. */
  maxNameLength: 64,
  maxValueLength: 1000,
} as const;

// `X-` then letters, digits and hyphens: a field name (RFC 5322) with nothing to misread.
const NAME = /^X-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*$/i;
// Mailroom's own (X-Mailroom-Newsletter-Id, X-Mailroom-Test), which bounces and tests rely on.
const OWN = /^X-Mailroom-/i;
// Instructions to an SMTP provider rather than information for the reader: SendGrid's X-SMTPAPI can
// add recipients; the others pick templates, tracking, tags or sending pools on the provider's side.
const PROVIDER_CONTROL = /^X-(SMTPAPI|MSYS-API|SES-|Mailgun-|PM-|MC-|Mailjet-|MJ-|SG-|Postmark-)/i;
/** Control characters (tab aside) and the Unicode line breaks some mail clients honour. */
const LINE_BREAKING = /[\x00-\x08\x0a-\x1f\x7f\u0085\u2028\u2029]/;
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why `name` cannot be a custom header name, or null when it can. */
function checkName(name: string): string | null {
  if (name.length > CUSTOM_HEADER_LIMITS.maxNameLength) return `is longer than ${CUSTOM_HEADER_LIMITS.maxNameLength} characters`;
  if (RESERVED_KEYS.has(name) || !NAME.test(name)) return 'is not allowed: custom headers are X- names of letters, digits and hyphens, e.g. X-Campaign';
  if (OWN.test(name)) return 'is not allowed: X-Mailroom- headers are set by Mailroom';
  if (PROVIDER_CONTROL.test(name)) return 'is not allowed: it gives instructions to an SMTP provider';
  return null;
}

/** A shown name: never a line break or more than the limit, whatever was sent. */
const shown = (name: string) => JSON.stringify(name.slice(0, CUSTOM_HEADER_LIMITS.maxNameLength));

/** Why `value` is not a valid `headers` object, or null when it is. Messages name the header. */
export function checkCustomHeaders(value: unknown): string | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'must be an object of header names to string values';
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length > CUSTOM_HEADER_LIMITS.maxHeaders) return `has more than ${CUSTOM_HEADER_LIMITS.maxHeaders} headers`;
  const seen = new Set<string>();
  for (const [name, item] of entries) {
    const badName = checkName(name);
    if (badName) return `${shown(name)} ${badName}`;
    if (seen.has(name.toLowerCase())) return `${shown(name)} is given twice (names are case-insensitive)`;
    seen.add(name.toLowerCase());
    if (typeof item !== 'string') return `${name} must be a string`;
    if (LINE_BREAKING.test(item)) return `${name} must not contain line breaks or control characters`;
    if (item.length > CUSTOM_HEADER_LIMITS.maxValueLength) return `${name} is longer than ${CUSTOM_HEADER_LIMITS.maxValueLength} characters`;
  }
  return null;
}

/** class-validator rule: a `headers` object within the allow-list and CUSTOM_HEADER_LIMITS. */
export function IsCustomHeaders(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isCustomHeaders',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property, value }) => `${property}: ${checkCustomHeaders(value) ?? 'is invalid'}`, ...options },
      validator: { validate: (value: unknown) => checkCustomHeaders(value) === null },
    });
  };
}
