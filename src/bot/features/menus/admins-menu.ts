import type { Admin, AdminStore } from '../../../admins/admin-store.js';
import type { Logger } from '../../../logger.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { BotContext } from '../../context.js';
import { FLOW } from '../flows/flow-ids.js';
import { label, present, subjectId, subjectPayload, ViewMenu, whenOutdated, withNotice, type AdminViews, type Presentation } from './view-menu.js';

export interface AdminsMenuDeps {
  admins: Pick<AdminStore, 'list' | 'isOwner' | 'removeChecked'>;
  logger: Logger;
}

const adminName = (admin: Pick<Admin, 'user_id' | 'display_name'>) => admin.display_name || String(admin.user_id);

/** Who administers the bot: add one (a conversation), or remove one after a confirmation. */
export function adminsMenu({ admins, logger }: AdminsMenuDeps, views: AdminViews) {
  const removable = async (): Promise<Admin[]> => (await admins.list()).filter((admin) => !admins.isOwner(admin.user_id));
  const find = async (userId: number | null): Promise<Admin | undefined> => (await admins.list()).find((admin) => admin.user_id === userId);

  const menu = new ViewMenu('ad', {
    fingerprint: async () => `ad:${(await removable()).map((admin) => admin.user_id).join(',')}`,
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')),
  });
  menu.dynamic(async (ctx, range) => {
    for (const admin of await removable()) {
      range
        .text({ text: ctx.t('btn-remove-admin', { name: adminName(admin) }), payload: String(admin.user_id) }, async (ctx) => {
          const admin = await find(subjectId(ctx));
          if (!admin) return show(ctx, 'edit');
          await present(ctx, 'edit', ctx.t('admin-remove-confirm', { name: escapeHtml(adminName(admin)) }), removeMenu);
        })
        .row();
    }
    return range;
  });
  menu.text(label('btn-add-admin'), (ctx) => ctx.conversation.enter(FLOW.addAdmin)).row();
  menu.text(label('btn-back-places'), (ctx) => views.showMain(ctx, 'edit'));

  const removeMenu = new ViewMenu('ar', { fingerprint: () => 'ar', onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')) });
  removeMenu
    .text({ text: label('btn-remove-yes'), payload: subjectPayload }, async (ctx) => {
      const userId = subjectId(ctx);
      const admin = await find(userId);
      if (userId === null || !admin) return show(ctx, 'edit');
      const outcome = await admins.removeChecked(userId);
      if (outcome === 'removed') logger.info({ userId, by: ctx.from.id }, 'admin removed from the bot');
      await show(ctx, 'edit', ctx.t(`admin-remove-${outcome}`, { name: escapeHtml(adminName(admin)) }));
    })
    .row()
    .text(label('btn-no'), (ctx) => show(ctx, 'edit'));

  async function show(ctx: BotContext, how: Presentation, notice?: string): Promise<void> {
    const lines = [ctx.t('admins-title')];
    for (const admin of await admins.list()) {
      const marks = [admins.isOwner(admin.user_id) ? ctx.t('admins-owner-mark') : '', admin.user_id === ctx.from?.id ? ctx.t('admins-you-mark') : '']
        .filter(Boolean)
        .join(' ');
      lines.push(ctx.t('admins-line', { name: escapeHtml(adminName(admin)), id: String(admin.user_id), marks }));
    }
    lines.push('', ctx.t('admins-hint'));
    await present(ctx, how, withNotice(notice, lines.join('\n').trimEnd()), menu);
  }

  menu.register(removeMenu);
  return { menu, show };
}
