import type { Logger } from '../logger.js';
import { storageFaultOf, type StorageFaultKind } from './storage-faults.js';

/** A write that could not be made when it was due, kept to be made once storage works. */
interface HeldWrite {
  readonly what: string;
  readonly write: () => void;
}

export interface DeferredWritesOptions {
  logger: Pick<Logger, 'warn' | 'info' | 'error'>;
  now: () => number;
  /** Runs a retry without waiting for a foreign lock (the main thread serves heartbeats). */
  withoutWaiting?: <T>(work: () => T) => T;
}

/**
 * Writes that record what already happened outside the database — Telegram accepted a post, a
 * pinned message, a subscriber who blocked the bot — and so must not be lost when the database
 * cannot be written at that moment (locked by another process, the disk full or failing). Such a
 * write is kept here, in memory and in order, and made once storage works again; meanwhile the
 * dispatcher starts no new send, so a message Telegram accepted is recorded as sent before
 * anything could send it again (a restart in between sends it again: at least once).
 */
export class DeferredWrites {
  private readonly held: HeldWrite[] = [];
  private heldSince: number | null = null;
  private lastFault: StorageFaultKind | null = null;

  constructor(private readonly options: DeferredWritesOptions) {}

  /** How many writes wait for storage. */
  get pending(): number {
    return this.held.length;
  }

  /** The fault that holds them, while any wait. */
  get fault(): StorageFaultKind | null {
    return this.held.length > 0 ? this.lastFault : null;
  }

  /**
   * Makes `write` now, or keeps it for later when storage fails (or writes wait already: they go
   * first, in order). True when it was made now. Anything but a storage fault is thrown.
   */
  write(what: string, write: () => void): boolean {
    if (this.held.length > 0) {
      this.held.push({ what, write });
      return false;
    }
    try {
      write();
      return true;
    } catch (error) {
      const kind = storageFaultOf(error);
      if (kind === null) throw error;
      this.hold({ what, write }, kind, error);
      return false;
    }
  }

  /**
   * Makes the waiting writes, oldest first, until one meets a storage fault again. True when none
   * is left. A write that fails for anything else (a bug) is logged and dropped, never retried
   * for ever.
   */
  flush(): boolean {
    const withoutWaiting = this.options.withoutWaiting ?? (<T>(work: () => T) => work());
    for (let next = this.held[0]; next; next = this.held[0]) {
      try {
        withoutWaiting(next.write);
      } catch (error) {
        const kind = storageFaultOf(error);
        if (kind !== null) {
          this.lastFault = kind;
          return false;
        }
        this.options.logger.error({ err: error, what: next.what }, 'a write kept while the database failed cannot be made; dropped');
      }
      this.held.shift();
    }
    if (this.heldSince !== null) {
      this.options.logger.info({ failedForS: Math.round((this.options.now() - this.heldSince) / 1000) }, 'the database works again: what was kept in memory is recorded');
      this.heldSince = null;
    }
    return true;
  }

  private hold(write: HeldWrite, kind: StorageFaultKind, error: unknown): void {
    this.held.push(write);
    this.lastFault = kind;
    if (this.heldSince !== null) return;
    this.heldSince = this.options.now();
    this.options.logger.warn(
      { err: error, what: write.what, fault: kind },
      'the database cannot be written; what Telegram already accepted is kept in memory and recorded once it can, and nothing new is sent meanwhile',
    );
  }
}
