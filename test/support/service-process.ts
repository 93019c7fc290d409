/**
 * The service as a REAL process (`node --import tsx src/main.ts`, cwd the repository), for tests
 * and benchmarks that need what only a process has: being killed with SIGKILL, exiting by itself
 * (code 75 when a leader loses the leadership), several instances sharing one PostgreSQL database.
 * Telegram is a fake Bot API (test/support/fake-bot-api.ts), reached through TELEGRAM_API_ROOT.
 *
 * Verbs: `health()` and `waitForRole()` read /health (its `role`), `heartbeat()` posts as a device,
 * `kill9()` and `stop()` end it, `exited` says how it ended; `log` is its output, for failure
 * messages (a DATABASE_URL's password is masked there, as the service itself never logs it).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { freePort } from './free-port.js';
import { REPOSITORY_ROOT, scriptArgs } from './repository.js';

/** A token of the right shape; the fake Bot API accepts any unless told one. */
export const FAKE_BOT_TOKEN = '7000000001:AAFakeTokenForServiceProcesses_0123456789';

export interface ServiceProcessOptions {
  /** postgres://… the instance uses (through a tcp-proxy for a partition test). */
  databaseUrl: string;
  /** The fake Bot API's apiRoot. */
  telegramApiRoot: string;
  botToken?: string;
  /** A name for failure messages ("A", "B", …). */
  name?: string;
  /** `warn` by default: quiet, but a lost leadership (an error) shows in the log. */
  logLevel?: string;
  defaultChannelId?: string;
  ownerId?: number;
  /** More environment (e.g. TIMEZONE, FLAP_WINDOW_S); wins over the defaults above. */
  env?: NodeJS.ProcessEnv;
  /** How long to wait for /health to answer (ms). */
  readyWithinMs?: number;
}

export type Role = 'leader' | 'standby';

export interface Health {
  ok: boolean;
  db: string;
  bot: string;
  storage: 'sqlite' | 'postgres';
  role: Role;
  /** The HTTP status /health answered with (503 while the database cannot be written). */
  status: number;
}

/** How the process ended: `code` null when a signal ended it. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Starts the service and waits until /health answers (any role). */
export async function startServiceProcess(options: ServiceProcessOptions): Promise<ServiceProcess> {
  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NODE_ENV: 'test',
    PORT: String(port),
    DATABASE_URL: options.databaseUrl,
    BOT_TOKEN: options.botToken ?? FAKE_BOT_TOKEN,
    TELEGRAM_API_ROOT: options.telegramApiRoot,
    LOG_LEVEL: options.logLevel ?? 'warn',
    TIMEZONE: 'Europe/Kyiv',
    ...(options.defaultChannelId === undefined ? {} : { DEFAULT_CHANNEL_ID: options.defaultChannelId }),
    ...(options.ownerId === undefined ? {} : { OWNER_ID: String(options.ownerId) }),
    ...options.env,
  };
  const child = spawn(process.execPath, scriptArgs('src', 'main.ts'), { cwd: REPOSITORY_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const service = new ServiceProcess(child, options.name ?? `service:${port}`, `http://127.0.0.1:${port}`, [options.databaseUrl]);
  try {
    await service.waitUntilAnswering(options.readyWithinMs ?? 30_000);
  } catch (error) {
    service.kill9();
    throw error;
  }
  return service;
}

export class ServiceProcess {
  /** Resolves with the exit code (null when a signal ended it, e.g. after kill9). */
  readonly exited: Promise<number | null>;
  private output = '';
  private ended: ProcessExit | null = null;
  private endedAt: number | null = null;

  constructor(
    private readonly child: ChildProcess,
    readonly name: string,
    readonly url: string,
    private readonly secretsIn: string[],
  ) {
    child.stdout!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (this.output += chunk.toString('utf8')));
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.ended = { code, signal };
        this.endedAt = Date.now();
        resolve(code);
      });
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get running(): boolean {
    return this.ended === null;
  }

  /** How it ended, once it has. */
  get exit(): ProcessExit | null {
    return this.ended;
  }

  /** When it ended (Date.now()), once it has. */
  get exitedAt(): number | null {
    return this.endedAt;
  }

  /** Its stdout and stderr so far, passwords of database addresses masked. */
  get log(): string {
    let text = this.output;
    for (const url of this.secretsIn) {
      const password = passwordOf(url);
      if (password) text = text.split(password).join('***');
    }
    return text;
  }

  /** The process, its end and its log, for an assertion's message. */
  describe(): string {
    const state = this.ended ? `exited (code ${this.ended.code}, signal ${this.ended.signal})` : 'running';
    return `--- ${this.name} (pid ${this.pid}, ${this.url}) ${state}; its log:\n${this.log.slice(-6000)}\n--- end of ${this.name}'s log`;
  }

  /** GET /health; rejects when it does not answer within `timeoutMs` (a blocked or dead process). */
  async health(timeoutMs = 2000): Promise<Health> {
    const reply = await fetch(`${this.url}/health`, { signal: AbortSignal.timeout(timeoutMs) });
    const body = (await reply.json()) as Omit<Health, 'status'>;
    return { ...body, status: reply.status };
  }

  /** The role /health says, or null when it does not answer. */
  async roleNow(timeoutMs = 1000): Promise<Role | null> {
    try {
      return (await this.health(timeoutMs)).role;
    } catch {
      return null;
    }
  }

  /** Polls /health every `everyMs` until it says `role`; throws with the log when it does not within `ms`. */
  async waitForRole(role: Role, ms: number, everyMs = 100): Promise<number> {
    const startedAt = Date.now();
    const deadline = startedAt + ms;
    let last: string = 'no answer';
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} ended while waiting to be ${role}\n${this.describe()}`);
      const seen = await this.roleNow(Math.max(100, Math.min(1000, deadline - Date.now())));
      if (seen === role) return Date.now() - startedAt;
      last = seen ?? 'no answer';
      await delay(everyMs);
    }
    throw new Error(`${this.name} did not become ${role} within ${ms} ms (last /health role: ${last})\n${this.describe()}`);
  }

  /** POST /api/heartbeat as a device with `key`; the HTTP status, or 0 when nothing answered. */
  async heartbeat(key: string, timeoutMs = 5000): Promise<number> {
    try {
      const reply = await fetch(`${this.url}/api/heartbeat`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}` },
        signal: AbortSignal.timeout(timeoutMs),
      });
      await reply.arrayBuffer();
      return reply.status;
    } catch {
      return 0;
    }
  }

  /** SIGKILL: no shutdown, no goodbye to PostgreSQL; its sockets close with the process. */
  async kill9(): Promise<ProcessExit> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exited;
    return this.ended!;
  }

  /** SIGTERM (a clean stop: the lock is let go), SIGKILL if it has not ended within `graceMs`. */
  async stop(graceMs = 10_000): Promise<ProcessExit> {
    if (this.running) {
      this.child.kill('SIGTERM');
      const killer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
      await this.exited;
      clearTimeout(killer);
    }
    return this.ended!;
  }

  /** Waits until /health answers (any status); throws with the log if it ends or stays silent. */
  async waitUntilAnswering(ms: number): Promise<void> {
    const deadline = Date.now() + ms;
    while (Date.now() < deadline) {
      if (!this.running) throw new Error(`${this.name} ended before /health answered\n${this.describe()}`);
      if ((await this.roleNow(1000)) !== null) return;
      await delay(100);
    }
    throw new Error(`${this.name}: /health did not answer within ${ms} ms\n${this.describe()}`);
  }
}

function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
