import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DateTime } from 'luxon';
import type { Place } from '../../src/places/place-service.js';
import { STORAGE_FAULT_KINDS, type StorageFaultKind } from '../../src/db/storage-faults.js';
import { AdminChat, textsOf } from '../support/admin-chat.js';
import { ManualClock } from '../support/clock.js';
import type { RecordedCall } from '../support/fake-bot-api.js';
import { FaultInjector } from '../support/fault-injection.js';
import { CHANNEL_ID, OWNER, startTelegramTestApp, type TelegramTestApp } from '../support/telegram-app.js';
import { tempDir } from '../support/temp-dir.js';
import { gpvBody } from '../schedules/gpv-body.js';
import { startSourceServer } from '../schedules/source-server.js';

/**
 * Proven by injection (issue 20): the whole product is walked — heartbeats, OFF/ON through the
 * sweep, delivery to channels and subscribers, diagrams, reports, schedule polls and posts, the
 * admin's and a subscriber's chat (an invite /start, a menu press, a conversation step), snooze —
 * and at every write site (each table, as its owner writes it) in turn, every write fails with
 * each kind of storage fault. Then storage works again, and:
 * - the process is still up (no unhandled rejection or exception: each would have killed Node);
 * - no false alert (the place whose device kept sending never gets one; the one that lost power
 *   gets exactly one OFF and one ON a round);
 * - nothing lost: every alert row is delivered, each post to the channel once, each subscriber
 *   gets each change; every chat action refused with "try again" works when retried.
 * A second pass makes the N-th write of a whole walk fail (one fault, each kind in turn).
 */

