/**
 * Faults of the service's own storage: the database file is locked by another process, the disk
 * is full or failing, the file became read-only. None of them may crash the service or be taken
 * for a power outage (DESIGN §5): while they last, heartbeats are refused with 503 and nothing is
 * decided; when they clear, the span is treated like the service's own downtime.
 */

/** SQLite result codes (better-sqlite3's `error.code`) that mean "storage cannot write now". */
const STORAGE_FAULT_CODES = ['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_FULL', 'SQLITE_IOERR', 'SQLITE_READONLY', 'SQLITE_CANTOPEN', 'SQLITE_PROTOCOL', 'SQLITE_NOLFS'];

/** True for errors of the storage itself (as opposed to bugs such as a constraint violation). */
export function isStorageFault(error: unknown): boolean {
  const code = sqliteCodeOf(error);
  return code !== undefined && STORAGE_FAULT_CODES.some((fault) => code === fault || code.startsWith(`${fault}_`));
}

export function sqliteCodeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && code.startsWith('SQLITE_') ? code : undefined;
}

/**
 * Thrown instead of a storage fault to callers that should answer "try again later": the HTTP
 * side turns it into 503 with Retry-After (a heartbeat is never acknowledged unless stored).
 */
export class StorageUnavailableError extends Error {
  readonly status = 503;
  readonly expose = true;
  constructor(
    readonly retryAfterS: number,
    options?: { cause?: unknown },
  ) {
    super('The database cannot be written right now (locked by another process, or the disk is full).', options);
    this.name = 'StorageUnavailableError';
  }
}

export interface StorageHealthEvents {
  /** The first fault of an outage (logged once, not per failing write). */
  onFailing?: (error: unknown, operation: string) => void;
  /** Every fault, for the metrics. */
  onFault?: (operation: string) => void;
  onRecovered?: (failedForMs: number) => void;
}

/**
 * Whether the database can be written, as learned from real writes. The first storage fault
 * switches it to failing (remembering since when); only a successful recovery switches it back.
 */
export class StorageHealth {
  private failingFrom: number | null = null;
  private lastFault: string | null = null;

  constructor(private readonly events: StorageHealthEvents = {}) {}

  get failing(): boolean {
    return this.failingFrom !== null;
  }

  /** When the current outage began (the first failed write), or null while healthy. */
  get failingSince(): number | null {
    return this.failingFrom;
  }

  /** The last fault seen during the current outage, for /health and logs. */
  get lastError(): string | null {
    return this.lastFault;
  }

  /** Records a storage fault of `operation` that happened at `now`. */
  fault(error: unknown, operation: string, now: number): void {
    this.events.onFault?.(operation);
    this.lastFault = sqliteCodeOf(error) ?? (error instanceof Error ? error.message : String(error));
    if (this.failingFrom !== null) return;
    this.failingFrom = now;
    this.events.onFailing?.(error, operation);
  }

  recovered(now: number): void {
    if (this.failingFrom === null) return;
    const failedForMs = now - this.failingFrom;
    this.failingFrom = null;
    this.lastFault = null;
    this.events.onRecovered?.(failedForMs);
  }
}
