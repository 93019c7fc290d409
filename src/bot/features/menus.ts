import { GrammyError, type Filter } from 'grammy';
import { Menu, type MenuFlavor } from '@grammyjs/menu';
import type { InlineKeyboardMarkup } from 'grammy/types';
import { LANGUAGES, LocationInputError } from '../../locations/location-rules.js';
import type { Location } from '../../locations/location-service.js';
import { escapeHtml } from '../../telegram/escape-html.js';
import type { Admin } from '../../admins/admin-store.js';
import type { BotContext } from '../context.js';
import type { BotFeatureDeps } from '../deps.js';
import { mainMenuText, placeButtonLabel, placeDetailsText } from '../views/place-text.js';
import { FLOW } from './flows/flow-ids.js';
import type { PlaceActions } from './place-actions.js';

/** A menu press: the context grammY's menu plugin hands to a button's handler. */
type PressContext = Filter<BotContext, 'callback_query:data'> & MenuFlavor;

/** How a view reaches the chat: as a new message, or by editing the message that was pressed. */
export type Presentation = 'reply' | 'edit';

/**
 * A menu that can also render its keyboard for a message sent outside the menu middleware, e.g.
 * at the end of a conversation (conversations answer before the menu middleware runs).
 */
class ViewMenu extends Menu<BotContext> {
  async markup(ctx: BotContext): Promise<InlineKeyboardMarkup> {
    return { inline_keyboard: await this.render(ctx) };
  }
}

/** The subject of a place or admin menu travels in the button payload and comes back in ctx.match. */
function subjectId(ctx: BotContext): number | null {
  const match = ctx.match;
  return typeof match === 'string' && /^\d{1,15}$/.test(match) ? Number(match) : null;
}

const subjectPayload = (ctx: BotContext): string => (typeof ctx.match === 'string' ? ctx.match : '');

function notModified(error: unknown): boolean {
  return error instanceof GrammyError && error.description.includes('message is not modified');
}

export interface AdminViews {
  /** Install after every createConversation: menu buttons enter conversations. */
  root: Menu<BotContext>;
  showMain(ctx: BotContext, how: Presentation, notice?: string): Promise<void>;
  showPlace(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void>;
  showAdmins(ctx: BotContext, how: Presentation, notice?: string): Promise<void>;
  showUiLanguages(ctx: BotContext, how: Presentation): Promise<void>;
  choosePlace(ctx: BotContext, purpose: 'diagram' | 'export'): Promise<void>;
}

/**
 * The admin's menus. They survive a restart: menu ids are fixed, the place or admin a button is
 * about travels in its payload, and each menu's fingerprint is computed from the database (the
 * list of place ids, whether a place is paused), never from labels that age by the minute. A
 * press on a menu whose fingerprint changed shows the current view instead of a dead end.
 */
export function createAdminViews(deps: BotFeatureDeps, actions: PlaceActions): AdminViews {
  const { locations, admins } = deps;
  const findPlace = async (id: number | null): Promise<Location | undefined> => {
    if (id === null) return undefined;
    try {
      return await locations.get(id);
    } catch (error) {
      if (error instanceof LocationInputError) return undefined;
      throw error;
    }
  };
  const placeIds = async () => (await locations.list()).map((place) => place.id).join(',');

  async function present(ctx: BotContext, how: Presentation, text: string, menu: ViewMenu): Promise<void> {
    const reply_markup = await menu.markup(ctx);
    if (how === 'reply') {
      await ctx.reply(text, { parse_mode: 'HTML', reply_markup });
      return;
    }
    try {
      await ctx.editMessageText(text, { parse_mode: 'HTML', reply_markup });
    } catch (error) {
      if (!notModified(error)) throw error;
    }
  }

  const withNotice = (notice: string | undefined, text: string) => (notice ? `${notice}\n\n${text}` : text);

  // --- Main menu: the places ------------------------------------------------------------------

  const main = new ViewMenu('m', {
    fingerprint: async () => `m:${await placeIds()}`,
    onMenuOutdated: async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      await showMain(ctx, 'edit');
    },
  });
  main.dynamic(async (ctx, range) => {
    const view = actions.view(ctx.t);
    for (const place of await locations.list()) {
      range.text({ text: placeButtonLabel(place, view), payload: String(place.id) }, (ctx) => openPlace(ctx)).row();
    }
    return range;
  });
  main.text((ctx) => ctx.t('btn-add-place'), (ctx) => ctx.conversation.enter(FLOW.addPlace)).row();
  main.text((ctx) => ctx.t('btn-admins'), (ctx) => showAdmins(ctx, 'edit'));
  main.text((ctx) => ctx.t('btn-ui-language'), (ctx) => showUiLanguages(ctx, 'edit')).row();
  main.text((ctx) => ctx.t('btn-refresh'), (ctx) => showMain(ctx, 'edit'));

