/**
 * Browser bundles (the admin renderer) import @sealtime/shared/views: nothing it
 * reaches may pull in a libsodium binding, native or WebAssembly.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const sharedSrc = join(dirname(fileURLToPath(import.meta.url)), '..');

/** What a file imports for its values: `import type` and `export type … from` vanish from every bundle. */
function valueImports(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022);
  const out: string[] = [];
  for (const node of source.statements) {
    if (ts.isImportDeclaration(node) && !node.importClause?.isTypeOnly && ts.isStringLiteral(node.moduleSpecifier))
      out.push(node.moduleSpecifier.text);
    if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    )
      out.push(node.moduleSpecifier.text);
  }
  // dynamic import('…') anywhere in the file
  const visit = (n: ts.Node): void => {
    if (
      ts.isCallExpression(n) &&
      n.expression.kind === ts.SyntaxKind.ImportKeyword &&
      n.arguments[0] &&
      ts.isStringLiteral(n.arguments[0])
    )
      out.push(n.arguments[0].text);
    ts.forEachChild(n, visit);
  };
  visit(source);
  return out;
}

/** Every file a static import reaches from `entry`, and every package it names. */
function reach(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const todo = [entry];
  while (todo.length > 0) {
    const file = todo.pop()!;
    if (files.has(file)) continue;
    files.add(file);
    for (const fileName of valueImports(file)) {
      if (!fileName.startsWith('.')) {
        packages.add(fileName);
        continue;
      }
      const target = join(dirname(file), fileName).replace(/\.js$/, '');
      const found = [`${target}.ts`, `${target}.tsx`, join(target, 'index.ts')].find((f) => existsSync(f));
      if (found) todo.push(found);
    }
  }
  return { files, packages };
}

describe('@sealtime/shared/views', () => {
  it('reaches no libsodium binding through value imports', () => {
    const { files, packages } = reach(join(sharedSrc, 'views', 'index.ts'));
    expect(files.size).toBeGreaterThan(10);
    const reached = [...files].map((f) => relative(sharedSrc, f));
    expect(reached.filter((f) => f.startsWith('envelope/'))).toEqual([]);
    expect([...packages].filter((p) => /sodium/.test(p))).toEqual([]);
  });

  it('would notice if it did (the walk follows the envelope entry to the binding)', () => {
    const { files, packages } = reach(join(sharedSrc, 'envelope', 'index.ts'));
    expect([...files].map((f) => relative(sharedSrc, f))).toContain(join('envelope', 'sodium.ts'));
    expect(packages).toContain('sodium-native');
    expect(packages).toContain('libsodium-wrappers-sumo');
  });
});
