import type { SyncDatabase } from '../db/sync-database.js';
import type { Selectable } from 'kysely';
import { prepareStatements } from '../db/prepared-statement.js';
import { statementPlan } from '../db/statement-plan.js';
import type { AdminsTable } from '../db/schema.js';
import { queryBuilder } from '../db/sync-query.js';

export type Admin = Selectable<AdminsTable>;

/** What became of a request to remove an admin. */
export type AdminRemoval = 'removed' | 'owner' | 'last' | 'absent';

/** Told after someone became an admin (true) or stopped being one (false). */
export type AdminChangeListener = (userId: number, isAdmin: boolean) => void;

const plans = {
  all: statementPlan(() => queryBuilder.selectFrom('admins').selectAll().orderBy('added_at')),
  byId: statementPlan((p: { userId: number }) => queryBuilder.selectFrom('admins').select('user_id').where('user_id', '=', p.userId)),
  any: statementPlan(() => queryBuilder.selectFrom('admins').select('user_id').limit(1)),
  add: statementPlan((p: { userId: number; now: number; addedBy: number | null; displayName: string | null }) =>
    queryBuilder
      .insertInto('admins')
      .values({ user_id: p.userId, added_at: p.now, added_by: p.addedBy, display_name: p.displayName, language: null })
      .onConflict((oc) => oc.column('user_id').doNothing()),
  ),
  remove: statementPlan((p: { userId: number }) => queryBuilder.deleteFrom('admins').where('user_id', '=', p.userId)),
  languageOf: statementPlan((p: { userId: number }) => queryBuilder.selectFrom('admins').select('language').where('user_id', '=', p.userId)),
  setLanguage: statementPlan((p: { userId: number; language: string; now: number }) =>
    queryBuilder
      .insertInto('admins')
      .values({ user_id: p.userId, added_at: p.now, added_by: null, display_name: null, language: p.language })
      .onConflict((oc) => oc.column('user_id').doUpdateSet({ language: p.language })),
  ),
};

/**
 * Who may administer the bot. `OWNER_ID` from the environment is always an admin. The queries are
 * synchronous like every store's; the methods stay async, as the bot's middleware awaits them.
 */
export class AdminStore {
  private readonly listeners: AdminChangeListener[] = [];
  private readonly statements;

  constructor(
    sqlite: SyncDatabase,
    private readonly ownerId: number | undefined,
  ) {
    this.statements = prepareStatements(sqlite, plans);
  }

  /** Calls `listener` after each change of who is an admin (the bot keeps the admins' command menus). */
  onChange(listener: AdminChangeListener): void {
    this.listeners.push(listener);
  }

  private changed(userId: number, isAdmin: boolean): void {
    for (const listener of this.listeners) listener(userId, isAdmin);
  }

  async list(): Promise<Admin[]> {
    const admins = this.statements.all.all();
    if (this.ownerId !== undefined && !admins.some((admin) => admin.user_id === this.ownerId)) {
      admins.unshift({ user_id: this.ownerId, added_at: 0, added_by: null, display_name: null, language: null });
    }
    return admins;
  }

  async isAdmin(userId: number): Promise<boolean> {
    if (userId === this.ownerId) return true;
    return this.statements.byId.get({ userId }) !== undefined;
  }

  async hasAny(): Promise<boolean> {
    if (this.ownerId !== undefined) return true;
    return this.statements.any.get() !== undefined;
  }

  async add(userId: number, options: { addedBy: number | null; displayName?: string | null; now: number }): Promise<void> {
    const { changes } = this.statements.add.run({ userId, now: options.now, addedBy: options.addedBy, displayName: options.displayName ?? null });
    if (changes > 0) this.changed(userId, true);
  }

  async remove(userId: number): Promise<void> {
    const { changes } = this.statements.remove.run({ userId });
    if (changes > 0 && !this.isOwner(userId)) this.changed(userId, false);
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
    return this.statements.languageOf.get({ userId })?.language ?? null;
  }

  /** The admin's own UI language; only admins have a row to keep it in. */
  async setLanguage(userId: number, language: string, now: number): Promise<void> {
    if (!(await this.isAdmin(userId))) return;
    this.statements.setLanguage.run({ userId, language, now });
  }
}
