import { Context, Liquid, LiquidError, toValueSync, type Emitter, type Template, type TagToken } from 'liquidjs';
import { compileSimpleTemplate } from './simple-template';

/** The newsletter fields that are templates; `html` escapes merged values, the others do not. */
export type TemplateField = 'subject' | 'html' | 'text';

/**
 * Bounds on one template. A template is compiled once per newsletter but rendered once per
 * recipient, synchronously, on the sender's event loop: a loop over a huge range must fail fast
 * instead of stalling every other batch of the process.
 */
export const MERGE_TEMPLATE_LIMITS = {
  /** Characters parsed per template (the gateway's body limit is far below this). */
  parseLimit: 32 * 1024 * 1024,
  /**
   * Milliseconds one render may take. A real newsletter renders in microseconds. This is also the
   * longest the sender's event loop is held by one recipient (it yields between recipients).
   */
  renderLimitMs: 50,
  /**
   * Writes to the output per render: every piece of text or output a loop iteration emits is one.
   * Bounds loop iterations however cheap each one is (a newsletter writes hundreds).
   */
  maxWrites: 200_000,
  /**
   * Characters one field may render to. Checked as the output grows, so a loop repeating a large
   * string stops here instead of building hundreds of megabytes (the sender then also checks the
   * whole email against MAX_RENDERED_EMAIL_BYTES).
   */
  maxOutputChars: 8 * 1024 * 1024,
  /** Liquid's allocation budget per render (characters of strings, elements of arrays). */
  memoryLimit: 16 * 1024 * 1024,
  /**
   * Outputs and tags (`{{`, `{%`) per template. LiquidJS parses in time quadratic in their number
   * (20,000 take 1.4 s, 260,000 most of a minute, all on the gateway's event loop); a newsletter
   * has tens. Text between them is free.
   */
  maxMarkup: 2_000,
} as const;

/** Why a template cannot be used, with where (1-based line and column of the offending tag or output). */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';

  constructor(
    readonly field: TemplateField,
    readonly detail: string,
    readonly line: number,
    readonly column: number,
    options: { readonly cause?: unknown } = {},
  ) {
    super(`${field}: ${detail} (line ${line}, column ${column})`, { cause: options.cause });
  }
}

/** The values one recipient's rendering sees (see `mergeScope`). */
export type MergeScope = Readonly<Record<string, string | undefined>>;

/** A compiled template: render it once per recipient. */
export interface MergeTemplate {
  /** Throws TemplateError when a render limit is hit. */
  render(scope: MergeScope): string;
}

const common = {
  // A filter that does not exist is an error at submit, not an empty string in 100,000 emails.
  strictFilters: true,
  // Merge data is plain strings: nothing may reach a prototype (`{{ name.constructor }}` is empty).
  ownPropertyOnly: true,
  // In-memory partials only, and none exist; include/render/layout are refused at parse anyway.
  templates: {},
  parseLimit: MERGE_TEMPLATE_LIMITS.parseLimit,
  renderLimit: MERGE_TEMPLATE_LIMITS.renderLimitMs,
  memoryLimit: MERGE_TEMPLATE_LIMITS.memoryLimit,
} as const;

/** Tags that read other templates (files, by default): a template could otherwise mail out a server's files. */
const FILE_TAGS = ['include', 'render', 'layout'] as const;

function engine(escapeOutput: boolean): Liquid {
  const liquid = new Liquid({ ...common, ...(escapeOutput ? { outputEscape: 'escape' as const } : {}) });
  for (const tag of FILE_TAGS) {
    liquid.registerTag(tag, {
      parse(token: TagToken) {
        throw new Error(`the ${token.name} tag is not available (templates cannot read other templates or files)`);
      },
      render() {
        return '';
      },
    });
  }
  return liquid;
}

// One engine per escaping mode, shared: an engine holds only its options and tags.
const ENGINES = { escaping: engine(true), plain: engine(false) } as const;
const engineFor = (field: TemplateField): Liquid => (field === 'html' ? ENGINES.escaping : ENGINES.plain);

