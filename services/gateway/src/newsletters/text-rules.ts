import { registerDecorator, type ValidationOptions } from 'class-validator';
import { LINE_BREAKING, parseFromAddress } from './from-address';

function rule(
  name: string,
  validate: (value: unknown) => boolean,
  message: (property: string, value: unknown) => string,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: ({ property, value }) => message(property, value), ...options },
      validator: { validate },
    });
}

/** No CR, LF, other control characters or Unicode line breaks: values that end up in mail headers. */
export const IsSingleLine = (options?: ValidationOptions) =>
  rule(
    'isSingleLine',
    (v) => typeof v === 'string' && !LINE_BREAKING.test(v),
    (p) => `${p} must not contain line breaks or control characters`,
    options,
  );

/**
 * One bare address, no display name and no list: `a@x.org`, never `Eve <a@x.org>` or
 * `a@x.org, b@y.org`. Only tricks are refused here; a plain typo (`ann@example`) is accepted and
 * counted as failed by the splitter, so one bad row does not block a whole newsletter.
 */
export const IsBareAddressText = (options?: ValidationOptions) =>
  rule(
    'isBareAddressText',
    (v) => typeof v === 'string' && !/[\s<>,;"\x00-\x1f\x7f]/.test(v.trim()),
    (p) => `${p} must be a single bare email address`,
    options,
  );

export const IsFromAddress = (options?: ValidationOptions) =>
  rule(
    'isFromAddress',
    (v) => typeof v === 'string' && parseFromAddress(v).ok,
    (p, v) => {
      const check = typeof v === 'string' ? parseFromAddress(v) : undefined;
      const why = check && !check.ok ? ` (it ${check.reason})` : '';
      return `${p} must be "address@domain" or "Name <address@domain>"${why}`;
    },
    options,
  );
