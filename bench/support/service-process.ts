// How the benchmarks start the service's process: as the container runs it — compiled JavaScript
// under plain Node with the image's flags — so start-up time and memory are the production ones
// (tsx's loader adds a thread, tens of MB and about a second of start-up). The first use compiles
// the project once into bench/out/build (one tsc pass, ~12 s); `--tsx` (or BENCH_TSX=1) runs the
// TypeScript through tsx instead, as the figures before this change were taken.
import { execFileSync, fork, type ChildProcess, type ForkOptions } from 'node:child_process';
import { existsSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const BUILD = join(REPO, 'bench', 'out', 'build');
/** The flags of the Dockerfile's CMD. */
const CONTAINER_FLAGS = ['--max-semi-space-size=4'];

export const runsThroughTsx = process.argv.includes('--tsx') || process.env.BENCH_TSX === '1';
let built = false;

/** Compiles the project for forkService now (call it before timing a start). */
export function prepareService(): void {
  if (runsThroughTsx || built) return;
  rmSync(BUILD, { recursive: true, force: true });
  execFileSync(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', join(REPO, 'tsconfig.json'), '--outDir', BUILD], { cwd: REPO, stdio: 'inherit' });
  // The compiled src/i18n/translator.js finds its texts at ../../locales, as in the image.
  if (!existsSync(join(BUILD, 'locales'))) symlinkSync(join(REPO, 'locales'), join(BUILD, 'locales'), 'dir');
  built = true;
}

/** Starts `script` (a path under bench/, e.g. 'support/serve.ts') in its own process. */
export function forkService(script: string, options: ForkOptions & { execArgv?: string[] } = {}): ChildProcess {
  const source = join(REPO, 'bench', script);
  const extra = options.execArgv ?? [];
  if (runsThroughTsx) return fork(source, [], { ...options, execArgv: ['--import', 'tsx', ...extra] });
  prepareService();
  const compiled = join(BUILD, relative(REPO, source)).replace(/\.ts$/, '.js');
  return fork(compiled, [], { ...options, execArgv: [...CONTAINER_FLAGS, ...extra] });
}
