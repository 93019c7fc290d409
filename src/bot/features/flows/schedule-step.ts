import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'grammy/types';
import type { QueueChoices } from '../../../schedules/schedule-service.js';
import type { QueueInfo } from '../../../outbox/payload-parts.js';
import { queueName } from '../../../schedules/plan-text.js';
import { escapeHtml } from '../../../i18n/escape-html.js';
import { isNotModified } from '../../../telegram/telegram-errors.js';
import type { Locale, Translate } from '../../../i18n/translator.js';
import type { FlowContext } from '../../context.js';
import type { BotServices } from '../../deps.js';
import { pageOf, queueButtonLabel, sourceName } from '../../views/schedule-text.js';
import { CANCEL_DATA, FLOW_DATA_PREFIX } from '../flow-control.js';
import { otherwise, type Flow } from './steps.js';

/** What the admin picked in the schedule step: a source and one of its queues, or nothing. */
export type ScheduleChoice = { sourceId: string; sourceName: string; queue: QueueInfo } | null;

export type ScheduleStepDeps = { schedules: Pick<BotServices['schedules'], 'sources' | 'queueChoices'> };

const SOURCES_PER_PAGE = 20;
const SOURCES_PER_ROW = 2;
const QUEUES_PER_PAGE = 24;
const QUEUES_PER_ROW = 3;

// Button data of this step (well under Telegram's 64 bytes): indices into the lists as they were
// when the step began (kept in the conversation's log, so a replay sees the same lists).
const SKIP = `${FLOW_DATA_PREFIX}s-`;
const SOURCE = `${FLOW_DATA_PREFIX}ss`;
const SOURCE_PAGE = `${FLOW_DATA_PREFIX}sp`;
const QUEUE = `${FLOW_DATA_PREFIX}sq`;
const QUEUE_PAGE = `${FLOW_DATA_PREFIX}sn`;
const BACK = `${FLOW_DATA_PREFIX}sb`;

/** A source as the picker lists it. */
type SourceItem = { id: string; name: string };

/** Picking a source (a page of them), or a queue of the source picked (`source` is its index in the list). */
type Stage = { kind: 'sources'; page: number } | { kind: 'queues'; source: number; picked: SourceItem; queues: QueueInfo[]; page: number };

/**
 * The optional schedule step of "add location": region (the configured sources), then the queue
 * from that source's own list, or "no schedule". Buttons only; the list of queues is read from
 * the source (a few seconds at most) when a region is pressed.
 */
export async function askSchedule(conversation: Flow, ctx: FlowContext, t: Translate, locale: Locale, deps: ScheduleStepDeps, intro: string): Promise<ScheduleChoice> {
  const sources = await conversation.external(() => deps.schedules.sources.map((s) => ({ id: s.id, name: sourceName(s, s.id, locale) })));
  if (sources.length === 0) return null;
  // The channel step's keyboard is done; the picker below has its own buttons.
  await ctx.reply(intro, { reply_markup: { remove_keyboard: true } });
  let stage: Stage = { kind: 'sources', page: 0 };
  const picker = await ctx.reply(pickerText(stage, sources, t), { reply_markup: keyboard(stage, sources, t) });
  for (;;) {
    const answer = await conversation.waitFor('callback_query:data', { otherwise: otherwise(t, t('add-schedule-hint')) });
    const data = answer.callbackQuery.data;
    const number = (prefix: string) => (data.startsWith(prefix) && /^\d{1,4}$/.test(data.slice(prefix.length)) ? Number(data.slice(prefix.length)) : null);
    const pressed = { skip: data === SKIP, sourcePage: number(SOURCE_PAGE), source: number(SOURCE), queue: number(QUEUE), queuePage: number(QUEUE_PAGE), back: data === BACK };
    const onPicker = answer.callbackQuery.message?.message_id === picker.message_id;
    if (!onPicker) {
      await answer.answerCallbackQuery({ text: t('flow-stale-button') });
      continue;
    }
    if (pressed.skip) {
      await answer.answerCallbackQuery();
      await answer.editMessageText(t('add-schedule-skipped'));
      return null;
    }
    const queue = stage.kind === 'queues' && pressed.queue !== null ? stage.queues[pressed.queue] : undefined;
    if (stage.kind === 'queues' && queue) {
      const source = stage.picked;
      await answer.answerCallbackQuery();
      await answer.editMessageText(t('add-schedule-chosen', { source: escapeHtml(source.name), queue: queueName(queue, t) }));
      return { sourceId: source.id, sourceName: source.name, queue };
    }
    let next: Stage | null = null;
    let notice: string | undefined;
    const pressedSource = pressed.source === null ? undefined : sources[pressed.source];
    if (pressed.sourcePage !== null) next = { kind: 'sources', page: pressed.sourcePage };
    else if (stage.kind === 'queues' && pressed.queuePage !== null) next = { kind: 'queues', source: stage.source, picked: stage.picked, queues: stage.queues, page: pressed.queuePage };
    else if (stage.kind === 'queues' && pressed.back) next = { kind: 'sources', page: Math.floor(stage.source / SOURCES_PER_PAGE) };
    else if (pressed.source !== null && pressedSource) {
      const index = pressed.source;
      const picked = pressedSource;
      await answer.answerCallbackQuery(); // reading the source may take a few seconds
      const choices: QueueChoices = await conversation.external(() => deps.schedules.queueChoices(picked.id));
      if (choices.kind === 'queues' && choices.queues.length > 0) next = { kind: 'queues', source: index, picked, queues: choices.queues, page: 0 };
      else {
        next = { kind: 'sources', page: stage.kind === 'sources' ? stage.page : 0 };
        notice = sourceProblem(choices, escapeHtml(picked.name), t);
      }
    }
    if (!next) {
      await answer.answerCallbackQuery({ text: t('flow-stale-button') });
      continue;
    }
    if (pressed.source === null) await answer.answerCallbackQuery();
    stage = next;
    const text = pickerText(stage, sources, t);
    try {
      await answer.editMessageText(notice ? `${notice}\n\n${text}` : text, { reply_markup: keyboard(stage, sources, t) });
    } catch (error) {
      // The same source pressed twice while it is being read: the picker already says so.
      if (!isNotModified(error)) throw error;
    }
  }
}

