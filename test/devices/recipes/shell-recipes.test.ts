import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Place } from '../../../src/places/place-service.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';
import { tempDir } from '../../support/temp-dir.js';
import { acceptedHeartbeats, hasProgram, inputFor, keyOf, recipeFor, startEventServer } from './recipe-support.js';

/** Runs `script` with sh; `sleep` is a no-op so a loop meant to fill a minute runs at once. Resolves when every child closed its output. */
function runShell(script: string, shims: string, env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return run('sh', ['-c', script], { PATH: `${shims}:${process.env.PATH}`, ...env });
}

/** A program run without blocking this process (the service under test answers from it). */
function run(program: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(program, args, { env: { ...process.env, ...env } });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

/** The lines between `<<'EOF'` after `opener` and the closing EOF. */
function heredoc(block: string, opener: RegExp): string[] {
  const lines = block.split('\n');
  const start = lines.findIndex((line) => opener.test(line) && line.endsWith("<<'EOF'"));
  assert.ok(start >= 0, `a quoted heredoc matching ${opener} in:\n${block}`);
  const end = lines.indexOf('EOF', start + 1);
  assert.ok(end > start, 'the heredoc is closed');
  return lines.slice(start + 1, end);
}

const CRON_FIELD = /^(\*|\d+(-\d+)?)(\/\d+)?(,(\*|\d+(-\d+)?)(\/\d+)?)*$/;

/** A crontab line: five valid time fields, then (system crontab) a user, then the command. */
function cronCommand(line: string, withUser: boolean): string {
  const fields = line.split(' ');
  const time = fields.slice(0, 5);
  for (const field of time) assert.match(field, CRON_FIELD, `cron time field in ${line}`);
  if (withUser) assert.equal(fields[5], 'root', 'the system crontab names the user');
  assert.ok(!line.includes('%'), 'no % (cron turns it into a newline)');
  return fields.slice(withUser ? 6 : 5).join(' ');
}

/** `sh -n`: the block parses as a POSIX shell script. */
function assertShellSyntax(block: string): void {
  const check = spawnSync('sh', ['-n'], { input: block, encoding: 'utf8' });
  assert.equal(check.status, 0, `sh -n: ${check.stderr}`);
}

describe('recipes that run in a shell, run against the service', () => {
  const dir = tempDir('recipes-shell-');
  let t: TestApp;
  let place: Place;
  const shims = join(dir.path, 'shims');

  before(async () => {
    t = await startTestApp(dir.file('monitor.db'));
    place = await t.createPlace({ name: 'Дім', timeoutS: 60 });
    mkdirSync(shims);
    writeFileSync(join(shims, 'sleep'), '#!/bin/sh\nexit 0\n');
    chmodSync(join(shims, 'sleep'), 0o755);
  });
  after(async () => {
    await t.stop();
    dir.cleanup();
  });

  for (const intervalS of [10, 60]) {
    test(`OpenWrt: the crontab line (interval ${intervalS} s) calls the heartbeat ${60 / intervalS} time(s) a minute with wget`, { skip: !hasProgram('wget') && 'wget is not installed here' }, async () => {
      const recipe = recipeFor('openwrt', inputFor(t.url('/api/heartbeat'), place.api_key, { intervalS }));
      const [block] = recipe.blocks;
      assert.ok(block);
      assertShellSyntax(block.text);
      const lines = heredoc(block.text, /^cat >> \/etc\/crontabs\/root /).filter((line) => !line.startsWith('#'));
      assert.equal(lines.length, 1, 'one crontab line');
      assert.deepEqual(block.text.trimEnd().split('\n').slice(-2), ['/etc/init.d/cron enable', '/etc/init.d/cron restart'], 'cron is off on a fresh OpenWrt');
      const before = await acceptedHeartbeats(t);
      const run = await runShell(cronCommand(lines[0]!, false), shims);
      assert.equal(run.code, 0, run.stderr);
      assert.equal((await acceptedHeartbeats(t)) - before, 60 / intervalS);
      assert.ok((await t.place(place.id)).last_heartbeat_at !== null);
    });
  }

  test('Keenetic: the Entware crontab line (with its user column) calls the heartbeat every 10 s with curl', { skip: !hasProgram('curl') && 'curl is not installed here' }, async () => {
    const recipe = recipeFor('keenetic', inputFor(t.url('/api/heartbeat'), place.api_key));
    const [block] = recipe.blocks;
    assert.ok(block);
    assertShellSyntax(block.text);
    assert.match(block.text, /^opkg update && opkg install cron curl$/m);
    const lines = heredoc(block.text, /^cat >> \/opt\/etc\/crontab /).filter((line) => !line.startsWith('#'));
    assert.equal(lines.length, 1);
    const before = await acceptedHeartbeats(t);
    const run = await runShell(cronCommand(lines[0]!, true), shims);
    assert.equal(run.code, 0, run.stderr);
    assert.equal((await acceptedHeartbeats(t)) - before, 6);
  });

  test('a wrong key in a cron recipe is refused (the test would notice a recipe that sends no key)', { skip: !hasProgram('curl') && 'curl is not installed here' }, async () => {
    const recipe = recipeFor('keenetic', inputFor(t.url('/api/heartbeat'), 'x'.repeat(32), { intervalS: 60 }));
    const line = heredoc(recipe.blocks[0]!.text, /^cat >> \/opt\/etc\/crontab /).filter((l) => !l.startsWith('#'))[0]!;
    const before = await acceptedHeartbeats(t);
    const run = await runShell(cronCommand(line, true), shims);
    assert.notEqual(run.code, 0, 'curl -f fails on the 401');
    assert.equal(await acceptedHeartbeats(t), before);
  });

  test('Linux: the systemd units verify, the install block writes exactly them, and ExecStart sends a heartbeat', { skip: !hasProgram('curl') && 'curl is not installed here' }, async () => {
    const recipe = recipeFor('linux', inputFor(t.url('/api/heartbeat'), place.api_key, { deviceName: 'Дім 100% "на дачі"' }));
    const [install, service, timer] = recipe.blocks;
    assert.ok(install && service && timer);
    assert.equal(service.fileName, 'power-monitor-heartbeat.service');
    assert.equal(timer.fileName, 'power-monitor-heartbeat.timer');
    assertShellSyntax(install.text);
    assert.deepEqual(heredoc(install.text, /\/etc\/systemd\/system\/power-monitor-heartbeat\.service/), service.text.trimEnd().split('\n'));
    assert.deepEqual(heredoc(install.text, /\/etc\/systemd\/system\/power-monitor-heartbeat\.timer/), timer.text.trimEnd().split('\n'));
    assert.match(install.text, /^sudo systemctl enable --now power-monitor-heartbeat\.timer$/m);

    const units = join(dir.path, 'units');
    mkdirSync(units, { recursive: true });
    writeFileSync(join(units, service.fileName), service.text);
    writeFileSync(join(units, timer.fileName), timer.text);
    if (hasProgram('systemd-analyze')) {
      const verify = spawnSync('systemd-analyze', ['verify', '--man=no', join(units, service.fileName), join(units, timer.fileName)], { encoding: 'utf8' });
      // Only complaints about our own units count: the host's other units are none of this test's business.
      const ours = (verify.stderr + verify.stdout).split('\n').filter((line) => line.includes('power-monitor-heartbeat'));
      assert.deepEqual(ours, [], `systemd-analyze verify:\n${verify.stderr}`);
    }
    const sections = strictIni(service.text);
    assert.deepEqual(Object.keys(sections), ['Unit', 'Service']);
    assert.equal(sections.Service?.Type, 'oneshot');
    const timerSections = strictIni(timer.text);
    assert.equal(timerSections.Timer?.OnUnitActiveSec, '10s');
    assert.equal(timerSections.Install?.WantedBy, 'timers.target');

    const argv = systemdArgv(sections.Service?.ExecStart ?? '');
    assert.equal(argv[0], '/usr/bin/curl');
    const before = await acceptedHeartbeats(t);
    const curl = await run('curl', argv.slice(1));
    assert.equal(curl.code, 0, curl.stderr);
    assert.equal((await acceptedHeartbeats(t)) - before, 1);
    assert.match(sections.Unit?.Description ?? '', /Дім 100%% "на дачі"/, 'a % in the name is doubled (systemd specifiers)');
  });

  describe('NUT: the NOTIFYCMD script', () => {
    let events: Awaited<ReturnType<typeof startEventServer>>;
    let script: string;
    before(async () => {
      events = await startEventServer();
      const recipe = recipeFor('nut', inputFor(`${events.url}/api/heartbeat`, place.api_key));
      const file = recipe.blocks.find((block) => block.fileName === 'power-monitor-notify.sh');
      assert.ok(file);
      const install = recipe.blocks[0]!;
      assertShellSyntax(install.text);
      assert.deepEqual(heredoc(install.text, /power-monitor-notify\.sh/), file.text.trimEnd().split('\n'), 'the install block writes the same script');
      assert.equal(recipe.blocks[1]?.text, 'NOTIFYCMD /etc/nut/power-monitor-notify.sh\nNOTIFYFLAG ONBATT SYSLOG+EXEC\nNOTIFYFLAG ONLINE SYSLOG+EXEC\n');
      script = join(dir.path, 'power-monitor-notify.sh');
      writeFileSync(script, file.text);
      chmodSync(script, 0o755);
    });
    after(() => events.close());

    for (const [type, mains] of [['ONBATT', false], ['ONLINE', true]] as const) {
      test(`NOTIFYTYPE=${type} posts mains=${mains} to /api/event at once (ms_ago 0), under an event id`, { skip: !hasProgram('curl') && 'curl is not installed here' }, async () => {
        events.requests.length = 0;
        const run = await runShell(script, shims, { NOTIFYTYPE: type });
        assert.equal(run.code, 0, run.stderr);
        assert.equal(events.requests.length, 1);
        const [request] = events.requests;
        assert.equal(request?.method, 'POST');
        assert.equal(request?.path, '/api/event');
        assert.equal(request?.headers.authorization, `Bearer ${place.api_key}`);
        assert.equal(keyOf(request!), place.api_key);
        assert.equal(request?.headers['content-type'], 'application/json');
        const body = JSON.parse(request?.body ?? '') as { mains: unknown; ms_ago: unknown; id: unknown };
        assert.deepEqual(Object.keys(body).sort(), ['id', 'mains', 'ms_ago']);
        assert.equal(body.mains, mains);
        assert.equal(body.ms_ago, 0, 'sent the moment upsmon called');
        assert.match(String(body.id), /^[A-Za-z0-9._:-]{1,64}$/, 'an id of the shape PROTOCOL.md allows');
        assert.ok(String(body.id).endsWith(type));
      });
    }

    test('other notices (LOWBATT, COMMBAD…) send nothing', { skip: !hasProgram('curl') && 'curl is not installed here' }, async () => {
      events.requests.length = 0;
      for (const type of ['LOWBATT', 'COMMBAD', 'FSD', '']) {
        const run = await runShell(script, shims, { NOTIFYTYPE: type });
        assert.equal(run.code, 0);
      }
      assert.equal(events.requests.length, 0);
    });

    test('a failed answer is retried under the same id (so the server sees one event), and gives up after five', { skip: !hasProgram('curl') && 'curl is not installed here' }, async () => {
      // A simulated clock: `sleep N` moves it N seconds on, `date +%s` reads it.
      const clock = join(dir.path, 'clock-shims');
      mkdirSync(clock, { recursive: true });
      const now = join(clock, 'now');
      writeFileSync(now, '1700000000\n');
      writeFileSync(join(clock, 'sleep'), `#!/bin/sh\necho $(( $(cat ${now}) + $1 )) > ${now}\n`);
      writeFileSync(join(clock, 'date'), `#!/bin/sh\ncat ${now}\n`);
      chmodSync(join(clock, 'sleep'), 0o755);
      chmodSync(join(clock, 'date'), 0o755);

      events.requests.length = 0;
      events.failNext.push(503, 503);
      const run = await runShell(script, clock, { NOTIFYTYPE: 'ONBATT' });
      assert.equal(run.code, 0, run.stderr);
      assert.equal(events.requests.length, 3);
      const bodies = events.requests.map((request) => JSON.parse(request.body) as { id: string; ms_ago: number; mains: boolean });
      assert.deepEqual(bodies, [0, 10_000, 20_000].map((msAgo) => ({ mains: false, ms_ago: msAgo, id: 'nut-1700000000-ONBATT' })), 'each retry says how long ago the mains went, under one id');

      events.requests.length = 0;
      events.failNext.push(503, 503, 503, 503, 503);
      const failed = await runShell(script, shims, { NOTIFYTYPE: 'ONLINE' });
      assert.equal(failed.code, 1);
      assert.equal(events.requests.length, 5);
    });
  });
});

/** A unit file read strictly: sections in brackets, `Key=Value` lines, nothing else; no key twice in a section. */
function strictIni(text: string): Record<string, Record<string, string>> {
  const sections: Record<string, Record<string, string>> = {};
  let current: Record<string, string> | undefined;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.startsWith('#')) continue;
    const section = /^\[([A-Za-z]+)\]$/.exec(line);
    if (section) {
      assert.ok(!sections[section[1]!], `section ${section[1]} once`);
      current = sections[section[1]!] = {};
      continue;
    }
    const entry = /^([A-Za-z]+)=(.*)$/.exec(line);
    assert.ok(entry && current, `a Key=Value line inside a section: ${line}`);
    assert.ok(!(entry[1]! in current), `${entry[1]} once`);
    current[entry[1]!] = entry[2]!;
  }
  return sections;
}

/** ExecStart= split as systemd does: double-quoted words with backslash escapes; %% and $$ are literal % and $. */
function systemdArgv(line: string): string[] {
  const argv: string[] = [];
  let index = 0;
  while (index < line.length) {
    if (line[index] === ' ') {
      index++;
      continue;
    }
    let word = '';
    if (line[index] === '"') {
      index++;
      while (index < line.length && line[index] !== '"') {
        if (line[index] === '\\') index++;
        word += line[index++];
      }
      assert.equal(line[index], '"', `a closed quote in ${line}`);
      index++;
    } else {
      while (index < line.length && line[index] !== ' ') word += line[index++];
    }
    assert.doesNotMatch(word.replace(/%%/g, ''), /%/, 'no bare specifier');
    argv.push(word.replace(/%%/g, '%').replace(/\$\$/g, '$'));
  }
  return argv;
}