  async function showMain(ctx: BotContext, how: Presentation, notice?: string): Promise<void> {
    const text = mainMenuText(await locations.list(), actions.view(ctx.t));
    await present(ctx, how, withNotice(notice, text), main);
  }

  async function openPlace(ctx: PressContext): Promise<void> {
    const id = subjectId(ctx);
    if (id === null || !(await findPlace(id))) return showMain(ctx, 'edit', ctx.t('place-gone'));
    return showPlace(ctx, id, 'edit');
  }

  // --- One place ------------------------------------------------------------------------------

  /** A button of a place's menu: runs `handler` with the place, or says it is gone. */
  const placeButton =
    (handler: (ctx: PressContext, place: Location) => Promise<unknown>) =>
    async (ctx: PressContext): Promise<void> => {
      const place = await findPlace(subjectId(ctx));
      if (!place) return showMain(ctx, 'edit', ctx.t('place-gone'));
      await handler(ctx, place);
    };
  const placeFingerprint = (prefix: string, withPause: boolean) => async (ctx: BotContext) => {
    const place = await findPlace(subjectId(ctx));
    return `${prefix}:${subjectPayload(ctx)}:${place ? (withPause ? place.paused : 1) : 'gone'}`;
  };
  const placeOutdated = async (ctx: PressContext): Promise<void> => {
    await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
    const place = await findPlace(subjectId(ctx));
    if (place) await showPlace(ctx, place.id, 'edit');
    else await showMain(ctx, 'edit', ctx.t('place-gone'));
  };
  const label = (key: string) => (ctx: BotContext) => ctx.t(key);

  const placeMenu = new ViewMenu('p', { fingerprint: placeFingerprint('p', true), onMenuOutdated: placeOutdated });
  placeMenu
    .text({ text: label('btn-config'), payload: subjectPayload }, placeButton((ctx, place) => actions.sendEsp32Config(ctx, place, ctx.t)))
    .text({ text: label('btn-events'), payload: subjectPayload }, placeButton((ctx, place) => actions.sendRecentEvents(ctx, place, ctx.t)))
    .row()
    .text({ text: label('btn-rename'), payload: subjectPayload }, placeButton((ctx, place) => ctx.conversation.enter(FLOW.rename, place.id)))
    .text({ text: label('btn-timeout'), payload: subjectPayload }, placeButton((ctx, place) => ctx.conversation.enter(FLOW.timeout, place.id)))
    .row()
    .text({ text: label('btn-channel'), payload: subjectPayload }, placeButton((ctx, place) => ctx.conversation.enter(FLOW.channel, place.id)))
    .text(
      { text: label('btn-post-language'), payload: subjectPayload },
      placeButton((ctx, place) => present(ctx, 'edit', ctx.t('post-language-title', { name: escapeHtml(place.name) }), postLanguageMenu)),
    )
    .row()
    .text(
      {
        text: async (ctx) => ctx.t((await findPlace(subjectId(ctx)))?.paused ? 'btn-resume' : 'btn-pause'),
        payload: subjectPayload,
      },
      placeButton(async (ctx, place) => {
        if (place.paused) await locations.resume(place.id);
        else await locations.pause(place.id);
        await showPlace(ctx, place.id, 'edit', ctx.t(place.paused ? 'place-resumed' : 'place-paused-now'));
      }),
    )
    .text({ text: label('btn-diagram'), payload: subjectPayload }, placeButton((ctx, place) => actions.sendDiagramNow(ctx, place, ctx.t)))
    .row()
    .text(
      { text: label('btn-rotate'), payload: subjectPayload },
      placeButton((ctx, place) => present(ctx, 'edit', ctx.t('rotate-confirm', { name: escapeHtml(place.name) }), rotateMenu)),
    )
    .text(
      { text: label('btn-delete'), payload: subjectPayload },
      placeButton(async (ctx, place) => {
        const events = await countEvents(place.id);
        await present(ctx, 'edit', ctx.t('delete-confirm', { name: escapeHtml(place.name), events }), deleteMenu);
      }),
    )
    .row()
    .text({ text: label('btn-refresh'), payload: subjectPayload }, placeButton((ctx, place) => showPlace(ctx, place.id, 'edit')))
    .text(label('btn-back-places'), (ctx) => showMain(ctx, 'edit'));

