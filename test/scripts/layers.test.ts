import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, test } from 'node:test';
import ts from 'typescript';
import { findUpwardImports, judge, type Floor } from '../../scripts/check-layers.js';
import { tempDir } from '../support/temp-dir.js';

const OPTIONS: ts.CompilerOptions = { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, strict: true };

/** Three floors: the wire at the bottom, the diagram on it, the app on top. */
const FLOORS: Floor[] = [
  { holds: ['wire/'], why: 'sends' },
  { holds: ['diagram/'], why: 'draws' },
  { holds: ['app.ts'], why: 'builds' },
];

/** A throwaway source tree: file name → contents. */
function tree(files: Record<string, string>): { root: string; cleanup: () => void } {
  const dir = tempDir('layers-');
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(dir.file(name)), { recursive: true });
    writeFileSync(dir.file(name), text);
  }
  return { root: dir.path, cleanup: dir.cleanup };
}

describe('the floor check', () => {
  test('flags a lower floor importing from a higher one, even for a type', () => {
    const { root, cleanup } = tree({
      'package.json': '{ "type": "module" }',
      'app.ts': "import { draw } from './diagram/draw.js';\nexport class App { port = 0; }\ndraw();",
      'diagram/draw.ts': "import { send } from '../wire/send.js';\nexport function draw() { send(); }",
      'wire/send.ts': "import type { App } from '../app.js';\nexport function send(app?: App) { return app; }",
    });
    try {
      const { upward, unplaced } = findUpwardImports(root, FLOORS, OPTIONS);
      assert.deepEqual(upward, [{ from: 'wire/send.ts', to: 'app.ts', fromFloor: 1, toFloor: 3 }]);
      assert.deepEqual(unplaced, []);
      assert.deepEqual(judge(upward, []).forbidden, upward);
      assert.deepEqual(judge(upward, [{ from: 'wire/send.ts', to: 'app.ts', why: 'for the test' }]), { forbidden: [], unused: [] });
    } finally {
      cleanup();
    }
  });

  test('a tree whose imports all run down or across passes', () => {
    const { root, cleanup } = tree({
      'package.json': '{ "type": "module" }',
      'app.ts': "import { draw } from './diagram/draw.js';\ndraw();",
      'diagram/draw.ts': "import { send } from '../wire/send.js';\nimport { bars } from './bars.js';\nexport function draw() { send(bars); }",
      'diagram/bars.ts': "import { readFileSync } from 'node:fs';\nexport const bars = String(readFileSync);",
      'wire/send.ts': 'export function send(what: string) { return what; }',
    });
    try {
      const { upward, unplaced } = findUpwardImports(root, FLOORS, OPTIONS);
      assert.deepEqual(upward, []);
      assert.deepEqual(unplaced, []);
      assert.deepEqual(judge(upward, []), { forbidden: [], unused: [] });
    } finally {
      cleanup();
    }
  });

  test('names a file on no floor, and an allowance nothing uses any more', () => {
    const { root, cleanup } = tree({
      'package.json': '{ "type": "module" }',
      'app.ts': "import { x } from './extra/x.js';\nx();",
      'extra/x.ts': 'export function x() {}',
    });
    try {
      const { upward, unplaced } = findUpwardImports(root, FLOORS, OPTIONS);
      assert.deepEqual(unplaced, ['extra/x.ts']);
      const stale = { from: 'wire/send.ts', to: 'app.ts', why: 'gone' };
      assert.deepEqual(judge(upward, [stale]).unused, [stale]);
    } finally {
      cleanup();
    }
  });
});
