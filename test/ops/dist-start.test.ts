/**
 * The service as the container runs it: compiled JavaScript, `node dist/main.js`, production
 * environment, stopped with SIGTERM. The compiled tree is laid out like the image's /app
 * (dist/, locales/, node_modules/, package.json) in a temporary folder, so the test neither
 * depends on nor disturbs a `dist/` someone is using, and it catches what only breaks in dist/:
 * a job path that points at a .ts file, locales not found from dist/i18n/, a dev-only import.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { startFakeBotApi, type FakeBotApi } from '../support/fake-bot-api.js';
import { tempDir } from '../support/temp-dir.js';
import { REPOSITORY_ROOT } from '../support/repository.js';
import { freePort } from '../support/free-port.js';

const run = promisify(execFile);
const REPO = REPOSITORY_ROOT;
const BOT_TOKEN = '7000000001:AAFakeTokenForTheDistStartTest_0123456789';

describe('the compiled service, started and stopped as the container does', () => {
  const dir = tempDir('monitor-dist-');
  const appDir = join(dir.path, 'app');
  let fakeTelegram: FakeBotApi;
  let deviceKey: string;

  before(async () => {
    // The Dockerfile's `npm run build`, into the temporary folder. A type error fails the image build too.
    await run(process.execPath, [join(REPO, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', join(appDir, 'dist')], {
      cwd: REPO,
    }).catch((error: { stdout?: string }) => {
      throw new Error(`tsc -p tsconfig.build.json failed:\n${error.stdout ?? String(error)}`);
    });
    // The Dockerfile's runtime layout: /app/{dist,locales,node_modules,package.json}.
    cpSync(join(REPO, 'locales'), join(appDir, 'locales'), { recursive: true });
    copyFileSync(join(REPO, 'package.json'), join(appDir, 'package.json'));
    symlinkSync(join(REPO, 'node_modules'), join(appDir, 'node_modules'), 'dir');

    // The compiled CLI, as an operator runs it inside the container.
    await run(process.execPath, ['dist/cli/locations.js', 'add', 'Home'], { cwd: appDir, env: baseEnv(dir.file('monitor.db')) });
    const sqlite = new SqliteDatabase(dir.file('monitor.db'), { readonly: true });
    deviceKey = sqlite.prepare<[], { api_key: string }>('SELECT api_key FROM locations WHERE id = 1').get()!.api_key;
    sqlite.close();

    fakeTelegram = await startFakeBotApi({ token: BOT_TOKEN, longPollCapMs: 300 });
  });
  after(async () => {
    await fakeTelegram?.close();
    dir.cleanup();
  });

  function baseEnv(databasePath: string): NodeJS.ProcessEnv {
    return { PATH: process.env.PATH, DATABASE_PATH: databasePath, LOG_LEVEL: 'silent' };
  }

  async function startService(logLevel: string): Promise<RunningService> {
    const port = await freePort();
    const child = spawn(process.execPath, ['dist/main.js'], {
      cwd: appDir,
      env: {
        PATH: process.env.PATH,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_PATH: dir.file('monitor.db'),
        LOG_LEVEL: logLevel,
        BOT_TOKEN,
        TELEGRAM_API_ROOT: fakeTelegram.apiRoot,
        TIMEZONE: 'Europe/Kyiv',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const service = new RunningService(child, `http://127.0.0.1:${port}`);
    await service.waitUntilHealthy(20_000);
    return service;
  }

  function assertNoSecretsIn(output: string): void {
    const tokenSecret = BOT_TOKEN.split(':')[1]!;
    assert.ok(!output.includes(tokenSecret), 'the bot token never appears in the output');
    assert.ok(!output.includes(deviceKey), 'the device key never appears in the output');
  }

  test('it comes up healthy, takes heartbeats, and exits 0 within 5 s of SIGTERM', async () => {
    const service = await startService('info');
    const heartbeat = await fetch(`${service.url}/api/heartbeat`, { method: 'POST', headers: { authorization: `Bearer ${deviceKey}` } });
    assert.equal(heartbeat.status, 200);
    const wrongKey = await fetch(`${service.url}/api/heartbeat?key=${'Zz'.repeat(16)}`);
    assert.equal(wrongKey.status, 401);
    // The day-2 shell commands work from dist/ while the service runs (docker exec, fly ssh console).
    await run(process.execPath, ['dist/cli/backup.js', dir.file('backups/while-running.db')], { cwd: appDir, env: baseEnv(dir.file('monitor.db')) });
    assert.ok(existsSync(dir.file('backups/while-running.db')));

    const { code, signal, elapsedMs } = await service.terminate();
    assert.equal(signal, null, `ended by a signal, not by itself:\n${service.output}`);
    assert.equal(code, 0, `exit code:\n${service.output}`);
    assert.ok(elapsedMs < 5_000, `stopped in ${elapsedMs} ms`);
    assert.match(service.output, /"level":30/, 'production logs are JSON lines');
    assertNoSecretsIn(service.output);
  });

  test('SIGTERM while four devices keep posting: every acknowledged heartbeat is stored, exit 0', async () => {
    const service = await startService('debug');
    const sent = new Set<number>();
    const acknowledged = new Map<number, number>(); // sequence number → server_time of the 200 reply
    let nextSequence = 1;

    // Each heartbeat carries its sequence number as the firmware version, which the service stores
    // on the place's row: afterwards the row says which heartbeat was written last.
    const device = async () => {
      for (;;) {
        const sequence = nextSequence++;
        sent.add(sequence);
        try {
          const reply = await fetch(`${service.url}/api/heartbeat`, {
            method: 'POST',
            headers: { authorization: `Bearer ${deviceKey}`, 'content-type': 'application/json' },
            body: JSON.stringify({ fw: `seq-${sequence}` }),
          });
          const body = (await reply.json()) as { server_time?: number };
          if (reply.status !== 200) return; // 503: the service is shutting down
          acknowledged.set(sequence, body.server_time!);
        } catch {
          return; // connection refused or closed: the service is gone
        }
      }
    };
    const devices = Promise.all([device(), device(), device(), device()]);
    const busyUntil = Date.now() + 5_000;
    while (acknowledged.size < 200 && service.running && Date.now() < busyUntil) await delay(10);

    const stopped = service.terminate();
    await devices;
    const { code, signal, elapsedMs } = await stopped;
    assert.equal(signal, null, `ended by a signal, not by itself:\n${service.output}`);
    assert.equal(code, 0, `exit code:\n${service.output}`);
    assert.ok(elapsedMs < 5_000, `stopped in ${elapsedMs} ms`);
    assertNoSecretsIn(service.output);

    assert.ok(acknowledged.size >= 20, `only ${acknowledged.size} heartbeats acknowledged before SIGTERM`);
    const lastAcknowledgedAt = Math.max(...acknowledged.values());
    const sqlite = new SqliteDatabase(dir.file('monitor.db'), { readonly: true });
    try {
      assert.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok');
      const place = sqlite
        .prepare<[], { last_heartbeat_at: number; device_fw: string; status: string }>('SELECT last_heartbeat_at, device_fw, status FROM locations WHERE id = 1')
        .get()!;
      assert.equal(place.status, 'on');
      const lastWritten = Number(/^seq-(\d+)$/.exec(place.device_fw)?.[1]);
      assert.ok(sent.has(lastWritten), `the stored heartbeat ${place.device_fw} is one the devices sent`);
      if (acknowledged.has(lastWritten)) {
        // The last write was an acknowledged heartbeat: it must be the latest acknowledged one.
        assert.equal(acknowledged.get(lastWritten), lastAcknowledgedAt, 'no acknowledged heartbeat was lost after it');
      } else {
        // Written but its reply never arrived (cut by the shutdown): it came after every acknowledged one.
        assert.ok(place.last_heartbeat_at >= lastAcknowledgedAt, 'the unacknowledged last write came after every acknowledged heartbeat');
      }
    } finally {
      sqlite.close();
    }
  });
});

/** One `node dist/main.js` child with its combined stdout and stderr. */
class RunningService {
  output = '';
  private exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private exited = false;

  constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exit = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exited = true;
        resolve({ code, signal });
      });
    });
  }

  get running(): boolean {
    return !this.exited;
  }

  async waitUntilHealthy(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if (this.exited) throw new Error(`the service exited before it was healthy:\n${this.output}`);
      try {
        const health = await fetch(`${this.url}/health`);
        await health.arrayBuffer();
        if (health.status === 200) return;
      } catch {
        // not listening yet
      }
      await delay(100);
    }
    this.child.kill('SIGKILL');
    throw new Error(`/health did not answer 200 within ${timeoutMs} ms:\n${this.output}`);
  }

  /** SIGTERM, as `docker stop` and fly.io send; SIGKILL after 8 s so a hang fails instead of stalling. */
  async terminate(): Promise<{ code: number | null; signal: NodeJS.Signals | null; elapsedMs: number }> {
    const startedAt = Date.now();
    this.child.kill('SIGTERM');
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 8_000);
    const result = await this.exit;
    clearTimeout(killer);
    return { ...result, elapsedMs: Date.now() - startedAt };
  }
}


function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