  async function showPlace(ctx: BotContext, placeId: number, how: Presentation, notice?: string): Promise<void> {
    const place = await findPlace(placeId);
    if (!place) return showMain(ctx, how, ctx.t('place-gone'));
    ctx.match = String(place.id); // The place menu's buttons carry this id.
    await present(ctx, how, withNotice(notice, placeDetailsText(place, actions.view(ctx.t))), placeMenu);
  }

  async function countEvents(placeId: number): Promise<number> {
    const { count } = await deps.store.db
      .selectFrom('power_events')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('location_id', '=', placeId)
      .executeTakeFirstOrThrow();
    return Number(count);
  }

  const rotateMenu = new ViewMenu('rk', { fingerprint: placeFingerprint('rk', false), onMenuOutdated: placeOutdated });
  rotateMenu
    .text(
      { text: label('btn-rotate-yes'), payload: subjectPayload },
      placeButton(async (ctx, place) => {
        const rotated = await locations.rotateKey(place.id);
        deps.logger.info({ locationId: place.id, userId: ctx.from.id }, 'device key rotated from the bot');
        await showPlace(ctx, place.id, 'edit', ctx.t('rotate-done', { name: escapeHtml(place.name) }));
        await actions.sendEsp32Config(ctx, rotated, ctx.t);
      }),
    )
    .row()
    .text({ text: label('btn-no'), payload: subjectPayload }, placeButton((ctx, place) => showPlace(ctx, place.id, 'edit')));

  const deleteMenu = new ViewMenu('dl', { fingerprint: placeFingerprint('dl', false), onMenuOutdated: placeOutdated });
  deleteMenu
    .text(
      { text: label('btn-delete-yes'), payload: subjectPayload },
      placeButton(async (ctx, place) => {
        const deleted = await locations.delete(place.id);
        deps.logger.info({ locationId: place.id, userId: ctx.from.id, events: deleted.events }, 'place deleted from the bot');
        await showMain(ctx, 'edit', ctx.t('delete-done', { name: escapeHtml(deleted.name), events: deleted.events }));
      }),
    )
    .row()
    .text({ text: label('btn-no'), payload: subjectPayload }, placeButton((ctx, place) => showPlace(ctx, place.id, 'edit')));

  const postLanguageMenu = new ViewMenu('pl', { fingerprint: placeFingerprint('pl', false), onMenuOutdated: placeOutdated });
  for (const language of LANGUAGES) {
    postLanguageMenu.text(
      {
        text: async (ctx) => {
          const current = (await findPlace(subjectId(ctx)))?.language;
          return `${current === language ? '✓ ' : ''}${ctx.t(`btn-language-${language}`)}`;
        },
        payload: subjectPayload,
      },
      placeButton(async (ctx, place) => {
        await locations.setLanguage(place.id, language);
        await showPlace(ctx, place.id, 'edit', ctx.t('post-language-set', { language: ctx.t(`language-name-${language}`) }));
      }),
    );
  }
  postLanguageMenu.row().text({ text: label('btn-back'), payload: subjectPayload }, placeButton((ctx, place) => showPlace(ctx, place.id, 'edit')));

  // --- Admins ---------------------------------------------------------------------------------

  const removableAdmins = async (): Promise<Admin[]> => (await admins.list()).filter((admin) => !admins.isOwner(admin.user_id));
  const adminName = (admin: Pick<Admin, 'user_id' | 'display_name'>) => admin.display_name || String(admin.user_id);

