import { readFileSync } from 'node:fs';
import ts from 'typescript';

/** One class as its source declares it: the class it extends (by name) and its properties' doc comments. */
export interface DeclaredClass {
  readonly file: string;
  readonly base?: string;
  /** Property name → doc comment (one line); properties without a comment are absent. */
  readonly docs: ReadonlyMap<string, string>;
}

/**
 * Reads the doc comments of every class property in the given files. The env schema classes are
 * the one source of each variable's description: the comment sits beside the validation rules, so
 * whoever adds or changes a variable sees it. Parsed, not type-checked: fast, and it needs no
 * module resolution (a base class is found by name among the files read).
 */
export function readDeclaredClasses(files: readonly string[]): Map<string, DeclaredClass> {
  const classes = new Map<string, DeclaredClass>();
  for (const file of files) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      if (!ts.isClassDeclaration(statement) || !statement.name) continue;
      const name = statement.name.text;
      if (classes.has(name)) throw new Error(`class ${name} is declared twice (${classes.get(name)!.file} and ${file})`);
      classes.set(name, { file, base: baseName(statement), docs: propertyDocs(statement) });
    }
  }
  return classes;
}

/** The doc comment of a property, from the class itself or, for an override without one, from its bases. */
export function docOf(classes: ReadonlyMap<string, DeclaredClass>, className: string, property: string): string | undefined {
  for (let name: string | undefined = className; name !== undefined; name = classes.get(name)?.base) {
    const declared = classes.get(name);
    if (!declared) return undefined;
    const doc = declared.docs.get(property);
    if (doc !== undefined) return doc;
  }
  return undefined;
}

function baseName(declaration: ts.ClassDeclaration): string | undefined {
  const heritage = declaration.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
  const expression = heritage?.types[0]?.expression;
  return expression && ts.isIdentifier(expression) ? expression.text : undefined;
}

function propertyDocs(declaration: ts.ClassDeclaration): Map<string, string> {
  const docs = new Map<string, string>();
  for (const member of declaration.members) {
    if (!ts.isPropertyDeclaration(member) || !ts.isIdentifier(member.name)) continue;
    const text = ts
      .getJSDocCommentsAndTags(member)
      .filter(ts.isJSDoc)
      .map((doc) => ts.getTextOfJSDocComment(doc.comment) ?? '')
      .join(' ')
      .replace(/\s+/g, ' ')
      .trim();
    if (text) docs.set(member.name.text, text);
  }
  return docs;
}
