import { parentPort, workerData } from 'node:worker_threads';
import pg from 'pg';
import { CONFIRMED_AT, LEADER_LOCK_KEY, STATE, State, absoluteNow, type LeadershipMessage, type LeadershipWorkerData } from './leadership-wire.js';
import { destroySocket } from './postgres-wire.js';

/**
 * The leadership's own thread (see leadership.ts): it holds the lock's session and confirms it on
 * time whatever the main thread is doing. The main thread sleeps through every statement of the
 * synchronous bridge, and under load or during a long batch it would confirm late and lose the
 * lease for nothing; here nothing else runs.
 */

const data = workerData as LeadershipWorkerData;
const state = new Int32Array(data.shared, 0, 1);
const confirmed = new Float64Array(data.shared, 8, 1);
const { timing } = data;
let client: pg.Client | null = null;
let timer: NodeJS.Timeout | null = null;

function post(message: LeadershipMessage): void {
  parentPort?.postMessage(message);
}

function current(): State {
  return Atomics.load(state, STATE) as State;
}

function leading(): boolean {
  return current() === State.Leader && absoluteNow() - confirmed[CONFIRMED_AT]! < timing.leaseMs;
}

function schedule(): void {
  const now = current();
  if (now === State.Lost || now === State.Stopped) return;
  timer = setTimeout(() => void turn(), now === State.Leader ? timing.confirmEveryMs : timing.tryEveryMs);
}

async function turn(): Promise<void> {
  if (current() === State.Leader) await confirm();
  else if (current() === State.Standby) await tryToLead();
  schedule();
}

async function tryToLead(): Promise<void> {
  const sentAt = absoluteNow();
  let got: boolean | undefined;
  try {
    const session = await connected();
    const result = await withTimeout(session.query<{ got: boolean }>('SELECT pg_try_advisory_lock($1) AS got', [LEADER_LOCK_KEY]), timing.leaseMs, 'PostgreSQL did not answer');
    got = result.rows[0]?.got;
  } catch (error) {
    // Not connected: try again at the next turn, with a new connection (a lock this attempt may
    // have taken unseen goes with the old session).
    post({ kind: 'unreachable', reason: errorText(error) });
    await dropClient();
    return;
  }
  if (current() !== State.Standby || !got) return;
  confirmed[CONFIRMED_AT] = sentAt;
  Atomics.store(state, STATE, State.Leader);
  post({ kind: 'lead' });
}

async function confirm(): Promise<void> {
  const sentAt = absoluteNow();
  try {
    if (!client) throw new Error('the leader\'s connection is gone');
    await withTimeout(client.query('SELECT 1'), timing.leaseMs, 'the leader\'s session did not answer');
    if (leading()) confirmed[CONFIRMED_AT] = sentAt;
    else lose('the lease ran out before the session answered');
  } catch (error) {
    lose(errorText(error));
  }
}

function lose(reason: string): void {
  if (current() !== State.Leader) return;
  Atomics.store(state, STATE, State.Lost);
  void dropClient();
  post({ kind: 'lost', reason });
}

async function connected(): Promise<pg.Client> {
  if (client) return client;
  const session = new pg.Client({ connectionString: data.url, keepAlive: true, connectionTimeoutMillis: 3000, application_name: 'power-monitor-leadership' });
  session.on('error', (error) => {
    if (client === session) lose(`the leader's connection failed: ${error.message}`);
  });
  session.on('end', () => {
    if (client === session) lose('the leader\'s connection closed');
  });
  await session.connect();
  // The server ends this session when it has been silent this long: a leader cut off from the
  // database loses the lock a bounded time after it stopped leading (timing.leaseMs).
  await session.query(`SET idle_session_timeout = ${Math.round(timing.serverDropsAfterMs)}`);
  client = session;
  return session;
}

async function dropClient(): Promise<void> {
  const session = client;
  client = null;
  if (!session) return;
  // A server out of reach never answers the goodbye: the socket is destroyed instead.
  await withTimeout(session.end(), 1000, 'no goodbye').catch(() => destroySocket(session));
}

function withTimeout<T>(work: Promise<T>, ms: number, message: string): Promise<T> {
  let timeout: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timeout = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timeout));
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

parentPort?.on('message', (message: { kind: 'stop' }) => {
  if (message.kind !== 'stop') return;
  Atomics.store(state, STATE, State.Stopped);
  if (timer) clearTimeout(timer);
  // Ending the session frees the lock at once: a standby leads within its next try.
  void dropClient().finally(() => post({ kind: 'stopped' }));
});

void tryToLead().then(schedule);