  const adminsMenu = new ViewMenu('ad', {
    fingerprint: async () => `ad:${(await removableAdmins()).map((admin) => admin.user_id).join(',')}`,
    onMenuOutdated: async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      await showAdmins(ctx, 'edit');
    },
  });
  adminsMenu.dynamic(async (ctx, range) => {
    for (const admin of await removableAdmins()) {
      range
        .text({ text: ctx.t('btn-remove-admin', { name: adminName(admin) }), payload: String(admin.user_id) }, async (ctx) => {
          const admin = (await admins.list()).find((candidate) => candidate.user_id === subjectId(ctx));
          if (!admin) return showAdmins(ctx, 'edit');
          await present(ctx, 'edit', ctx.t('admin-remove-confirm', { name: escapeHtml(adminName(admin)) }), removeAdminMenu);
        })
        .row();
    }
    return range;
  });
  adminsMenu.text(label('btn-add-admin'), (ctx) => ctx.conversation.enter(FLOW.addAdmin)).row();
  adminsMenu.text(label('btn-back-places'), (ctx) => showMain(ctx, 'edit'));

  const removeAdminMenu = new ViewMenu('ar', {
    fingerprint: () => 'ar',
    onMenuOutdated: async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      await showAdmins(ctx, 'edit');
    },
  });
  removeAdminMenu
    .text({ text: label('btn-remove-yes'), payload: subjectPayload }, async (ctx) => {
      const userId = subjectId(ctx);
      const admin = (await admins.list()).find((candidate) => candidate.user_id === userId);
      if (userId === null || !admin) return showAdmins(ctx, 'edit');
      const outcome = await admins.removeChecked(userId);
      if (outcome === 'removed') deps.logger.info({ userId, by: ctx.from.id }, 'admin removed from the bot');
      await showAdmins(ctx, 'edit', ctx.t(`admin-remove-${outcome}`, { name: escapeHtml(adminName(admin)) }));
    })
    .row()
    .text(label('btn-no'), (ctx) => showAdmins(ctx, 'edit'));

  async function showAdmins(ctx: BotContext, how: Presentation, notice?: string): Promise<void> {
    const lines = [ctx.t('admins-title')];
    for (const admin of await admins.list()) {
      const marks = [admins.isOwner(admin.user_id) ? ctx.t('admins-owner-mark') : '', admin.user_id === ctx.from?.id ? ctx.t('admins-you-mark') : '']
        .filter(Boolean)
        .join(' ');
      lines.push(ctx.t('admins-line', { name: escapeHtml(adminName(admin)), id: String(admin.user_id), marks }));
    }
    lines.push('', ctx.t('admins-hint'));
    await present(ctx, how, withNotice(notice, lines.join('\n').trimEnd()), adminsMenu);
  }

  // --- The admin's own language ----------------------------------------------------------------

  const uiLanguageMenu = new ViewMenu('ul', {
    fingerprint: () => 'ul',
    onMenuOutdated: async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
      await showUiLanguages(ctx, 'edit');
    },
  });
  for (const language of LANGUAGES) {
    uiLanguageMenu.text(label(`btn-language-${language}`), async (ctx) => {
      await admins.setLanguage(ctx.from.id, language, deps.clock.now());
      ctx.i18n.useLocale(language);
      await showMain(ctx, 'edit', ctx.t('ui-language-set'));
    });
  }
  uiLanguageMenu.row().text(label('btn-back'), (ctx) => showMain(ctx, 'edit'));

  async function showUiLanguages(ctx: BotContext, how: Presentation): Promise<void> {
    await present(ctx, how, ctx.t('ui-language-title'), uiLanguageMenu);
  }

  // --- Choosing a place for a command (/diagram, /export) -----------------------------------------

  const chooser = (id: string, act: (ctx: PressContext, place: Location) => Promise<void>) => {
    const menu = new ViewMenu(id, {
      fingerprint: async () => `${id}:${await placeIds()}`,
      onMenuOutdated: async (ctx) => {
        await ctx.answerCallbackQuery({ text: ctx.t('menu-outdated') });
        await choosePlaceWith(ctx, 'edit', menu, id === 'dg' ? 'diagram' : 'export');
      },
    });
    menu.dynamic(async (ctx, range) => {
      const view = actions.view(ctx.t);
      for (const place of await locations.list()) {
        range.text({ text: placeButtonLabel(place, view), payload: String(place.id) }, placeButton(act)).row();
      }
      return range;
    });
    return menu;
  };
  const diagramChooser = chooser('dg', (ctx, place) => actions.sendDiagramNow(ctx, place, ctx.t));
  const exportChooser = chooser('ex', (ctx, place) => actions.sendEventsCsv(ctx, place, ctx.t));

  async function choosePlaceWith(ctx: BotContext, how: Presentation, menu: ViewMenu, purpose: 'diagram' | 'export'): Promise<void> {
    const places = await locations.list();
    if (places.length === 0) return showMain(ctx, how, ctx.t('choose-empty'));
    await present(ctx, how, ctx.t(`${purpose}-choose`), menu);
  }

  // Children first: registering merges each menu's index into its parent's.
  placeMenu.register([rotateMenu, deleteMenu, postLanguageMenu]);
  adminsMenu.register(removeAdminMenu);
  main.register([placeMenu, adminsMenu, uiLanguageMenu, diagramChooser, exportChooser]);

  return {
    root: main,
    showMain,
    showPlace,
    showAdmins,
    showUiLanguages,
    choosePlace: (ctx, purpose) => choosePlaceWith(ctx, 'reply', purpose === 'diagram' ? diagramChooser : exportChooser, purpose),
  };
}
