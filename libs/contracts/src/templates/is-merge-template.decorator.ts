import { registerDecorator, type ValidationOptions } from 'class-validator';
import { EXAMPLE_MERGE_SCOPE } from './merge-scope';
import { checkMergeTemplate, type TemplateError, type TemplateField } from './merge-template';

/**
 * class-validator rule: the value is a merge template that compiles and renders (see
 * `checkMergeTemplate`). `kind` picks the escaping rules: `html` for HTML bodies. The message
 * names the property and the position: `html is not a valid template: tag {% if x %} not closed
 * (line 2, column 3)`. Values that are not strings are left to the other rules.
 */
export function IsMergeTemplate(kind: TemplateField, options?: ValidationOptions): PropertyDecorator {
  // class-validator asks `validate`, then (when it fails) `message` for the same value: the template
  // is compiled and rendered once, under the one budget, not twice (a costly template doubled the CPU of a refusal).
  let last: { readonly value: string; readonly error: TemplateError | null } | undefined;
  const problem = (value: unknown): TemplateError | null => {
    if (typeof value !== 'string') return null;
    if (last?.value !== value) last = { value, error: checkMergeTemplate(kind, value, EXAMPLE_MERGE_SCOPE) };
    return last.error;
  };
  return (target, propertyName) => {
    registerDecorator({
      name: 'isMergeTemplate',
      target: target.constructor,
      propertyName: propertyName as string,
      options: {
        message: ({ property, value }) => {
          const error = problem(value);
          return error
            ? `${property} is not a valid template: ${error.detail} (line ${error.line}, column ${error.column})`
            : `${property} is not a valid template`;
        },
        ...options,
      },
      validator: { validate: (value: unknown) => problem(value) === null },
    });
  };
}
