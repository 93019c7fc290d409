/**
 * Lets a few lines of one kind through per window and counts the rest, so a flood of refused
 * requests (a misconfigured board retrying, a scanner) cannot fill the disk with log lines; the
 * metrics still count every one.
 */
export class LogBudget {
  private windowStartedAt = Number.NEGATIVE_INFINITY;
  private linesInWindow = 0;
  private suppressed = 0;

  constructor(private readonly options: { linesPerWindow: number; windowMs: number }) {}

  /** null: leave this line out. A number: log it, saying that many were left out since the last one. */
  take(now: number): number | null {
    if (now - this.windowStartedAt >= this.options.windowMs) {
      this.windowStartedAt = now;
      this.linesInWindow = 0;
    }
    if (this.linesInWindow >= this.options.linesPerWindow) {
      this.suppressed += 1;
      return null;
    }
    this.linesInWindow += 1;
    const leftOut = this.suppressed;
    this.suppressed = 0;
    return leftOut;
  }
}
