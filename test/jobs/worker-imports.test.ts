import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { repositoryPath } from '../support/repository.js';

const SRC = repositoryPath('src');

/**
 * The packages and project files a module loads when it runs: its imports and re-exports that are
 * not type-only, followed through the project's files (`./x.js` is `./x.ts`).
 */
function runtimeImports(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    for (const statement of source.statements) {
      let specifier: ts.Expression | undefined;
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        const typeOnly =
          clause !== undefined &&
          (clause.isTypeOnly ||
            (clause.name === undefined &&
              clause.namedBindings !== undefined &&
              ts.isNamedImports(clause.namedBindings) &&
              clause.namedBindings.elements.every((element) => element.isTypeOnly)));
        if (!typeOnly) specifier = statement.moduleSpecifier;
      } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) {
        specifier = statement.moduleSpecifier;
      }
      if (!specifier || !ts.isStringLiteral(specifier)) continue;
      const name = specifier.text;
      if (name.startsWith('.')) visit(resolve(dirname(file), name.replace(/\.js$/, '.ts')));
      else packages.add(name.startsWith('@') ? name.split('/').slice(0, 2).join('/') : name.split('/')[0]!);
    }
  };
  visit(resolve(SRC, entry));
  return { files, packages };
}

test('the sweep worker loads no Kysely: its queries come compiled from the main thread', () => {
  const { packages } = runtimeImports('jobs/sweep-worker.ts');
  assert.ok(packages.has('better-sqlite3'), 'the check follows the worker’s imports (it finds better-sqlite3)');
  assert.ok(!packages.has('kysely'), `the sweep worker's isolate would load Kysely; it loads: ${[...packages].sort().join(', ')}`);
});

test('the render worker loads no Kysely either', () => {
  assert.ok(!runtimeImports('jobs/render-worker.ts').packages.has('kysely'));
});
