import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema.js';

const STATE_KEY = 'admin_setup_code';

/**
 * The one-time code that lets the first person claim the bot when no admin exists and OWNER_ID
 * is not set. It is kept in `service_state` (so a restart prints the same code again until it is
 * used) and deleted the moment it is used.
 */
export class SetupCodeStore {
  constructor(private readonly db: Kysely<Database>) {}

  /** The pending code, creating one if there is none yet. */
  async ensure(): Promise<string> {
    const existing = await this.current();
    if (existing) return existing;
    // 12 random bytes: 96 bits, 16 characters that fit a /start deep-link payload.
    const code = randomBytes(12).toString('base64url');
    await this.db.insertInto('service_state').values({ key: STATE_KEY, value: code }).onConflict((oc) => oc.column('key').doNothing()).execute();
    return (await this.current()) ?? code;
  }

  async current(): Promise<string | null> {
    const row = await this.db.selectFrom('service_state').select('value').where('key', '=', STATE_KEY).executeTakeFirst();
    return row?.value ?? null;
  }

  /** Uses up the code if `attempt` matches it; true only for the one caller that got it right. */
  async consume(attempt: string): Promise<boolean> {
    const code = await this.current();
    if (!code || !sameSecret(code, attempt)) return false;
    const { numDeletedRows } = await this.db
      .deleteFrom('service_state')
      .where('key', '=', STATE_KEY)
      .where('value', '=', code)
      .executeTakeFirst();
    return numDeletedRows > 0n;
  }

  async discard(): Promise<void> {
    await this.db.deleteFrom('service_state').where('key', '=', STATE_KEY).execute();
  }
}

function sameSecret(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}
