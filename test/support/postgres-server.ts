import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';
import { tempDir } from './temp-dir.js';

/**
 * A throwaway PostgreSQL cluster for tests: its own folder, its own port on 127.0.0.1, trust
 * authentication, and durability switched off (nothing in it must survive the test). Tests isolate
 * by database: one cluster per test file, `createDatabase()` per test.
 *
 *   const skip = postgresSkipReason();
 *   test('…', { skip }, async () => { const server = await startPostgres(); … await server.stop(); });
 *
 * A machine without PostgreSQL then passes and says why (.ci/run installs it).
 */
export interface PostgresServer {
  /** The superuser's url of the cluster's `postgres` database. */
  readonly url: string;
  readonly port: number;
  /** Creates a new empty database and returns its url. */
  createDatabase(): Promise<string>;
  /** Stops the cluster at once (it holds nothing worth a clean shutdown) and removes its folder. */
  stop(): Promise<void>;
}

const SUPERUSER = 'postgres';
/** initdb refuses to run as root; as root the cluster is run as this operating-system user. */
const SERVICE_USER = 'postgres';

/** Why PostgreSQL tests cannot run on this machine, or undefined when they can. Synchronous, for `test(…, { skip })`. */
export function postgresSkipReason(): string | undefined {
  const found = findBinaries();
  if (typeof found === 'object') return found.problem;
  if (runsAsRoot() && !userExists(SERVICE_USER)) {
    return `PostgreSQL refuses to run as root and there is no "${SERVICE_USER}" user to run it as (the postgresql package creates one)`;
  }
  return undefined;
}

export async function startPostgres(): Promise<PostgresServer> {
  const found = findBinaries();
  if (typeof found === 'object') throw new Error(found.problem);
  const bin = found;
  const folder = tempDir('monitor-pg-');
  const dataDir = folder.file('data');
  const socketDir = folder.file('sockets');
  const logFile = folder.file('postgres.log');
  const asRoot = runsAsRoot();
  // As root the cluster's files belong to the user that runs it; its folder must too.
  if (asRoot) execFileSync('chown', [SERVICE_USER, folder.path]);
  const run = (program: string, args: string[]) => {
    const path = join(bin, program);
    const [file, fileArgs] = asRoot ? ['runuser', ['-u', SERVICE_USER, '--', path, ...args]] : [path, args];
    const result = spawnSync(file, fileArgs, { cwd: folder.path, encoding: 'utf8' });
    if (result.error) throw result.error;
    if (result.status !== 0) {
      const log = existsSync(logFile) ? `\n${readFileSync(logFile, 'utf8').slice(-2000)}` : '';
      throw new Error(`${program} ${args[0]} failed (exit ${String(result.status)}): ${result.stderr.trim() || result.stdout.trim()}${log}`);
    }
  };

  let stopped = false;
  let watchdog: ChildProcess | undefined;
  const stopNow = () => {
    if (stopped) return;
    stopped = true;
    running.delete(stopNow);
    watchdog?.kill();
    try {
      if (existsSync(join(dataDir, 'postmaster.pid'))) run('pg_ctl', ['stop', '-D', dataDir, '-m', 'immediate', '-w']);
    } finally {
      folder.cleanup();
    }
  };

  installExitHooks();
  running.add(stopNow);
  try {
    run('initdb', ['-D', dataDir, '-U', SUPERUSER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
    mkdirSync(socketDir);
    if (asRoot) execFileSync('chown', [SERVICE_USER, socketDir]);
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${socketDir}`,
      // Throwaway: nothing here must survive a crash, so nothing waits for the disk.
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
      '-c max_connections=200',
    ].join(' ');
    run('pg_ctl', ['start', '-D', dataDir, '-w', '-t', '60', '-l', logFile, '-o', settings]);
    watchdog = startWatchdog([...(asRoot ? ['runuser', '-u', SERVICE_USER, '--'] : []), join(bin, 'pg_ctl'), 'stop', '-D', dataDir, '-m', 'immediate'], folder.path);
    const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
    let databases = 0;
    return {
      url,
      port,
      async createDatabase() {
        databases += 1;
        const name = `test_${databases}_${randomBytes(4).toString('hex')}`;
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        try {
          await client.query(`CREATE DATABASE ${name}`);
        } finally {
          await client.end();
        }
        return `postgres://${SUPERUSER}@127.0.0.1:${port}/${name}`;
      },
      async stop() {
        stopNow();
      },
    };
  } catch (error) {
    stopNow();
    throw error;
  }
}

/** Every cluster still running: stopped with the test process even when a test forgot to stop it. */
const running = new Set<() => void>();
let exitHooksInstalled = false;

function stopAll(): void {
  for (const stop of [...running]) stop();
}

/** pg_ctl starts the server detached: nothing else stops it when the test process ends. */
function installExitHooks(): void {
  if (exitHooksInstalled) return;
  exitHooksInstalled = true;
  process.on('exit', stopAll);
  // Interrupted (the runner cancelling, Ctrl-C): stop the clusters, then die of the same signal.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopAll();
      process.kill(process.pid, signal);
    });
  }
}

/**
 * A test process killed outright (SIGKILL, a runner's hard timeout) runs no exit hook: a small
 * detached shell polls for it once a second and then stops the cluster and removes its folder.
 */
function startWatchdog(stopCommand: string[], folder: string): ChildProcess {
  const script = `while kill -0 ${process.pid} 2>/dev/null; do sleep 1; done; ${stopCommand.map(shellQuote).join(' ')} >/dev/null 2>&1; rm -rf ${shellQuote(folder)}`;
  const watchdog = spawn('sh', ['-c', script], { detached: true, stdio: 'ignore' });
  watchdog.unref();
  return watchdog;
}

function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}

/** The folder holding initdb, pg_ctl and postgres, or why there is none. */
function findBinaries(): string | { problem: string } {
  const configured = process.env.POSTGRES_BIN;
  if (configured) {
    return existsSync(join(configured, 'initdb')) ? configured : { problem: `POSTGRES_BIN=${configured} holds no initdb; point it at PostgreSQL's bin folder or unset it` };
  }
  const versions = existsSync('/usr/lib/postgresql')
    ? readdirSync('/usr/lib/postgresql')
        .filter((name) => /^\d+$/.test(name) && existsSync(join('/usr/lib/postgresql', name, 'bin', 'initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0] !== undefined) return join('/usr/lib/postgresql', versions[0], 'bin');
  const onPath = (process.env.PATH ?? '').split(delimiter).find((folder) => folder !== '' && existsSync(join(folder, 'initdb')));
  if (onPath !== undefined) return onPath;
  return { problem: 'PostgreSQL is not installed (initdb not found in /usr/lib/postgresql/*/bin or PATH); .ci/run installs it' };
}

function runsAsRoot(): boolean {
  return process.getuid?.() === 0;
}

function userExists(name: string): boolean {
  return spawnSync('id', ['-u', name]).status === 0;
}

/**
 * A pool on `url` that reads bigint (int8) and numeric as numbers, as the service's rows hold them
 * (pg reads both as strings by default, since they may pass 2^53; times and ids do not).
 */
export function numericPool(url: string): pg.Pool {
  const types = new pg.TypeOverrides();
  types.setTypeParser(pg.types.builtins.INT8, Number);
  types.setTypeParser(pg.types.builtins.NUMERIC, Number);
  return new pg.Pool({ connectionString: url, types });
}
