import type { Kysely, Selectable } from 'kysely';
import type { AdminsTable, Database } from '../db/schema.js';

export type Admin = Selectable<AdminsTable>;

/** What became of a request to remove an admin. */
export type AdminRemoval = 'removed' | 'owner' | 'last' | 'absent';

/** Told after someone became an admin (true) or stopped being one (false). */
export type AdminChangeListener = (userId: number, isAdmin: boolean) => void;

/** Who may administer the bot. `OWNER_ID` from the environment is always an admin. */
export class AdminStore {
  private readonly listeners: AdminChangeListener[] = [];

  constructor(
    private readonly db: Kysely<Database>,
    private readonly ownerId: number | undefined,
  ) {}

  /** Calls `listener` after each change of who is an admin (the bot keeps the admins' command menus). */
  onChange(listener: AdminChangeListener): void {
    this.listeners.push(listener);
  }

  private changed(userId: number, isAdmin: boolean): void {
    for (const listener of this.listeners) listener(userId, isAdmin);
  }

  async list(): Promise<Admin[]> {
    const admins = await this.db.selectFrom('admins').selectAll().orderBy('added_at').execute();
    if (this.ownerId !== undefined && !admins.some((admin) => admin.user_id === this.ownerId)) {
      admins.unshift({ user_id: this.ownerId, added_at: 0, added_by: null, display_name: null, language: null });
    }
    return admins;
  }

  async isAdmin(userId: number): Promise<boolean> {
    if (userId === this.ownerId) return true;
    const row = await this.db.selectFrom('admins').select('user_id').where('user_id', '=', userId).executeTakeFirst();
    return row !== undefined;
  }

  async hasAny(): Promise<boolean> {
    if (this.ownerId !== undefined) return true;
    const row = await this.db.selectFrom('admins').select('user_id').limit(1).executeTakeFirst();
    return row !== undefined;
  }

  async add(userId: number, options: { addedBy: number | null; displayName?: string | null; now: number }): Promise<void> {
    const result = await this.db
      .insertInto('admins')
      .values({ user_id: userId, added_at: options.now, added_by: options.addedBy, display_name: options.displayName ?? null, language: null })
      .onConflict((oc) => oc.column('user_id').doNothing())
      .executeTakeFirst();
    if (Number(result.numInsertedOrUpdatedRows ?? 0n) > 0) this.changed(userId, true);
  }

  async remove(userId: number): Promise<void> {
    const result = await this.db.deleteFrom('admins').where('user_id', '=', userId).executeTakeFirst();
    if (Number(result.numDeletedRows) > 0 && !this.isOwner(userId)) this.changed(userId, false);
  }

  /** The user given by OWNER_ID, who cannot be removed from the chat. */
  isOwner(userId: number): boolean {
    return userId === this.ownerId;
  }

  /**
   * Removes an admin unless that would lock everyone out: OWNER_ID stays (it comes from the
   * environment), and the last admin stays. Updates are handled one at a time, so the count
   * cannot change between the check and the delete.
   */
  async removeChecked(userId: number): Promise<AdminRemoval> {
    if (this.isOwner(userId)) return 'owner';
    const admins = await this.list();
    if (!admins.some((admin) => admin.user_id === userId)) return 'absent';
    if (admins.length <= 1) return 'last';
    await this.remove(userId);
    return 'removed';
  }

  async languageOf(userId: number): Promise<string | null> {
    const row = await this.db.selectFrom('admins').select('language').where('user_id', '=', userId).executeTakeFirst();
    return row?.language ?? null;
  }

  /** The admin's own UI language; only admins have a row to keep it in. */
  async setLanguage(userId: number, language: string, now: number): Promise<void> {
    if (!(await this.isAdmin(userId))) return;
    await this.db
      .insertInto('admins')
      .values({ user_id: userId, added_at: now, added_by: null, display_name: null, language })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ language }))
      .execute();
  }
}
