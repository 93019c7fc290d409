/**
 * Device keys → devices and their places, in memory, so a heartbeat costs no key lookup in the database. It is a
 * cache of what the database says, never the authority: a key is found here only after the
 * database confirmed it, and every heartbeat is checked against its place's row again when it is
 * stored (Monitor.heartbeatNow), so a key rotated or a place deleted — by this process or by the
 * CLI in another — is refused the moment the change is committed. This process forgets a key as
 * soon as it rotates it. Unknown keys are not remembered (they are what an attacker varies).
 */
export interface KeyEntry {
  /** The place. */
  id: number;
  /** The place's device the key belongs to. */
  device: number;
  /** A previous key accepted until this time (a rotation's grace); null for a current key. */
  until: number | null;
}

export class KeyIndex {
  private readonly entries = new Map<string, KeyEntry>();

  constructor(
    private readonly lookup: (key: string, now: number) => KeyEntry | undefined,
    private readonly maxEntries = 1_000_000,
  ) {}

  find(key: string, now: number): KeyEntry | undefined {
    const known = this.entries.get(key);
    if (known && (known.until === null || now < known.until)) return known;
    if (known) this.entries.delete(key);
    const found = this.lookup(key, now);
    if (found) {
      // Bounded: past the limit the oldest entry goes (it is looked up again if still in use).
      if (this.entries.size >= this.maxEntries) {
        const oldest = this.entries.keys().next();
        if (!oldest.done) this.entries.delete(oldest.value);
      }
      this.entries.set(key, found);
    }
    return found;
  }

  forget(key: string): void {
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }
}
