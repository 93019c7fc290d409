import { Keyboard } from 'grammy';
import type { Message } from 'grammy/types';
import { escapeHtml } from '../../../i18n/escape-html.js';
import type { FlowContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import { displayName } from '../access.js';
import type { AdminViews } from '../menus/index.js';
import { flowTranslator, type Flow } from './steps.js';

const PERSON_REQUEST_ID = 2;

type Candidate = { id: number; name: string | null } | { problem: 'admin-add-bot' | 'admin-add-hidden' | 'admin-add-not-id' };

/** Who the admin means: a person picked with Telegram's picker, a forwarded message's sender, or an id. */
export function candidateFrom(message: Message): Candidate {
  const shared = message.users_shared?.users[0];
  if (shared) {
    const name = displayName({ first_name: shared.first_name ?? '', last_name: shared.last_name, username: shared.username });
    return { id: shared.user_id, name: name || null };
  }
  const origin = message.forward_origin;
  if (origin?.type === 'user') return origin.sender_user.is_bot ? { problem: 'admin-add-bot' } : { id: origin.sender_user.id, name: displayName(origin.sender_user) };
  if (origin?.type === 'hidden_user') return { problem: 'admin-add-hidden' };
  const text = message.text?.trim() ?? '';
  if (/^\d{1,15}$/.test(text) && Number(text) > 0) return { id: Number(text), name: null };
  return { problem: 'admin-add-not-id' };
}

/** "Add admin": one question (who), then the admin list again. */
export function addAdminFlow(deps: Pick<BotServices, 'admins' | 'translations' | 'clock' | 'logger'>, views: Pick<AdminViews, 'showAdmins'>) {
  return async function addAdmin(conversation: Flow, ctx: FlowContext): Promise<void> {
    const t = await flowTranslator(conversation, deps);
    const keyboard = new Keyboard()
      .requestUsers(t('btn-pick-person'), PERSON_REQUEST_ID, { user_is_bot: false, max_quantity: 1, request_name: true, request_username: true })
      .row()
      .text(t('btn-cancel'))
      .resized();
    await ctx.reply(t('admin-add-ask'), { reply_markup: keyboard });
    for (;;) {
      const answer = await conversation.waitFor('message', {
        otherwise: async (other) => {
          if (other.callbackQuery) await other.answerCallbackQuery({ text: t('flow-stale-button') });
        },
      });
      const candidate = candidateFrom(answer.message);
      if ('problem' in candidate) {
        await answer.reply(t(candidate.problem), { reply_markup: keyboard });
        continue;
      }
      await conversation.external(async (octx) => {
        const name = escapeHtml(candidate.name ?? String(candidate.id));
        const already = await deps.admins.isAdmin(candidate.id);
        if (!already) {
          await deps.admins.add(candidate.id, { addedBy: octx.from?.id ?? null, displayName: candidate.name, now: deps.clock.now() });
          deps.logger.info({ userId: candidate.id, by: octx.from?.id }, 'admin added from the bot');
        }
        await octx.reply(t(already ? 'admin-already' : 'admin-added', { name }), { reply_markup: { remove_keyboard: true } });
        await views.showAdmins(octx, 'reply');
      });
      return;
    }
  };
}
