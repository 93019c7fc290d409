import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runScheduleCli } from '../../src/cli/schedule.js';
import { probableLines } from '../../src/bot/views/schedule-text.js';
import { weekPlan } from '../../src/diagram/plan-strip.js';
import { buildWeekTimeline } from '../../src/diagram/timeline.js';
import { alertPlan } from '../../src/schedules/alert-plan.js';
import { parseGpv } from '../../src/schedules/gpv-format.js';
import { buildQueuePlan } from '../../src/schedules/queue-plan.js';
import { templateDay, type WeekTemplate } from '../../src/schedules/week-template.js';
import { parseYasnoProbable, yasnoProbableUrl } from '../../src/schedules/yasno-probable.js';
import { createI18n, translatorFor } from '../../src/i18n/translator.js';
import { gpvBody } from './gpv-body.js';
import { utc, ZONE } from './fixture.js';
import { HEALTHY, RULES } from './plans.js';
import { startSourceServer } from './source-server.js';

const i18n = createI18n();

/** A weekly template in the GPV preset.data layout: Monday 00:00–04:00 maybe, 09:00–09:30 mfirst; other days 18:30–20:00. */
function presetWeek(): Record<string, Record<string, string>> {
  const week: Record<string, Record<string, string>> = {};
  for (let weekday = 1; weekday <= 7; weekday += 1) {
    const hours: Record<string, string> = {};
    for (let h = 1; h <= 24; h += 1) hours[String(h)] = 'yes';
    if (weekday === 1) {
      for (const h of [1, 2, 3, 4]) hours[String(h)] = 'maybe';
      hours['10'] = 'mfirst';
    } else {
      hours['19'] = 'msecond';
      hours['20'] = 'maybe';
    }
    week[String(weekday)] = hours;
  }
  return week;
}

/** Own GPV file: Wed 14 and Thu 15 Jan 2026 published for GPV1.1, with a weekly template for it. */
function gpvWithWeek(): string {
  const file = JSON.parse(gpvBody({ update: '14.01.2026 20:05', days: { '2026-01-14': { 'GPV1.1': { 8: 'no', 9: 'no' } }, '2026-01-15': { 'GPV1.1': { 12: 'no' } } } }));
  file.preset.data = { 'GPV1.1': presetWeek(), 'GPV1.2': { '1': { '1': 'sometimes' } } };
  return JSON.stringify(file);
}

const probableReply = JSON.stringify({
  '25': { dsos: { '902': { groups: { '1.1': { slots: { '0': [{ start: 0, end: 240, type: 'Definite' }, { start: 240, end: 600, type: 'NotPlanned' }], '4': [{ start: 1080, end: 1260, type: 'Definite' }] } } } } } },
});

