import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { runScheduleCli } from '../../src/cli/schedule.js';
import { fixture } from './fixture.js';
import { startSourceServer } from './source-server.js';
import { REPOSITORY_ROOT } from '../support/repository.js';

const ROOT = REPOSITORY_ROOT;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

describe('npm run schedule', () => {
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  const runs = new Map<string, Run>();

  const env = () => ({
    TIMEZONE: 'Europe/Kyiv',
    SCHEDULE_SOURCES: [
      `city=gpv:${server.url('/city.json')}`,
      `spring=gpv:${server.url('/spring.json')}`,
      `yasno-test=yasno:${server.url('/yasno')}`,
      `down=gpv:${server.url('/down.json')}`,
    ].join(','),
  });

  /** The command in this process, as the entry file runs it. */
  const cli = async (args: string[]): Promise<Run> => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runScheduleCli(args, { env: env(), now: () => Date.UTC(2026, 0, 14, 19), out: (l) => out.push(`${l}\n`), err: (l) => err.push(`${l}\n`) });
    return { code, stdout: out.join(''), stderr: err.join('') };
  };

  /** The real thing: npm run schedule in a child process. */
  const npmRun = (args: string[]) =>
    new Promise<Run>((resolve) => {
      execFile('npm', ['run', '-s', 'schedule', '--', ...args], { cwd: ROOT, env: { ...process.env, ...env() } }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
      });
    });

  before(async () => {
    server = await startSourceServer();
    server.reply('/city.json', { kind: 'serve', body: fixture('gpv-small.json'), etag: '"c"' });
    server.reply('/spring.json', { kind: 'serve', body: fixture('gpv-dst-spring.json') });
    server.reply('/yasno', { kind: 'serve', body: fixture('yasno-small.json') });
    server.reply('/down.json', { kind: 'status', status: 503 });
    const cases: Record<string, string[]> = {
      whole: ['show', 'city', '1.1', '--date', '2026-01-14'],
      possible: ['show', 'city', 'GPV1.2', '--date', '2026-01-14'],
      empty: ['show', 'city', '2.1', '--date', '2026-01-14'],
      missing: ['show', 'city', '1.1', '--date', '2026-01-16'],
      waiting: ['show', 'yasno-test', '1.1', '--date', '2026-01-30'],
      spring: ['show', 'spring', '1.1', '--date', '2026-03-29'],
      queue: ['show', 'city', '9.9', '--date', '2026-01-14'],
      date: ['show', 'city', '1.1', '--date', '14.01.2026'],
      down: ['show', 'down', '1.1'],
      sources: ['sources'],
      queues: ['queues', 'city'],
    };
    for (const [name, args] of Object.entries(cases)) runs.set(name, await cli(args));
    runs.set('npm', await npmRun(['show', 'city', '1.1', '--date', '2026-01-14']));
  });
  after(() => server.close());

  const run = (name: string) => runs.get(name)!;

  test('show: one HH:MM–HH:MM per line in local time, adjacent hours and half hours merged', () => {
    assert.deepEqual(run('whole'), {
      code: 0,
      stdout: '07:00–10:00\n15:30–18:00\n23:00–24:00\n',
      stderr: 'city · GPV1.1 (Черга 1.1) · 2026-01-14 · as of 2026-01-14 20:05 (Europe/Kyiv)\n',
    });
  });

  test('npm run schedule runs the same from the shell, and warns about an old source', () => {
    assert.equal(run('npm').code, 0);
    assert.equal(run('npm').stdout, '07:00–10:00\n15:30–18:00\n23:00–24:00\n');
    assert.match(run('npm').stderr, /Warning: the source has not been updated for more than two days/);
  });

  test('show: possible outages are marked', () => {
    assert.equal(run('possible').stdout, '12:00–12:30\n13:00–14:30 (possible)\n19:30–20:00 (possible)\n');
  });

  test('show: a day without outages prints nothing and says so on stderr', () => {
    assert.equal(run('empty').code, 0);
    assert.equal(run('empty').stdout, '');
    assert.match(run('empty').stderr, /No outages planned that day\./);
  });

  test('show: no plan for the day is exit 2 with the reason, never an empty plan', () => {
    assert.deepEqual([run('missing').code, run('missing').stdout], [2, '']);
    assert.match(run('missing').stderr, /no schedule for 2026-01-16 \(days it has: 2026-01-14, 2026-01-15\)/);
    assert.deepEqual([run('waiting').code, run('waiting').stdout], [2, '']);
    assert.match(run('waiting').stderr, /has not published the schedule for 2026-01-30 yet/);
  });

  test('show: the 23-hour day reads in wall-clock time', () => {
    assert.equal(run('spring').stdout, '02:00–05:00\n');
  });

  test('show: a wrong queue, date or an unreachable source is exit 1 with what to do', () => {
    assert.equal(run('queue').code, 1);
    assert.match(run('queue').stderr, /city has no queue "9\.9"\. Its queues: GPV1\.1, GPV1\.2, GPV2\.1, GPV2\.2\./);
    assert.equal(run('date').code, 1);
    assert.match(run('date').stderr, /write it as YYYY-MM-DD/);
    assert.equal(run('down').code, 1);
    assert.match(run('down').stderr, /Could not read down .*: HTTP 503/);
  });

  test('sources and queues', () => {
    assert.equal(run('sources').code, 0);
    assert.match(run('sources').stdout, /^kyiv\s+gpv\s+Київ \(ДТЕК\) \/ Kyiv city \(DTEK\)\n\s+https:\/\/raw\.githubusercontent\.com\/Baskerville42\/outage-data-ua\/main\/data\/kyiv\.json$/m);
    assert.match(run('sources').stdout, /^city\s+gpv\s+\(from SCHEDULE_SOURCES\)$/m);
    assert.equal(run('queues').stdout, 'GPV1.1\tЧерга 1.1\nGPV1.2\tЧерга 1.2\nGPV2.1\tЧерга 2.1\nGPV2.2\tЧерга 2.2\n');
  });
});
