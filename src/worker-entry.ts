import { fileURLToPath } from 'node:url';

const runningFromTypeScript = import.meta.url.endsWith('.ts');

/**
 * What a worker thread is started with to run the module `moduleUrl` (a `new URL('./x.js',
 * import.meta.url)` of the caller, named with its compiled `.js`): in dist/ the compiled file
 * itself; in development and tests the .ts file, loaded through tsx-worker-entry.mjs (a worker
 * cannot load TypeScript on its own on Node 20).
 */
export function workerEntry(moduleUrl: URL): { path: string; workerData: { typescriptEntry?: string } } {
  if (!runningFromTypeScript) return { path: fileURLToPath(moduleUrl), workerData: {} };
  return {
    path: fileURLToPath(new URL('./tsx-worker-entry.mjs', import.meta.url)),
    workerData: { typescriptEntry: moduleUrl.href.replace(/\.js$/, '.ts') },
  };
}
