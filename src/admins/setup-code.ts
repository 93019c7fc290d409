import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ServiceStateStore } from '../db/service-state.js';

const STATE_KEY = 'admin_setup_code';

/**
 * The one-time code that lets the first person claim the bot when no admin exists and OWNER_ID
 * is not set. It is kept in `service_state` (so a restart prints the same code again until it is
 * used) and deleted the moment it is used. Synchronous underneath (the table's owner is
 * ServiceStateStore), so two claims at once cannot both read the code before one deletes it.
 */
export class SetupCodeStore {
  constructor(private readonly state: ServiceStateStore) {}

  /** The pending code, creating one if there is none yet. */
  async ensure(): Promise<string> {
    const existing = await this.current();
    if (existing) return existing;
    // 12 random bytes: 96 bits, 16 characters that fit a /start deep-link payload.
    const code = randomBytes(12).toString('base64url');
    this.state.writeIfAbsent(STATE_KEY, code);
    return (await this.current()) ?? code;
  }

  async current(): Promise<string | null> {
    return this.state.read(STATE_KEY) ?? null;
  }

  /** Uses up the code if `attempt` matches it; true only for the one caller that got it right. */
  async consume(attempt: string): Promise<boolean> {
    const code = await this.current();
    if (!code || !sameSecret(code, attempt)) return false;
    return this.state.delete(STATE_KEY, code);
  }

  async discard(): Promise<void> {
    this.state.delete(STATE_KEY);
  }
}

function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