/** Only `{{` and `{%` start Liquid markup: anything else renders as itself, with no engine at all. */
const hasMarkup = (source: string): boolean => source.includes('{{') || source.includes('{%');

/**
 * Compiles one field's template. Merged values are HTML-escaped in `html` (`{{ name | raw }}`
 * opts out) and left as they are in `subject` and `text`. Missing values render empty, or the
 * `default` filter's value. Throws TemplateError, with the position, when it does not compile.
 */
export function compileMergeTemplate(field: TemplateField, source: string): MergeTemplate {
  if (!hasMarkup(source)) return { render: () => source };
  const tooMuch = nthMarkup(source, MERGE_TEMPLATE_LIMITS.maxMarkup + 1);
  if (tooMuch !== -1) {
    const { line, column } = positionOf(source, tooMuch);
    throw new TemplateError(field, `has more than ${MERGE_TEMPLATE_LIMITS.maxMarkup} outputs and tags`, line, column);
  }
  const liquid = engineFor(field);
  let templates: Template[];
  try {
    templates = liquid.parse(source);
  } catch (error) {
    throw toTemplateError(field, error);
  }
  // Parsed (checked) by Liquid either way; the common shape renders much faster without it.
  return compileSimpleTemplate(source, field === 'html') ?? liquidRender(field, liquid, templates);
}

/** The Liquid engine's render of a parsed template (exported for the tests that compare the two). */
export function liquidTemplate(field: TemplateField, source: string): MergeTemplate {
  const liquid = engineFor(field);
  return liquidRender(field, liquid, liquid.parse(source));
}

/** Liquid's output, counted as it is written: too many writes (loop iterations) or characters stop the render. */
class BudgetedEmitter implements Emitter {
  buffer = '';
  private writes = 0;

  write(html: unknown): void {
    if (++this.writes > MERGE_TEMPLATE_LIMITS.maxWrites) {
      throw new Error(`renders more than ${MERGE_TEMPLATE_LIMITS.maxWrites} pieces of output (a loop too long for one email)`);
    }
    this.buffer += typeof html === 'string' ? html : html === undefined || html === null ? '' : JSON.stringify(html);
    if (this.buffer.length > MERGE_TEMPLATE_LIMITS.maxOutputChars) {
      throw new Error(`renders more than ${MERGE_TEMPLATE_LIMITS.maxOutputChars} characters`);
    }
  }
}

function liquidRender(field: TemplateField, liquid: Liquid, templates: Template[]): MergeTemplate {
  return {
    render(scope: MergeScope): string {
      try {
        const context = new Context(scope, liquid.options, { sync: true }, { liquid });
        const emitter = new BudgetedEmitter();
        toValueSync(liquid.renderer.renderTemplates(templates, context, emitter));
        return emitter.buffer;
      } catch (error) {
        throw toTemplateError(field, error);
      }
    },
  };
}

/**
 * What the gateway checks at submit: the template compiles, and renders for an example recipient
 * within the limits (a loop over a huge range fails here, not in every email). Null when usable.
 */
export function checkMergeTemplate(field: TemplateField, source: string, example: MergeScope): TemplateError | null {
  try {
    compileMergeTemplate(field, source).render(example);
    return null;
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
}

/** Index of the n-th `{{` or `{%` (1-based n), or -1 when there are fewer. */
function nthMarkup(source: string, n: number): number {
  const markup = /\{[{%]/g;
  for (let seen = 1; markup.exec(source) !== null; seen++) if (seen === n) return markup.lastIndex - 2;
  return -1;
}

function positionOf(source: string, index: number): { line: number; column: number } {
  const before = source.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: index - lineStart + 1 };
}

function toTemplateError(field: TemplateField, error: unknown): TemplateError {
  if (!(error instanceof LiquidError)) {
    return new TemplateError(field, (error as Error).message ?? String(error), 1, 1, { cause: error });
  }
  const [line = 1, column = 1] = error.token.getPosition();
  // Liquid appends ", line:L, col:C" to its messages; the position is reported separately.
  const detail = (error.originalError?.message ?? error.message).replace(/, line:\d+, col:\d+$/, '');
  return new TemplateError(field, detail, line, column, { cause: error });
}
