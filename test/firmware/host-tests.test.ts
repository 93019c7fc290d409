// Runs the ESP32 firmware's host-side unit tests (plain C++ built with g++)
// as part of `npm test`, so CI covers the firmware logic too.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPOSITORY_ROOT } from '../support/repository.js';

const repoRoot = REPOSITORY_ROOT;

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(path.delimiter).some((dir) => {
    try {
      accessSync(path.join(dir, command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function run(command: string, args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

const skip = onPath('g++')
  ? false
  : 'g++ is not on PATH: the firmware host tests (firmware/test/run.sh) need a C++17 compiler';

test('firmware host unit tests pass (bash firmware/test/run.sh)', { skip, timeout: 300_000 }, async () => {
  const { code, stdout, stderr } = await run('bash', ['firmware/test/run.sh']);
  const output = `--- stdout ---\n${stdout}\n--- stderr ---\n${stderr}`;
  assert.equal(code, 0, `firmware/test/run.sh exited with ${code}\n${output}`);
  const summary = stdout.trimEnd().split('\n').at(-1) ?? '';
  assert.match(summary, /^[1-9]\d* passed, 0 failed$/, `unexpected summary line\n${output}`);
});
