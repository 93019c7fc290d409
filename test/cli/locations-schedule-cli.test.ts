/** `npm run locations -- schedule …` as an operator types it: the real script, a local server playing the sources. */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { tempDir } from '../support/temp-dir.js';
import { startSourceServer } from '../schedules/source-server.js';
import { gpvBody, USUAL_QUEUES } from '../schedules/gpv-body.js';
import { scriptArgs } from '../support/repository.js';
import { storageUnderTest } from '../support/test-store.js';

const script = scriptArgs('src', 'cli', 'locations.ts');
const dir = tempDir();
let server: Awaited<ReturnType<typeof startSourceServer>>;
let env: Record<string, string>;

before(async () => {
  server = await startSourceServer();
  server.reply('/kyiv.json', { kind: 'serve', body: gpvBody({ update: '20.11.2026 11:30', queues: USUAL_QUEUES, days: { '2026-11-20': {} } }) });
  server.reply('/broken.json', { kind: 'status', status: 503 });
  env = { SCHEDULE_SOURCES: `kyiv=gpv:${server.url('/kyiv.json')},dnipro=gpv:${server.url('/broken.json')}` };
});
after(async () => {
  await server.close();
  dir.cleanup();
});

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  // On a PostgreSQL run the tool works on the database standing for the file, as the service does.
  const storage = await storageUnderTest(dir.file('monitor.db'));
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...script, ...args],
      { env: { PATH: process.env.PATH ?? '', DATABASE_PATH: dir.file('monitor.db'), ...storage, ...env }, cwd: dir.path },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

test('schedule <id> <source> <queue> checks both against the source and shows in `show`; none detaches', async () => {
  assert.equal((await cli(['add', 'Home'])).code, 0);
  const attached = await cli(['schedule', '1', 'kyiv', '3.1']);
  assert.equal(attached.code, 0, attached.stderr);
  assert.match(attached.stdout, /Schedule: kyiv \(Kyiv city \(DTEK\)\), queue GPV3\.1; no warnings; tomorrow's plan not posted/);
  const shown = await cli(['show', '1']);
  assert.match(shown.stdout, /^#1 Home — .*\nSchedule: kyiv \(Kyiv city \(DTEK\)\), queue GPV3\.1;/);

  const region = await cli(['schedule', '1', 'kyiv', 'unknown']);
  assert.equal(region.code, 0, region.stderr);
  assert.match(region.stdout, /Schedule: region kyiv, queue not known yet \(to be found from the outages\)/);
  assert.equal((await cli(['schedule', '1', 'nowhere', 'unknown'])).code, 1);

  const none = await cli(['schedule', '1', 'none']);
  assert.equal(none.code, 0, none.stderr);
  assert.match(none.stdout, /Schedule: none/);
  assert.match((await cli(['show', '1'])).stdout, /Schedule: none/);
});

test('a wrong source, queue, place or a source that cannot be read is refused with what to do, and nothing changes', async () => {
  assert.equal((await cli(['schedule', '1', 'kyiv', 'GPV1.2'])).code, 0);
  const cases: [string[], RegExp][] = [
    [['schedule', '1', 'nowhere', '3.1'], /There is no schedule source "nowhere"\. Known sources: kyiv, kyiv-region, dnipro, odesa, /],
    [['schedule', '1', 'kyiv', '9.9'], /The source "kyiv" has no queue "9\.9"\. Its queues: GPV1\.1, GPV1\.2, .*GPV6\.2\./],
    [['schedule', '1', 'dnipro', '1.1'], /Could not read the source "dnipro" \(http:\/\/127\.0\.0\.1:\d+\/broken\.json\): HTTP 503 Service Unavailable\. .*nothing was changed/],
    [['schedule', '7', 'kyiv', '3.1'], /There is no place with id 7/],
    [['schedule', '1', 'kyiv'], /Give the source and the queue, e\.g\. schedule 1 kyiv 3\.1, or "none"/],
  ];
  for (const [args, expected] of cases) {
    const result = await cli(args);
    assert.equal(result.code, 1, args.join(' '));
    assert.match(result.stderr, expected, args.join(' '));
    assert.doesNotMatch(result.stderr, /\n\s+at /, 'no stack trace');
  }
  assert.match((await cli(['show', '1'])).stdout, /queue GPV1\.2;/, 'still the schedule set before');
});
