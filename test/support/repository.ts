/**
 * Where the repository's own files are, for tests that read sources, fixtures or locales, or start
 * a script with tsx. `npm test` runs the tests compiled into `.test-build/` (one tsc pass checks the
 * types and emits them, and plain JavaScript starts about a second faster per test file than tsx);
 * `node --import tsx --test test/…` runs them from here. Both find the same root: the nearest folder
 * upwards with a package.json (`.test-build/` has none).
 */
import { existsSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';

function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${start}`);
  }
}

/** The repository's root folder. */
export const REPOSITORY_ROOT = findRoot(import.meta.dirname);

/** A path inside the repository, e.g. `repositoryPath('src', 'main.ts')`. */
export const repositoryPath = (...parts: string[]): string => join(REPOSITORY_ROOT, ...parts);

/**
 * Node's arguments for one of the repository's TypeScript entry points (e.g. `src/cli/locations.ts`),
 * as a test starts it in a child process: its compiled JavaScript when the tests run compiled
 * (`.test-build/`, the same code without tsx's loader: about a second less per run), else through tsx.
 */
export function scriptArgs(...parts: string[]): string[] {
  const here = import.meta.dirname;
  if (here.split(sep).includes('.test-build')) {
    const compiled = join(dirname(dirname(here)), ...parts).replace(/\.ts$/, '.js');
    if (existsSync(compiled)) return [compiled];
  }
  return ['--import', import.meta.resolve('tsx'), repositoryPath(...parts)];
}
