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

type DeviceFlowDeps = Pick<BotServices, 'admins' | 'translations' | 'places' | 'heartbeatUrl'>;
type DeviceViews = Pick<AdminViews, 'showMain' | 'showDevices'>;

/** Adding a device to a place (a name, then its key and addresses) and renaming one. */
export function deviceFlows(deps: DeviceFlowDeps, views: DeviceViews) {
  return {
    addDevice: (conversation: Flow, ctx: FlowContext, placeId: number) => addDevice(deps, views, conversation, ctx, placeId),
    renameDevice: (conversation: Flow, ctx: FlowContext, placeId: number, deviceId: number) => renameDevice(deps, views, conversation, ctx, placeId, deviceId),
  };
}

async function addDevice(deps: DeviceFlowDeps, views: DeviceViews, conversation: Flow, ctx: FlowContext, placeId: number): Promise<void> {
  const t = await flowTranslator(conversation, deps);
  const name = await nameOrGone(conversation, async () => (await deps.places.get(placeId)).name);
  if (name === null) return void (await ctx.reply(t('place-gone')));
  const prompt = t('device-add-ask', { place: escapeHtml(name) });
  const added = await askUntilAccepted(conversation, ctx, views, t, prompt, (deviceName) => deps.places.addDevice(placeId, deviceName));
  if (!added) return;
  await conversation.external(async (octx: BotContext) => {
    const heartbeat = deps.heartbeatUrl();
    await octx.reply(`${t('device-added', { name: escapeHtml(added.name) })}\n\n${deviceKeyText(added, name, heartbeat, eventUrlFor(heartbeat), t)}`, {
      link_preview_options: { is_disabled: true },
    });
    await views.showDevices(octx, placeId, 'reply');
  });
}

async function renameDevice(deps: DeviceFlowDeps, views: DeviceViews, conversation: Flow, ctx: FlowContext, placeId: number, deviceId: number): Promise<void> {
  const t = await flowTranslator(conversation, deps);
  const current = await nameOrGone(conversation, async () => (await deps.places.device(placeId, deviceId)).name);
  if (current === null) return void (await ctx.reply(t('device-gone')));
  const prompt = t('device-rename-ask', { name: escapeHtml(current) });
  const renamed = await askUntilAccepted(conversation, ctx, views, t, prompt, (name) => deps.places.renameDevice(placeId, deviceId, name));
  if (!renamed) return;
  await conversation.external(async (octx: BotContext) => {
    await octx.reply(t('device-renamed', { name: escapeHtml(renamed.name) }));
    await views.showDevices(octx, placeId, 'reply');
  });
}

/** The name of the place or device as the flow starts; null once it is gone. */
function nameOrGone(conversation: Flow, read: () => Promise<string>) {
  return conversation.external(async (): Promise<string | null> => {
    try {
      return await read();
    } catch (error) {
      if (error instanceof PlaceInputError) return null;
      throw error;
    }
  });
}

/** Asks for a name until `change` takes it: a name taken (or another refusal) is said and asked again; null once the place or device is gone (said already). */
async function askUntilAccepted(
  conversation: Flow,
  ctx: FlowContext,
  views: Pick<DeviceViews, 'showMain'>,
  t: Translate,
  firstPrompt: string,
  change: (name: string) => Promise<Device>,
): Promise<Device | null> {
  let prompt = firstPrompt;
  for (;;) {
    const name = await askName(conversation, ctx, t, prompt);
    const result = await attempt(conversation, views, t, () => change(name));
    if (!('refused' in result)) return result;
    if (result.gone) return null;
    prompt = t('flow-invalid', { reason: escapeHtml(result.refused) });
  }
}

/** Writes the change; a refusal comes back to be said, and the place or device gone is said here and ends the flow. */
function attempt(conversation: Flow, views: Pick<DeviceViews, 'showMain'>, t: Translate, change: () => Promise<Device>) {
  return conversation.external(async (octx: BotContext): Promise<Device | { refused: string; gone: boolean }> => {
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
}
