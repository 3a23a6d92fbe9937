import { registerDecorator, type ValidationOptions } from 'class-validator';
import { EXAMPLE_MERGE_SCOPE } from './merge-scope';
import { checkMergeTemplate, type TemplateField } from './merge-template';

/**
 * class-validator rule: the value is a merge template that compiles and renders (see
 * `checkMergeTemplate`). `kind` picks the escaping rules: `html` for HTML bodies. The message
 * names the property and the position: `html is not a valid template: tag {% if x %} not closed
 * (line 2, column 3)`. Values that are not strings are left to the other rules.
 */
export function IsMergeTemplate(kind: TemplateField, options?: ValidationOptions): PropertyDecorator {
  const problem = (value: unknown) => (typeof value === 'string' ? checkMergeTemplate(kind, value, EXAMPLE_MERGE_SCOPE) : null);
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
