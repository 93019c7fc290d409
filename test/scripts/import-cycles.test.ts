import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { findImportCycles } from '../../scripts/check-import-cycles.js';
import { tempDir } from '../support/temp-dir.js';

const OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true };

/** A throwaway source tree: file name → contents. */
function tree(files: Record<string, string>): { root: string; cleanup: () => void } {
  const dir = tempDir('import-cycles-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(dir.file(name)), { recursive: true });
    writeFileSync(dir.file(name), text);
  }
  return { root: dir.path, cleanup: dir.cleanup };
}

describe('the import cycle check', () => {
  test('finds a circle through .js specifiers, type-only imports and re-exports, with the whole knot', () => {
    const { root, cleanup } = tree({
      'package.json': '{ "type": "module" }',
      'app.ts': "import { features } from './bot/features.js';\nexport class App { port = 0; }\nfeatures();",
      'bot/features.ts': "export { deps } from './deps.js';\nexport function features() {}",
      'bot/deps.ts': "import type { App } from '../app.js';\nexport type deps = { app: App };",
      'bot/menu.ts': "import { features } from './features.js';\nimport { helper } from '../helper.js';\nfeatures(); helper();",
      'helper.ts': 'export function helper() {}',
    });
    try {
      const cycles = findImportCycles(root, OPTIONS);
      assert.deepEqual(cycles, [{ cycle: ['app.ts', 'bot/features.ts', 'bot/deps.ts', 'app.ts'], knot: ['app.ts', 'bot/deps.ts', 'bot/features.ts'] }]);
    } finally {
      cleanup();
    }
  });

  test('a tree without circles passes, whatever it imports from packages', () => {
    const { root, cleanup } = tree({
      'package.json': '{ "type": "module" }',
      'a.ts': "import { b } from './b.js';\nimport { readFileSync } from 'node:fs';\nexport const a = b + String(readFileSync);",
      'b.ts': "import { c } from './c.js';\nexport const b = c;",
      'c.ts': "export const c = await import('./d.js').then(() => 'c');",
      'd.ts': 'export const d = 1;',
    });
    try {
      assert.deepEqual(findImportCycles(root, OPTIONS), []);
    } finally {
      cleanup();
    }
  });

  test('a dynamic import closes a circle too', () => {
    const { root, cleanup } = tree({
      'package.json': '{ "type": "module" }',
      'a.ts': "export const load = () => import('./b.js');",
      'b.ts': "import { load } from './a.js';\nexport const b = load;",
    });
    try {
      assert.deepEqual(findImportCycles(root, OPTIONS), [{ cycle: ['a.ts', 'b.ts', 'a.ts'], knot: ['a.ts', 'b.ts'] }]);
    } finally {
      cleanup();
    }
  });
});
