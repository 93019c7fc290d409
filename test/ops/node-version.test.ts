import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConfigError, loadDotEnvFile, MIN_NODE_VERSION, nodeVersionProblem } from '../../src/config.js';
import { tempDir } from '../support/temp-dir.js';
import { repositoryPath } from '../support/repository.js';

test('package.json claims the Node version the code checks for (process.loadEnvFile came in 20.12)', () => {
  const pkg = JSON.parse(readFileSync(repositoryPath('package.json'), 'utf8')) as { engines: { node: string } };
  assert.equal(pkg.engines.node, `>=${MIN_NODE_VERSION}`);
  assert.equal(MIN_NODE_VERSION, '20.12.0');
});

test('an older Node is named with what to install; newer ones pass', () => {
  assert.match(nodeVersionProblem('20.11.1') ?? '', /Node\.js 20\.12\.0 or newer.*20\.11\.1/s);
  assert.match(nodeVersionProblem('18.20.4') ?? '', /or newer/);
  assert.equal(nodeVersionProblem('20.12.0'), null);
  assert.equal(nodeVersionProblem('20.20.0'), null);
  assert.equal(nodeVersionProblem('22.3.0'), null);
  assert.equal(nodeVersionProblem('24.0.0'), null);
});

test('reading .env on an older Node stops with that message, before loadEnvFile can crash', () => {
  const dir = tempDir();
  try {
    const file = dir.file('.env');
    assert.throws(() => loadDotEnvFile(file, '20.11.1'), (error: unknown) => error instanceof ConfigError && /20\.12\.0 or newer/.test(error.message));
  } finally {
    dir.cleanup();
  }
});