const KYIV = 'Europe/Kyiv';
const kyiv = (iso: string) => DateTime.fromISO(iso, { zone: KYIV }).toMillis();
const SECOND = 1000;
const TIMEOUT_S = 60;
const TRY_AGAIN = /^⏳ (Сервер зараз не може зберегти зміни|The server can't save changes right now)/;
/** A post of a place's power change (or a pile of them) in its channel, not its schedule or report posts. */
const ALERT_POST = /^(🔴|🟢|⏳ <b>Сповіщення затрималися)/;
const TOKEN = /https:\/\/t\.me\/power_monitor_bot\?start=([A-Za-z0-9_-]{32})/;

interface Tally {
  crashes: number;
  falseAlerts: number;
  lost: number;
  sentTwice: number;
  refusedThenDone: number;
  problems: string[];
}

type StepResult = 'done' | 'refused';

test('every write site × every storage fault kind: the process stays up, no false alert, nothing lost', { timeout: 240_000 }, async () => {
  const started = Date.now();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', onUnhandled);
  process.on('uncaughtException', onUnhandled);
  const injector = FaultInjector.install();
  const dir = tempDir();
  const source = await startSourceServer();
  let sourceVersion = 0;
  const serveSchedule = () => {
    sourceVersion += 1;
    const day = DateTime.fromMillis(t.clock.now(), { zone: KYIV }).toISODate()!;
    // A planned outage two hours ahead, a little different each time: each poll is an update.
    const hour = DateTime.fromMillis(t.clock.now(), { zone: KYIV }).hour + 3;
    source.reply('/kyiv.json', {
      kind: 'serve',
      body: gpvBody({ update: `23.11.2026 ${String(10 + (sourceVersion % 10)).padStart(2, '0')}:${String(sourceVersion % 60).padStart(2, '0')}`, days: { [day]: { 'GPV3.1': { [Math.min(24, hour)]: sourceVersion % 2 ? 'no' : 'first' } } } }),
      etag: `"v${sourceVersion}"`,
    });
  };
  // Places exist from the week before, so Monday's weekly report is due for them.
  const clock = new ManualClock(kyiv('2026-11-15T12:00'));
  const t: TelegramTestApp = await startTelegramTestApp(dir.file('monitor.db'), {
    clock,
    env: { SCHEDULE_SOURCES: `kyiv=gpv:${source.url('/kyiv.json')}`, SCHEDULE_POLL_MIN: '5' },
  });
  const tally: Tally = { crashes: 0, falseAlerts: 0, lost: 0, sentTwice: 0, refusedThenDone: 0, problems: [] };
  try {
    const home = await t.createPlace({ name: 'Дім', timeoutS: TIMEOUT_S, channelId: String(CHANNEL_ID - 1), language: 'uk' });
    const office = await t.createPlace({ name: 'Офіс', timeoutS: TIMEOUT_S, channelId: String(CHANNEL_ID - 2), language: 'uk' });
    const store = await t.createPlace({ name: 'Склад', timeoutS: TIMEOUT_S, channelId: String(CHANNEL_ID - 3), language: 'uk' });
    t.system.schedules.store.setPlaceSchedule(home.id, { source: 'kyiv', queue: 'GPV3.1' });
    const fixedSubscribers = [
      { userId: 7001, displayName: 'Марта', language: 'uk' as const },
      { userId: 7002, displayName: 'John', language: 'en' as const },
    ];
    for (const person of fixedSubscribers) t.system.people.subscribers.subscribe(home.id, person, t.clock.now());
    t.clock.set(kyiv('2026-11-23T10:00'));
    serveSchedule();
    const owner = new AdminChat(t.fake, OWNER);
    const beat = async (place: Place): Promise<number> => {
      const response = await fetch(t.url('/api/heartbeat'), { method: 'POST', headers: { authorization: `Bearer ${place.api_key}` } });
      await response.arrayBuffer();
      return response.status;
    };
    assert.equal(await beat(home), 200);
    assert.equal(await beat(office), 200);
    await t.drain();

    await owner.send('/start');
    await owner.press(owner.lastMenu(), placeLabel(owner, 'Дім'));
    await owner.press(owner.lastMenu(), '🔗 Запросити');
    const token = TOKEN.exec(owner.lastMenu().text ?? '')?.[1];
    assert.ok(token, 'an invite link');

    let round = 0;
    /** Writes made while the last round's fault was on (the clean round's: the walk a N-th write falls in). */
    let lastFaultWindow = 0;
    /** People who joined by the invite in this round: they leave at its end, so alerts do not fan out ever wider. */
    const joined: number[] = [];
    /** The chat steps: each says whether it was done or refused with "try again". */
    const chatSteps: Record<string, () => Promise<StepResult>> = {
      'invite /start': async () => {
        const person = { id: 9000 + round, is_bot: false, first_name: `P${round}`, language_code: round % 2 ? 'en' : 'uk' };
        const texts = textsOf(await new AdminChat(t.fake, person).send(`/start ${token}`));
        if (texts.some((text) => TRY_AGAIN.test(text))) return 'refused';
        if (!texts.some((text) => text.startsWith('🔔'))) throw new Error(`invite /start got ${JSON.stringify(texts)}`);
        joined.push(person.id);
        return 'done';
      },
      'menu press (pause, resume)': async () => {
        await owner.send('/start');
        await owner.press(owner.lastMenu(), placeLabel(owner, (await t.place(store.id)).name));
        for (const label of ['⏸ Пауза', '▶️ Відновити']) {
          // A retry may find the place paused already (its resume was the press refused).
          if (!AdminChat.labels(owner.lastMenu()).includes(label)) continue;
          const calls = await owner.press(owner.lastMenu(), label);
          if (refusedIn(calls)) return 'refused';
        }
        if ((await t.place(store.id)).paused !== 0) throw new Error('the place stayed paused');
        return 'done';
      },
      'conversation step (rename)': async () => {
        await owner.send('/start');
        await owner.press(owner.lastMenu(), placeLabel(owner, (await t.place(store.id)).name));
        if (refusedIn(await owner.press(owner.lastMenu(), '✏️ Перейменувати'))) return 'refused';
        const name = `Склад ${round}`;
        for (let attempt = 0; attempt < 3; attempt += 1) {
          // The conversation waits for the name: a refused answer is given again once storage works.
          const calls = await owner.send(name);
          if (refusedIn(calls)) {
            if (injector.active) return 'refused';
            continue;
          }
          break;
        }
        if ((await t.place(store.id)).name !== name) throw new Error('the rename did not take');
        return 'done';
      },
      'admin language (English, then back)': async () => {
        await owner.send('/start');
        for (const language of ['🇬🇧 English', '🇺🇦 Українська']) {
          if (refusedIn(await owner.press(owner.lastMenu(), '🌐 Мова / Language'))) return 'refused';
          if (refusedIn(await owner.press(owner.lastMenu(), language))) return 'refused';
        }
        if ((await t.system.admins.languageOf(OWNER.id)) !== 'uk') throw new Error('the admin language did not come back');
        return 'done';
      },
      'snooze and notify again': async () => {
        await owner.send('/start');
        await owner.press(owner.lastMenu(), placeLabel(owner, (await t.place(store.id)).name));
        if (refusedIn(await owner.press(owner.lastMenu(), '🔕 Не сповіщати…'))) return 'refused';
        if (refusedIn(await owner.press(owner.lastMenu(), '🔕 Не сповіщати 1 год'))) return 'refused';
        if (refusedIn(await owner.press(owner.lastMenu(), '🔔 Сповіщати знову'))) return 'refused';
        if (t.system.people.snoozes.active(store.id, t.clock.now())) throw new Error('the snooze did not end');
        return 'done';
      },
    };
    /** As if a new week had come: the weekly report is due again (done before a fault is set). */
    const newWeek = () => t.write((db) => db.deleteFrom('report_posts'));
    /** A background job's work; one that meets the fault is a skipped tick, run again after recovery. */
    const tick = async (work: () => unknown): Promise<StepResult> => {
      try {
        await work();
        return 'done';
      } catch (error) {
        if (!injector.active) throw error;
        return 'refused';
      }
    };
    const jobSteps: Record<string, () => Promise<StepResult>> = {
      'diagram post': () => tick(() => t.system.diagrams!.sendNow(home.id)),
      'reports': () => tick(() => t.system.reports!.runDue()),
      'schedule poll and posts': () =>
        tick(async () => {
          serveSchedule();
          const polled = await t.system.schedules.poller.poll('kyiv');
          if (polled.result !== 'updated') throw new Error(`the schedule poll: ${JSON.stringify(polled)}`);
          await t.system.schedules.checkNotices();
        }),
      'snooze timer': () => tick(() => t.endDueSnoozes()),
      // The monitor's 5 s timer: "still watching" (a fault there turns heartbeats away with 503 until the probe's write works).
      'alive mark': () => tick(() => t.system.monitor.markAlive()),
    };

    const alertsOf = (placeId: number, sinceId: number) =>
      t.rows((db) =>
        db
          .selectFrom('outbox')
          .select(['id', 'payload', 'sent_at', 'failed_at', 'message_id'])
          .where('kind', '=', 'alert')
          .where('location_id', '=', placeId)
          .where('id', '>', sinceId)
          .orderBy('id'),
      );
    const lastOutboxId = () => t.row((db) => db.selectFrom('outbox').select((eb) => eb.fn.max<number | null>('id').as('id')))!.id ?? 0;
    const undelivered = () =>
      t.rows((db) =>
        db.selectFrom('outbox').select(['id', 'kind']).where('sent_at', 'is', null).where('failed_at', 'is', null).where('kind', 'in', ['alert', 'private_alert']),
      );
    const postsTo = (chat: number | string) => t.fake.callsOf('sendMessage').filter((call) => !call.failed && String(call.params.chat_id) === String(chat));

    /** Clock steps with the office's device checking in, the sweep and delivery in between. */
    const time = async (steps: number) => {
      for (let i = 0; i < steps; i += 1) {
        t.clock.advance(25 * SECOND);
        await beat(office);
        t.sweep();
        await t.drain();
      }
    };

    /**
     * One round: the home's power goes at its start and comes back at its end; `fault` is on
     * during the steps and off for the recovery. Returns the write sites (tables) that failed.
     */
    const runRound = async (fault: (() => void) | null, steps: { chat: string[]; jobs: string[] }) => {
      round += 1;
      const since = lastOutboxId();
      const homePostsBefore = postsTo(home.channel_id!).length;
      const subscriberPostsBefore = fixedSubscribers.map((person) => postsTo(person.userId).length);
      const injectedBefore = injector.injected.length;
      const refused: string[] = [];
      assert.equal(await beat(home), 200, `round ${round}: the home is heard before its power goes`);
      if (steps.jobs.includes('reports')) newWeek();
      fault?.();
      const writesAtFault = injector.writeCount;
      for (const name of steps.chat) if ((await chatSteps[name]!()) === 'refused') refused.push(name);
      const skipped: string[] = [];
      for (const name of steps.jobs) if ((await jobSteps[name]!()) === 'refused') skipped.push(name);
      await time(3); // the home's device is silent: past its timeout
      lastFaultWindow = injector.writeCount - writesAtFault;
      injector.clear();
      t.system.monitor.tryRecoverStorage(); // the probe's work, taken at once
      await t.drain();
      for (const name of refused) {
        if ((await chatSteps[name]!()) !== 'done') tally.problems.push(`round ${round}: ${name} refused again after recovery`);
        else tally.refusedThenDone += 1;
      }
      for (const name of skipped) if ((await jobSteps[name]!()) !== 'done') tally.problems.push(`round ${round}: ${name} failed after recovery`);
      await time(3); // a full timeout after the recovery: the OFF if it was not decided yet
      t.clock.advance(60 * SECOND);
      assert.equal(await beat(home), 200, `round ${round}: the home's power is back`);
      await beat(office);
      for (let i = 0; i < 6 && undelivered().length > 0; i += 1) {
        t.clock.advance(60 * SECOND);
        await beat(home);
        await beat(office);
        await t.drain();
      }
      await t.drain();

      // What the round must have done.
      const homeAlerts = alertsOf(home.id, since);
      const kinds = homeAlerts.map((row) => (JSON.parse(row.payload) as { alert: { kind: string } }).alert.kind);
      const expected = ['power_off', 'power_on'];
      if (kinds.length > 2 || kinds.some((kind, i) => kind !== expected[i])) {
        tally.falseAlerts += Math.max(1, kinds.length - 2);
        tally.problems.push(`round ${round}: the home's alerts were ${kinds.join(', ')}`);
      }
      if (kinds.length < 2) {
        tally.lost += 2 - kinds.length;
        tally.problems.push(`round ${round}: the home's alerts were only ${kinds.join(', ') || 'none'}`);
      }
      const officeAlerts = alertsOf(office.id, since);
      if (officeAlerts.length > 0) {
        tally.falseAlerts += officeAlerts.length;
        tally.problems.push(`round ${round}: the office (its device kept sending) got ${officeAlerts.length} alert(s)`);
      }
      const stuck = undelivered();
      if (stuck.length > 0) {
        tally.lost += stuck.length;
        tally.problems.push(`round ${round}: ${stuck.length} alert row(s) never delivered`);
      }
      const unsent = homeAlerts.filter((row) => row.sent_at === null);
      if (unsent.length > 0 && stuck.length === 0) {
        tally.lost += unsent.length;
        tally.problems.push(`round ${round}: ${unsent.length} alert(s) given up`);
      }
      const channelPosts = postsTo(home.channel_id!).slice(homePostsBefore).filter((call) => ALERT_POST.test(String(call.params.text))).length;
      const distinctIds = new Set(homeAlerts.map((row) => row.message_id)).size;
      if (channelPosts > distinctIds) {
        tally.sentTwice += channelPosts - distinctIds;
        tally.problems.push(`round ${round}: ${channelPosts} channel posts for ${distinctIds} recorded message(s)`);
      }
      if (channelPosts < 1) {
        tally.lost += 1;
        tally.problems.push(`round ${round}: nothing reached the home's channel`);
      }
      fixedSubscribers.forEach((person, i) => {
        const got = postsTo(person.userId).length - subscriberPostsBefore[i]!;
        if (got < 1) {
          tally.lost += 1;
          tally.problems.push(`round ${round}: ${person.displayName} got nothing`);
        }
      });
      for (const userId of joined.splice(0)) t.system.people.subscribers.unsubscribe(home.id, userId);
      if (unhandled.length > tally.crashes) {
        tally.problems.push(`round ${round}: ${String(unhandled.at(-1))}`);
        tally.crashes = unhandled.length;
      }
      return new Set(injector.injected.slice(injectedBefore).map((fault) => fault.table ?? '?'));
    };

    // A clean walk first: which tables each step writes (the write sites), and how many writes a walk makes.
    const allSteps = { chat: Object.keys(chatSteps), jobs: Object.keys(jobSteps) };
    const writesBefore = new Map(injector.writes);
    const stepTables = new Map<string, Set<string>>();
    for (const name of [...allSteps.chat, ...allSteps.jobs]) {
      if (name === 'reports') newWeek();
      const before = new Map(injector.writes);
      if (name in chatSteps) assert.equal(await chatSteps[name]!(), 'done', name);
      else assert.equal(await jobSteps[name]!(), 'done', name);
      await t.drain();
      stepTables.set(name, new Set([...injector.writes].filter(([table, count]) => count > (before.get(table) ?? 0)).map(([table]) => table)));
    }
    await runRound(null, allSteps);
    const walkWrites = lastFaultWindow;
    const sites = [...injector.writes.keys()].filter((table) => injector.writes.get(table)! > (writesBefore.get(table) ?? 0)).sort();
    assert.equal(tally.problems.length, 0, `the clean walk is clean: ${tally.problems.join('; ')}`);

    // Pass 1: each write site × each kind: every write to the site fails during the round.
    const exercised = new Set<string>();
    for (const site of sites) {
      const steps = {
        chat: allSteps.chat.filter((name) => stepTables.get(name)!.has(site)),
        jobs: allSteps.jobs.filter((name) => stepTables.get(name)!.has(site)),
      };
      for (const kind of STORAGE_FAULT_KINDS) {
        // Some writes depend on the moment (a plan change to tell): a round that did not reach the site is walked again.
        for (let attempt = 0; attempt < 3 && !exercised.has(`${site}×${kind}`); attempt += 1) {
          const failed = await runRound(() => injector.fail({ kind, table: site }), steps);
          if (failed.has(site)) exercised.add(`${site}×${kind}`);
        }
      }
    }
    // Pass 2: the N-th write of a whole walk fails once, each kind in turn.
    const points = 8;
    let nthExercised = 0;
    for (let i = 0; i < points; i += 1) {
      const nth = 1 + Math.floor((i * walkWrites) / points);
      const kind: StorageFaultKind = STORAGE_FAULT_KINDS[i % STORAGE_FAULT_KINDS.length]!;
      const failed = await runRound(() => injector.fail({ kind, nth }), allSteps);
      if (failed.size > 0) nthExercised += 1;
    }

    // The whole walk is one day: the home's diagram is posted once, then edited in place.
    const photos = t.fake.callsOf('sendPhoto').filter((call) => !call.failed && String(call.params.chat_id) === home.channel_id);
    const diagramRows = t.count((db) => db.selectFrom('diagram_messages').where('location_id', '=', home.id));
    if (photos.length !== 1 || diagramRows !== 1) {
      tally.sentTwice += Math.max(0, photos.length - 1);
      tally.problems.push(`the day's diagram was posted ${photos.length} time(s), recorded ${diagramRows} time(s)`);
    }
    const edits = t.fake.callsOf('editMessageMedia').filter((call) => !call.failed && String(call.params.chat_id) === home.channel_id);
    assert.ok(edits.length > 0, 'the diagram was redrawn in place');

    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `storage fault injection: ${sites.length} write sites × ${STORAGE_FAULT_KINDS.length} kinds = ${exercised.size} exercised` +
        ` (sites: ${sites.join(', ')}); N-th write of a ${walkWrites}-write walk: ${nthExercised}/${points};` +
        ` ${injector.injected.length} faults injected in ${round} rounds; crashes ${tally.crashes}, false alerts ${tally.falseAlerts},` +
        ` lost ${tally.lost}, sent twice ${tally.sentTwice}; chat actions refused then done on retry ${tally.refusedThenDone}; ${seconds} s`,
    );
    assert.deepEqual(tally.problems, []);
    const missed = sites.flatMap((site) => STORAGE_FAULT_KINDS.map((kind) => `${site}×${kind}`)).filter((pair) => !exercised.has(pair));
    assert.deepEqual(missed, [], 'every site failed with every kind');
    assert.ok(sites.length >= 12, `the walk writes many tables: ${sites.join(', ')}`);
  } finally {
    injector.uninstall();
    process.off('unhandledRejection', onUnhandled);
    process.off('uncaughtException', onUnhandled);
    await t.stop();
    await source.close();
    dir.cleanup();
  }
});

/** The label of a place's button in the main menu ("⚪ Name", "🟢 Name · 5 хв", "⏸ Name"…). */
function placeLabel(chat: AdminChat, name: string): string {
  const label = AdminChat.labels(chat.lastMenu()).find((text) => text.replace(/^\S+ /, '').replace(/ · .*$/, '') === name);
  assert.ok(label, `no button for ${name} among ${AdminChat.labels(chat.lastMenu()).join(' | ')}`);
  return label;
}

function refusedIn(calls: RecordedCall[]): boolean {
  return calls.some((call) => TRY_AGAIN.test(String(call.params.text ?? '')));
}
