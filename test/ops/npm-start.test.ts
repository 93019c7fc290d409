/**
 * `npm start` stops with the service. npm runs a script through `sh -c` and passes a signal on to
 * that shell only; a shell that merely waits for `node` dies of it and leaves `node` serving, with
 * the database still open, under nobody (a supervisor that stopped `npm start` believes the
 * service is gone; the next start finds the database held). The real `npm start` of package.json
 * runs here against the compiled service, and is stopped as a terminal or a supervisor would.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, sep } from 'node:path';
import { promisify } from 'node:util';
import { acquireInstanceLock, readInstanceClaim } from '../../src/db/instance-lock.js';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import { REPOSITORY_ROOT } from '../support/repository.js';
import { tempDir } from '../support/temp-dir.js';
import { freePort } from '../support/free-port.js';

const BOT_TOKEN = '7000000002:AAFakeTokenForTheNpmStartTest_01234567890';

describe('npm start', () => {
  const dir = tempDir('monitor-npm-start-');
  const appDir = join(dir.path, 'app');
  let fakeTelegram: FakeBotApi;

  before(async () => {
    // `npm start --ignore-scripts` skips the prestart build: dist/ is the tests' compiled src/ when
    // they run compiled (npm test), else built here as the prestart script would.
    mkdirSync(appDir, { recursive: true });
    await layOutDist(join(appDir, 'dist'));
    copyFileSync(join(REPOSITORY_ROOT, 'package.json'), join(appDir, 'package.json'));
    symlinkSync(join(REPOSITORY_ROOT, 'node_modules'), join(appDir, 'node_modules'), 'dir');
    symlinkSync(join(REPOSITORY_ROOT, 'locales'), join(appDir, 'locales'), 'dir');
    fakeTelegram = await startFakeBotApi({ token: BOT_TOKEN, longPollCapMs: 300 });
  });
  after(async () => {
    await fakeTelegram?.close();
    dir.cleanup();
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} to npm stops the service with it: no node is left running and the database is free`, async () => {
      const databasePath = dir.file(`${signal}.db`);
      const port = await freePort();
      const npm = spawn('npm', ['start', '--ignore-scripts'], {
        cwd: appDir,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME ?? dir.path,
          npm_config_update_notifier: 'false',
          NODE_ENV: 'production',
          PORT: String(port),
          DATABASE_PATH: databasePath,
          LOG_LEVEL: 'silent',
          BOT_TOKEN,
          TELEGRAM_API_ROOT: fakeTelegram.apiRoot,
          TIMEZONE: 'Europe/Kyiv',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      npm.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      npm.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      const npmExit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => npm.once('exit', (code, sig) => resolve({ code, signal: sig })));
      let servicePid: number | undefined;
      try {
        await untilHealthy(`http://127.0.0.1:${port}/health`, 20_000, () => output);
        // The service writes who holds the database once it has claimed it: that is the node process.
        servicePid = readInstanceClaim(databasePath)?.pid;
        assert.ok(servicePid !== undefined, 'the service recorded its process');
        assert.notEqual(servicePid, npm.pid, 'npm started the service as its own process');

        npm.kill(signal);
        const exited = await Promise.race([npmExit, delay(10_000).then(() => null)]);
        assert.ok(exited, `npm did not end within 10 s of ${signal}:\n${output}`);
        assert.equal(await until(() => !isRunning(servicePid!), 8_000), true, `node (pid ${servicePid}) kept running after npm ended:\n${output}`);
        assert.deepEqual(exited, { code: 0, signal: null }, `npm ends as the service did, cleanly:\n${output}`);
        // The database is released: a new instance can claim it.
        acquireInstanceLock(databasePath, Date.now(), () => null).release();
      } finally {
        if (servicePid !== undefined && isRunning(servicePid)) process.kill(servicePid, 'SIGKILL');
        if (npm.exitCode === null && npm.signalCode === null) npm.kill('SIGKILL');
      }
    });
  }
});

/** dist/ as `npm start` runs it: the tests' own compiled src/ when there is one, else a fresh build. */
async function layOutDist(distDir: string): Promise<void> {
  const here = import.meta.dirname;
  if (here.split(sep).includes('.test-build')) {
    const compiledSrc = join(dirname(dirname(here)), 'src');
    if (existsSync(join(compiledSrc, 'main.js'))) {
      symlinkSync(compiledSrc, distDir, 'dir');
      return;
    }
  }
  await promisify(execFile)(process.execPath, [join(REPOSITORY_ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', distDir], {
    cwd: REPOSITORY_ROOT,
  }).catch((error: { stdout?: string }) => {
    throw new Error(`tsc -p tsconfig.build.json failed:\n${error.stdout ?? String(error)}`);
  });
}

async function untilHealthy(url: string, timeoutMs: number, output: () => string): Promise<void> {
  const healthy = await until(async () => {
    try {
      const reply = await fetch(url);
      await reply.arrayBuffer();
      return reply.status === 200;
    } catch {
      return false; // not listening yet
    }
  }, timeoutMs);
  assert.ok(healthy, `/health did not answer 200 within ${timeoutMs} ms:\n${output()}`);
}

/** Whether a process with this id exists (signal 0 only asks). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await delay(100);
  }
  return condition();
}


function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