/** Why a source's queues cannot be offered now, in words for the admin. */
function sourceProblem(choices: QueueChoices, source: string, t: Translate): string {
  if (choices.kind === 'pending') return t('plan-source-pending', { source });
  if (choices.kind === 'unavailable') return t('plan-source-unavailable', { source, error: escapeHtml(choices.error ?? '?') });
  return t('plan-source-no-queues', { source });
}

function pickerText(stage: Stage, sources: readonly { name: string }[], t: Translate): string {
  if (stage.kind === 'sources') {
    const paged = pageOf(sources, stage.page, SOURCES_PER_PAGE);
    return t('add-schedule-pick-source') + pageNote(paged, t);
  }
  const paged = pageOf(stage.queues, stage.page, QUEUES_PER_PAGE);
  return t('add-schedule-pick-queue', { source: escapeHtml(stage.picked.name) }) + pageNote(paged, t);
}

function keyboard(stage: Stage, sources: readonly { name: string }[], t: Translate): InlineKeyboardMarkup {
  const rows: InlineKeyboardButton[][] = [];
  const grid = <T>(items: { item: T; index: number }[], perRow: number, button: (item: T, index: number) => InlineKeyboardButton) => {
    let row: InlineKeyboardButton[] = [];
    items.forEach(({ item, index }, i) => {
      if (i % perRow === 0) rows.push((row = []));
      row.push(button(item, index));
    });
  };
  const pager = (paged: { page: number; pages: number }, prefix: string) => {
    if (paged.pages <= 1) return;
    const row: InlineKeyboardButton[] = [];
    if (paged.page > 0) row.push({ text: '◀️', callback_data: `${prefix}${paged.page - 1}` });
    if (paged.page < paged.pages - 1) row.push({ text: '▶️', callback_data: `${prefix}${paged.page + 1}` });
    rows.push(row);
  };
  if (stage.kind === 'sources') {
    const paged = pageOf(sources, stage.page, SOURCES_PER_PAGE);
    grid(paged.items, SOURCES_PER_ROW, (source, index) => ({ text: source.name, callback_data: `${SOURCE}${index}` }));
    pager(paged, SOURCE_PAGE);
  } else {
    const paged = pageOf(stage.queues, stage.page, QUEUES_PER_PAGE);
    grid(paged.items, QUEUES_PER_ROW, (queue, index) => ({ text: queueButtonLabel(queue), callback_data: `${QUEUE}${index}` }));
    pager(paged, QUEUE_PAGE);
    rows.push([{ text: t('btn-plan-other-source'), callback_data: BACK }]);
  }
  rows.push([{ text: t('btn-skip-schedule'), callback_data: SKIP }], [{ text: t('btn-cancel'), callback_data: CANCEL_DATA }]);
  return { inline_keyboard: rows };
}

function pageNote(paged: { page: number; pages: number }, t: Translate): string {
  return paged.pages > 1 ? `\n${t('plan-menu-page', { page: paged.page + 1, pages: paged.pages })}` : '';
}
