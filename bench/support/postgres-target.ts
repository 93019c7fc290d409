// The PostgreSQL database a benchmark runs the service on: a throwaway cluster of its own
// (test/support/postgres-server.ts), or `--database-url` — which must name an empty database,
// since the bench seeds its places into it. The url is never printed (it may hold a password).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { openPostgresStore, type Store } from '../../src/db/connection.js';
import { startPostgres } from '../../test/support/postgres-server.js';

export interface PostgresTarget {
  readonly url: string;
  /** The migrated store on `url` (seed through its `connection`, then close it). */
  readonly store: Store;
  /** CPU time (µs) the database server's processes spent so far; null when the server is not ours to watch. */
  serverCpuMicros(): number | null;
  stop(): Promise<void>;
}

export async function openPostgresTarget(databaseUrl: string | undefined): Promise<PostgresTarget> {
  const server = databaseUrl === undefined ? await startPostgres() : undefined;
  try {
    const url = databaseUrl ?? (await server!.createDatabase());
    const store = await openPostgresStore(url);
    const { count } = store.connection.prepare('SELECT count(*)::int AS count FROM locations').get() as { count: number };
    if (count > 0) {
      await store.close();
      throw new Error(`--database-url names a database that already holds ${count} places; give the bench an empty database of its own (createdb bench_monitor), it seeds its places into it`);
    }
    const postmaster = server ? postmasterPid(server.port) : undefined;
    return {
      url,
      store,
      serverCpuMicros: () => (postmaster === undefined ? null : processTreeCpuMicros(postmaster)),
      async stop() {
        await store.close();
        await server?.stop();
      },
    };
  } catch (error) {
    await server?.stop();
    throw error;
  }
}

/** The postmaster of the cluster listening on `port`: the `postgres` process started with `-p <port>`. */
function postmasterPid(port: number): number | undefined {
  for (const pid of processIds()) {
    const args = readOrEmpty(`/proc/${pid}/cmdline`).split('\0');
    const portAt = args.indexOf('-p');
    if (args[0]?.endsWith('/postgres') && portAt > 0 && args[portAt + 1] === String(port)) return pid;
  }
  return undefined;
}

const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;

/**
 * user + system CPU of the postmaster and its living children (one backend per session, plus the
 * background writers), in µs. A backend that ended is not counted; the benches' sessions live for
 * the whole measured span.
 */
function processTreeCpuMicros(root: number): number {
  let ticks = 0;
  for (const pid of processIds()) {
    const stat = readOrEmpty(`/proc/${pid}/stat`);
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis do not.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    if (pid !== root && parent !== root) continue;
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1e6) / TICKS_PER_SECOND;
}

function processIds(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return ''; // the process ended meanwhile
  }
}
