/**
 * What the deploy files promise, checked by reading them (there is no container engine in the
 * test environment): the signal and grace period agree across Dockerfile, fly.toml and main.ts,
 * node runs directly (npm would not pass SIGTERM on), and the image carries no build leftovers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { repositoryPath } from '../support/repository.js';

const read = (path: string) => readFileSync(repositoryPath(path), 'utf8');
const dockerfile = read('Dockerfile');
const flyToml = read('fly.toml');
const main = read('src/main.ts');

test('the Dockerfile needs no BuildKit frontend image (offline builders)', () => {
  assert.doesNotMatch(dockerfile, /^#\s*syntax\s*=/m);
});

test('the container runs node itself, in exec form, so node gets SIGTERM', () => {
  const cmd = /^CMD\s+(.+)$/m.exec(dockerfile)?.[1];
  assert.equal(cmd, '["node", "--max-semi-space-size=4", "dist/container-start.js"]');
  // The entry only hands the data folder over and drops root, then runs the service itself.
  assert.match(readFileSync(repositoryPath('src', 'container-start.ts'), 'utf8'), /await import\('\.\/main\.js'\)/);
  assert.doesNotMatch(dockerfile, /^(CMD|ENTRYPOINT)\s+.*npm/m);
});

test('better-sqlite3 build leftovers are pruned in the build stage, and the module is checked after', () => {
  assert.match(dockerfile, /better_sqlite3\.node/);
  assert.match(dockerfile, /rm -rf [^\n]*\bdeps\b/);
  assert.match(dockerfile, /require\('better-sqlite3'\)/, 'the pruned module is loaded and queried during the build');
});

test('fly.toml names the signal and gives more time than the service’s own shutdown limit', () => {
  assert.match(flyToml, /^kill_signal = "SIGTERM"$/m);
  const killTimeoutS = Number(/^kill_timeout = "?(\d+)s?"?$/m.exec(flyToml)?.[1]);
  const shutdownLimitMs = Number(/shutdown took too long[\s\S]*?\}, ([\d_]+)\);/.exec(main)?.[1]?.replace(/_/g, ''));
  assert.ok(shutdownLimitMs > 0, 'main.ts has a shutdown limit');
  assert.ok(killTimeoutS * 1000 > shutdownLimitMs, `kill_timeout ${killTimeoutS} s must exceed the ${shutdownLimitMs} ms shutdown limit`);
  assert.match(main, /process\.on\('SIGTERM'/);
});

test('fly.toml trusts fly’s proxy for the client address', () => {
  assert.match(flyToml, /^\s*TRUST_PROXY = "fly"$/m);
});

test('the image preloads jemalloc, installed in the runtime stage and named so the loader finds it on any architecture', (t) => {
  const runtime = dockerfile.slice(dockerfile.lastIndexOf('\nFROM '));
  assert.match(runtime, /apt-get install[^\n]*\blibjemalloc2\b/);
  const preload = /^\s*LD_PRELOAD=(\S+)/m.exec(runtime)?.[1];
  assert.equal(preload, 'libjemalloc.so.2', 'by name, no architecture directory');
  // Where this machine has the library, the name alone loads it into node.
  if (!['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu'].some((dir) => existsSync(`${dir}/libjemalloc.so.2`))) {
    t.diagnostic('libjemalloc2 is not installed here: the loader check is skipped');
    return;
  }
  const probe = spawnSync(process.execPath, ['-e', "process.stdout.write(String(require('fs').readFileSync('/proc/self/maps', 'utf8').includes('libjemalloc')))"], {
    env: { PATH: process.env.PATH, LD_PRELOAD: preload },
    encoding: 'utf8',
  });
  assert.equal(probe.stdout, 'true', probe.stderr);
});
