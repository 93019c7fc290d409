import type { AdminStore } from '../../../admins/admin-store.js';
import { describeQuietHours, formatQuietWindow } from '../../../people/quiet-hours.js';
import type { QuietWindow } from '../../../outbox/payload-parts.js';
import { subscriberMenuId } from '../../../people/roles.js';
import { LOCALES } from '../../../i18n/translator.js';
import type { BotContext } from '../../context.js';
import type { PeopleServices } from '../../deps.js';
import { FLOW } from '../flows/flow-ids.js';
import { label, present, ViewMenu, whenOutdated, withNotice, type Presentation, type PressContext } from '../menus/view-menu.js';
import type { LanguageMemory } from './language-memory.js';

/** Quiet hours offered as buttons (anything else is typed). */
const QUIET_PRESETS: readonly QuietWindow[] = [
  { startMin: 23 * 60, endMin: 7 * 60 },
  { startMin: 22 * 60, endMin: 8 * 60 },
];

export interface SubscriberSettingsDeps {
  people: Pick<PeopleServices, 'subscribers'>;
  /** Admins who follow places type their own quiet hours in a conversation; others just send them. */
  admins: Pick<AdminStore, 'isAdmin'>;
  /** Their chosen language outlives their last subscription. */
  languages: Pick<LanguageMemory, 'remember'>;
}

/** Where the settings lead back to: the places they follow (also when they follow none any more). */
interface Home {
  showHome(ctx: BotContext, how: Presentation): Promise<void>;
}

/** The person's own settings: the bot's language with them and their quiet hours (two presets, typed, or off). */
export function subscriberSettingsMenu(deps: SubscriberSettingsDeps, screens: Home) {
  const { people } = deps;
  const personOf = (ctx: BotContext) => (ctx.from ? people.subscribers.person(ctx.from.id) : undefined);
  const menu = new ViewMenu(subscriberMenuId('settings'), {
    fingerprint: (ctx) => `sbs:${personOf(ctx) ? 1 : 0}`,
    onMenuOutdated: whenOutdated((ctx) => show(ctx, 'edit')),
  });
  const setQuiet = async (ctx: PressContext, quiet: QuietWindow | null): Promise<void> => {
    if (!people.subscribers.setQuietHours(ctx.from.id, quiet)) return screens.showHome(ctx, 'edit');
    await show(ctx, 'edit', ctx.t('people-quiet-set', { current: describeQuietHours(quiet, ctx.t), on: quiet ? 'yes' : 'no' }));
  };
  addLanguageButtons(menu, deps, screens, (ctx, notice) => show(ctx, 'edit', notice));
  menu.row();
  for (const window of QUIET_PRESETS) {
    menu.text(
      (ctx) => {
        const quiet = personOf(ctx)?.quiet;
        const chosen = quiet && quiet.startMin === window.startMin && quiet.endMin === window.endMin;
        return `${chosen ? '✓ ' : ''}${ctx.t('people-btn-quiet', { window: formatQuietWindow(window) })}`;
      },
      (ctx) => setQuiet(ctx, window),
    );
  }
  menu
    .row()
    .text(label('people-btn-quiet-custom'), (ctx) => askQuietHours(deps, screens, ctx))
    .text(
      (ctx) => `${personOf(ctx)?.quiet === null ? '✓ ' : ''}${ctx.t('people-btn-quiet-off')}`,
      (ctx) => setQuiet(ctx, null),
    )
    .row()
    .text(label('people-btn-my-places'), (ctx) => screens.showHome(ctx, 'edit'));

  async function show(ctx: BotContext, how: Presentation, notice?: string): Promise<void> {
    const person = personOf(ctx);
    if (!person) return screens.showHome(ctx, how);
    const lines = [
      ctx.t('people-settings-title'),
      ctx.t('people-settings-language', { language: ctx.t(`language-title-${person.language}`) }),
      describeQuietHours(person.quiet, ctx.t),
      '',
      ctx.t('people-settings-hint'),
    ];
    ctx.match = '';
    await present(ctx, how, withNotice(notice, lines.join('\n')), menu);
  }

  return { menu, show };
}

/** One button per language, the current one ticked; a press also switches the chat's own language. */
function addLanguageButtons(
  menu: ViewMenu,
  { people, languages }: Pick<SubscriberSettingsDeps, 'people' | 'languages'>,
  screens: Home,
  showSettings: (ctx: BotContext, notice: string) => Promise<void>,
): void {
  for (const language of LOCALES) {
    menu.text(
      (ctx) => `${ctx.from && people.subscribers.person(ctx.from.id)?.language === language ? '✓ ' : ''}${ctx.t(`btn-language-${language}`)}`,
      async (ctx) => {
        if (!people.subscribers.setLanguage(ctx.from.id, language)) return screens.showHome(ctx, 'edit');
        await languages.remember(ctx.from.id, language);
        ctx.i18n.useLocale(language);
        await showSettings(ctx, ctx.t('people-language-set'));
      },
    );
  }
}

/** Quiet hours of their own choosing: admins type them in a conversation, others are told to send them. */
async function askQuietHours({ people, admins }: SubscriberSettingsDeps, screens: Home, ctx: PressContext): Promise<unknown> {
  const person = people.subscribers.person(ctx.from.id);
  if (!person) return screens.showHome(ctx, 'edit');
  if (await admins.isAdmin(ctx.from.id)) return ctx.conversation.enter(FLOW.quietHours);
  await ctx.reply(ctx.t('people-quiet-ask', { current: describeQuietHours(person.quiet, ctx.t) }));
}
