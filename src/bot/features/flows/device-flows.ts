import type { Device } from '../../../devices/device-store.js';
import { eventUrlFor } from '../../../devices/device-urls.js';
import { PlaceInputError } from '../../../places/place-rules.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { Translate } from '../../../i18n/translator.js';
import type { BotContext, FlowContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import { deviceKeyText } from '../../views/device-text.js';
import type { AdminViews } from '../menus/index.js';
import { askName, flowTranslator, type Flow } from './steps.js';

/** Adding a device to a place (a name, then its key and addresses) and renaming one. */
export function deviceFlows(deps: Pick<BotServices, 'admins' | 'translations' | 'locations' | 'heartbeatUrl'>, views: Pick<AdminViews, 'showMain' | 'showDevices'>) {
  const { locations } = deps;

  const placeName = (conversation: Flow, placeId: number) =>
    conversation.external(async (): Promise<string | null> => {
      try {
        return (await locations.get(placeId)).name;
      } catch (error) {
        if (error instanceof PlaceInputError) return null;
        throw error;
      }
    });

  /** Writes the change; a name taken (or another refusal) is said and asked again, the place gone ends it. */
  const attempt = (conversation: Flow, t: Translate, change: () => Promise<Device>) =>
    conversation.external(async (octx: BotContext): Promise<Device | { refused: string; gone: boolean }> => {
      try {
        return await change();
      } catch (error) {
        if (!(error instanceof PlaceInputError)) throw error;
        const gone = error.code === 'place-missing' || error.code === 'device-missing';
        if (gone) {
          await octx.reply(t(error.code === 'place-missing' ? 'place-gone' : 'device-gone'));
          await views.showMain(octx, 'reply');
        }
        return { refused: t(`location-error-${error.code}`, error.params), gone };
      }
    });

  async function addDevice(conversation: Flow, ctx: FlowContext, placeId: number): Promise<void> {
    const t = await flowTranslator(conversation, deps);
    const name = await placeName(conversation, placeId);
    if (name === null) return void (await ctx.reply(t('place-gone')));
    let prompt = t('device-add-ask', { place: escapeHtml(name) });
    for (;;) {
      const deviceName = await askName(conversation, ctx, t, prompt);
      const added = await attempt(conversation, t, () => locations.addDevice(placeId, deviceName));
      if ('refused' in added) {
        if (added.gone) return;
        prompt = t('flow-invalid', { reason: escapeHtml(added.refused) });
        continue;
      }
      await conversation.external(async (octx: BotContext) => {
        const heartbeat = deps.heartbeatUrl();
        await octx.reply(`${t('device-added', { name: escapeHtml(added.name) })}\n\n${deviceKeyText(added, name, heartbeat, eventUrlFor(heartbeat), t)}`, {
          link_preview_options: { is_disabled: true },
        });
        await views.showDevices(octx, placeId, 'reply');
      });
      return;
    }
  }

  async function renameDevice(conversation: Flow, ctx: FlowContext, placeId: number, deviceId: number): Promise<void> {
    const t = await flowTranslator(conversation, deps);
    const current = await conversation.external(async (): Promise<string | null> => {
      try {
        return (await locations.device(placeId, deviceId)).name;
      } catch (error) {
        if (error instanceof PlaceInputError) return null;
        throw error;
      }
    });
    if (current === null) return void (await ctx.reply(t('device-gone')));
    let prompt = t('device-rename-ask', { name: escapeHtml(current) });
    for (;;) {
      const name = await askName(conversation, ctx, t, prompt);
      const renamed = await attempt(conversation, t, () => locations.renameDevice(placeId, deviceId, name));
      if ('refused' in renamed) {
        if (renamed.gone) return;
        prompt = t('flow-invalid', { reason: escapeHtml(renamed.refused) });
        continue;
      }
      await conversation.external(async (octx: BotContext) => {
        await octx.reply(t('device-renamed', { name: escapeHtml(renamed.name) }));
        await views.showDevices(octx, placeId, 'reply');
      });
      return;
    }
  }

  return { addDevice, renameDevice };
}
