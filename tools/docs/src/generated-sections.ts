/** The command that rewrites every generated section; the drift tests name it when they fail. */
export const REGENERATE_COMMAND = 'UPDATE_DOCS=1 npx jest tools/docs';

const begin = (name: string) => `<!-- generated: ${name} (tools/docs; do not edit by hand: ${REGENERATE_COMMAND}) -->`;
const end = (name: string) => `<!-- end of generated: ${name} -->`;

/** The content between a section's markers, or undefined when the file has no such section. */
export function readSection(markdown: string, name: string): string | undefined {
  const span = locate(markdown, name);
  return span && markdown.slice(span.from, span.to).replace(/^\n|\n$/g, '');
}

/** The file with the section's content replaced (the markers stay). */
export function writeSection(markdown: string, name: string, content: string): string {
  const span = locate(markdown, name);
  if (!span) throw new Error(`no generated section "${name}": add the line\n${begin(name)}\nand the line\n${end(name)}`);
  return `${markdown.slice(0, span.from)}\n${content}\n${markdown.slice(span.to)}`;
}

function locate(markdown: string, name: string): { from: number; to: number } | undefined {
  const start = markdown.indexOf(begin(name));
  const stop = markdown.indexOf(end(name));
  if (start < 0 || stop < start) return undefined;
  return { from: start + begin(name).length, to: stop };
}

/** The markers of a section, to paste into a file that should hold it. */
export const sectionMarkers = (name: string) => `${begin(name)}\n${end(name)}`;
