import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { tempDir } from '../support/temp-dir.js';
import { REPOSITORY_ROOT } from '../support/repository.js';

const repo = REPOSITORY_ROOT;

test('the container entry gives a root-owned data folder to the service user, then runs without root', (t) => {
  if (process.getuid?.() !== 0) {
    t.skip('only root can hand files over and drop privileges');
    return;
  }
  const dir = tempDir();
  try {
    chmodSync(dir.path, 0o755);
    const data = join(dir.path, 'data');
    mkdirSync(join(data, 'backups'), { recursive: true, mode: 0o755 });
    writeFileSync(join(data, 'monitor.db'), '');
    writeFileSync(join(data, 'backups', 'old.db'), '');
    const script =
      `import { writeFileSync } from 'node:fs';` +
      `import { runAsServiceUser } from ${JSON.stringify(join(repo, 'src/ops/run-as-service-user.ts'))};` +
      `const result = runAsServiceUser(${JSON.stringify(data)}, { uid: 65534, gid: 65534 });` +
      `writeFileSync(${JSON.stringify(join(data, 'written-after.db'))}, 'x');` +
      `console.log(JSON.stringify({ ...result, uid: process.getuid(), gid: process.getgid(), groups: process.getgroups() }));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: repo, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const report = JSON.parse(run.stdout.trim().split('\n').at(-1)!) as { handedOver: number; uid: number; gid: number; groups: number[] };
    assert.deepEqual(report, { handedOver: 4, uid: 65534, gid: 65534, groups: [65534] });
    for (const path of [data, join(data, 'monitor.db'), join(data, 'backups'), join(data, 'backups', 'old.db'), join(data, 'written-after.db')]) {
      assert.equal(statSync(path).uid, 65534, path);
    }
  } finally {
    dir.cleanup();
  }
});
