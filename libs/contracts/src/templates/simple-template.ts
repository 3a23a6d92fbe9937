import type { MergeScope, MergeTemplate } from './merge-template';

/**
 * The common template, rendered without the Liquid engine: text with outputs that are a bare field
 * (`{{ name }}`) or a field with a quoted default (`{{ name | default: "reader" }}`), and no tags.
 * Liquid still parses every template first (errors, positions); this only replaces its render,
 * which costs about 5 µs per output (generators, a context per render), by a concatenation that
 * gives the same string (merge-template.spec.ts checks it against Liquid). Anything else (tags,
 * other filters, whitespace control, literals) renders with Liquid.
 */
export function compileSimpleTemplate(source: string, escapeOutput: boolean): MergeTemplate | null {
  if (source.includes('{%')) return null;
  const parts = source.split(OUTPUT);
  // split() with one capture group: static text at even indexes, output expressions at odd ones.
  const outputs: Array<{ readonly field: string; readonly fallback?: string }> = [];
  for (let i = 1; i < parts.length; i += 2) {
    const match = SIMPLE_OUTPUT.exec(parts[i]!);
    if (!match || LITERALS.has(match[1]!)) return null;
    const fallback = match[2] ?? match[3];
    outputs.push({ field: match[1]!, ...(fallback !== undefined ? { fallback } : {}) });
  }
  const texts = parts.filter((_, i) => i % 2 === 0);
  if (texts.some((text) => text.includes('{{') || text.includes('}}'))) return null;
  return {
    render(scope: MergeScope): string {
      let out = texts[0]!;
      for (let i = 0; i < outputs.length; i++) {
        const { field, fallback } = outputs[i]!;
        const raw = Object.prototype.hasOwnProperty.call(scope, field) ? scope[field] : undefined;
        // Liquid's `default`: an absent or empty value takes the default.
        const value = raw === undefined || raw === null || raw === '' ? (fallback ?? '') : String(raw);
        out += (escapeOutput ? escapeHtml(value) : value) + texts[i + 1]!;
      }
      return out;
    },
  };
}

const OUTPUT = /\{\{([^{}]*)\}\}/;
// A field name (no `-`: `{{- x }}` trims whitespace) and at most a `default` with a plain quoted string.
const SIMPLE_OUTPUT = /^ *([A-Za-z_][A-Za-z0-9_]*) *(?:\| *default *: *(?:"([^"\\{}]*)"|'([^'\\{}]*)') *)?$/;
// Names Liquid reads as literals, not fields.
const LITERALS = new Set(['true', 'false', 'nil', 'null', 'empty', 'blank']);

// Liquid's `escape` filter, which `outputEscape: 'escape'` applies to every output.
const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
