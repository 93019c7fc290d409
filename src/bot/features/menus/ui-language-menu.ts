import type { AdminStore } from '../../../admins/admin-store.js';
import type { Clock } from '../../../clock.js';
import { LOCALES } from '../../../i18n/translator.js';
import type { BotContext } from '../../context.js';
import { label, present, ViewMenu, whenOutdated, type AdminViews, type Presentation } from './view-menu.js';

export interface UiLanguageMenuDeps {
  admins: Pick<AdminStore, 'setLanguage'>;
  clock: Clock;
}

/** The language of the admin's own chat (/language), kept with the admin. */
export function uiLanguageMenu({ admins, clock }: UiLanguageMenuDeps, views: AdminViews) {
  const menu = new ViewMenu('ul', { fingerprint: () => 'ul', onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')) });
  for (const language of LOCALES) {
    menu.text(label(`btn-language-${language}`), async (ctx) => {
      await admins.setLanguage(ctx.from.id, language, clock.now());
      ctx.i18n.useLocale(language);
      await views.showMain(ctx, 'edit', ctx.t('ui-language-set'));
    });
  }
  menu.row().text(label('btn-back'), (ctx) => views.showMain(ctx, 'edit'));

  async function show(ctx: BotContext, how: Presentation): Promise<void> {
    await present(ctx, how, ctx.t('ui-language-title'), menu);
  }

  return { menu, show };
}