describe('the week ahead: reading weekly schedules', () => {
  test('GPV preset.data becomes a template of probable stretches; an unreadable queue is left out with a problem', () => {
    const snapshot = parseGpv(gpvWithWeek(), ZONE);
    assert.deepEqual(Object.keys(snapshot.probable ?? {}), ['GPV1.1']);
    assert.deepEqual(snapshot.probable!['GPV1.1']![0], [{ start: 0, end: 240 }, { start: 540, end: 570 }], 'Monday');
    assert.deepEqual(snapshot.probable!['GPV1.1']![2], [{ start: 1110, end: 1200 }], 'Wednesday');
    assert.ok(snapshot.problems.some((p) => /weekly template of GPV1\.2/.test(p)));
    // The template is never the plan: the published days are untouched.
    assert.deepEqual(Object.keys(snapshot.days), ['GPV1.1']);
  });

  test('a template laid on a day gives possible intervals in real time, across a DST change', () => {
    const template: WeekTemplate = [[{ start: 0, end: 240 }], [], [], [], [], [], [{ start: 120, end: 300 }]];
    const monday = templateDay(template, '2026-01-19', ZONE);
    assert.deepEqual(monday.intervals, [{ start: utc(2026, 1, 18, 22), end: utc(2026, 1, 19, 2), kind: 'possible' }]);
    // Sunday 29 March 2026: 03:00 local does not exist; 02:00–05:00 on the wall is two real hours.
    const spring = templateDay(template, '2026-03-29', ZONE);
    assert.equal(spring.intervals[0]!.end - spring.intervals[0]!.start, 2 * 3_600_000);
  });

  test("Yasno's probable outages: weekday 0 is Monday, Definite slots only; the URL comes from the planned-outages one", () => {
    const templates = parseYasnoProbable(probableReply, '25', '902');
    assert.deepEqual(templates['1.1']![0], [{ start: 0, end: 240 }]);
    assert.deepEqual(templates['1.1']![4], [{ start: 1080, end: 1260 }]);
    assert.deepEqual(templates['1.1']![1], []);
    assert.deepEqual(yasnoProbableUrl('https://app.yasno.ua/api/blackout-service/public/shutdowns/regions/25/dsos/902/planned-outages'), {
      url: 'https://app.yasno.ua/api/blackout-service/public/shutdowns/probable-outages?regionId=25&dsoId=902',
      region: '25',
      dso: '902',
    });
    assert.equal(yasnoProbableUrl('https://example.com/kyiv.json'), null);
    const problems: string[] = [];
    assert.deepEqual(Object.keys(parseYasnoProbable(JSON.stringify({ '25': {} }), '25', '902', problems)), []);
    assert.equal(problems.length, 1);
  });

  test('the card labels the week ahead as probable, in both languages', () => {
    const template: WeekTemplate = [[], [], [], [], [{ start: 1080, end: 1260 }], [], []];
    const days = [templateDay(template, '2026-01-16', ZONE), templateDay(template, '2026-01-17', ZONE)];
    const view = (locale: 'uk' | 'en') => ({ now: utc(2026, 1, 14, 10), timeZone: ZONE, t: translatorFor(i18n, locale) });
    assert.deepEqual(probableLines(days, view('uk'), 'uk'), ['🔮 Ймовірно, за тижневим графіком (не опубліковано):', 'пт 16.01: 18:00–21:00', 'сб 17.01: без ймовірних відключень']);
    assert.deepEqual(probableLines(days, view('en'), 'en'), ['🔮 Probable, from the weekly schedule (not published):', 'Fri 16.01: 18:00–21:00', 'Sat 17.01: no probable outages']);
  });

  test('the diagram draws probable outages only over the part of a day still ahead, apart from the plan', () => {
    const now = utc(2026, 1, 16, 10); // Friday 12:00 local
    const week = buildWeekTimeline({ intervals: [], now, timeZone: ZONE, placeCreatedAt: 0 });
    const probable = [
      { start: utc(2026, 1, 16, 6), end: utc(2026, 1, 16, 9), kind: 'possible' as const },
      { start: utc(2026, 1, 16, 16), end: utc(2026, 1, 16, 19), kind: 'possible' as const },
    ];
    const plan = weekPlan(week, { knownDays: [], intervals: [], probable }, ZONE)!;
    const today = plan.days[plan.days.length - 1]!;
    assert.equal(today.known, false, 'not a published plan');
    assert.deepEqual(today.probable, [{ kind: 'possible', startHour: 18, endHour: 21 }], 'the morning is history: nothing drawn over it');
    assert.equal(plan.plannedMs, 0, 'probable time never counts as planned');
  });

  test('an alert never carries the weekly schedule as if published', () => {
    const snapshot = parseGpv(gpvWithWeek(), ZONE);
    const at = utc(2026, 1, 16, 10); // Friday: not published, the template has 18:30–20:00
    const plan = buildQueuePlan({ snapshot, fetchedAt: at - 60_000, changedAt: at - 60_000 }, HEALTHY, 'GPV1.1', at, RULES);
    assert.equal(alertPlan(plan, { id: 'GPV1.1', label: null }, { kind: 'power_off', at, previousMs: null }), null);
  });
});

describe('npm run schedule -- show … --week', () => {
  let server: Awaited<ReturnType<typeof startSourceServer>>;
  before(async () => {
    server = await startSourceServer();
    server.reply('/city.json', { kind: 'serve', body: gpvWithWeek() });
    server.reply('/api/regions/25/dsos/902/planned-outages', {
      kind: 'serve',
      body: JSON.stringify({ '1.1': { today: { date: '2026-01-14T00:00:00+02:00', status: 'ScheduleApplies', slots: [{ start: 600, end: 720, type: 'Definite' }] }, tomorrow: { date: '2026-01-15T00:00:00+02:00', status: 'EmergencyShutdowns', slots: [] } } }),
    });
    server.reply('/api/probable-outages?regionId=25&dsoId=902', { kind: 'serve', body: probableReply });
  });
  after(() => server.close());

  const cli = async (args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const env = { TIMEZONE: ZONE, SCHEDULE_SOURCES: `city=gpv:${server.url('/city.json')},yt=yasno:${server.url('/api/regions/25/dsos/902/planned-outages')}` };
    const code = await runScheduleCli(args, { env, now: () => utc(2026, 1, 14, 10), out: (l) => out.push(l), err: (l) => err.push(l) });
    return { code, out, err };
  };

  test('GPV: the published days, then the weekly template labelled probable', async () => {
    const { code, out } = await cli(['show', 'city', '1.1', '--week']);
    assert.equal(code, 0);
    assert.deepEqual(out, [
      '2026-01-14 Wed  published  07:00–09:00',
      '2026-01-15 Thu  published  11:00–12:00',
      '2026-01-16 Fri  probable   18:30–20:00',
      '2026-01-17 Sat  probable   18:30–20:00',
      '2026-01-18 Sun  probable   18:30–20:00',
      '2026-01-19 Mon  probable   00:00–04:00, 09:00–09:30',
      '2026-01-20 Tue  probable   18:30–20:00',
    ]);
  });

  test("Yasno: the probable-outages reply read beside the plan; an emergency day says so", async () => {
    const { code, out } = await cli(['show', 'yt', '1.1', '--week']);
    assert.equal(code, 0);
    assert.deepEqual(out, [
      '2026-01-14 Wed  published  10:00–12:00',
      '2026-01-15 Thu  emergency  the schedule does not apply',
      '2026-01-16 Fri  probable   18:00–21:00',
      '2026-01-17 Sat  probable   no outages',
      '2026-01-18 Sun  probable   no outages',
      '2026-01-19 Mon  probable   00:00–04:00',
      '2026-01-20 Tue  probable   no outages',
    ]);
  });
});
