import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from '../../src/config.js';
import { checkPlaceSchedule, checkWarnMinutes, ScheduleInputError } from '../../src/schedules/place-schedule.js';
import { BUILT_IN_SOURCES, resolveScheduleSources } from '../../src/schedules/sources.js';
import { fixture, ZONE } from './fixture.js';
import { parseGpv } from '../../src/schedules/gpv-format.js';

test('the built-in list covers the DTEK files, the oblenergo files and Yasno', () => {
  const ids = BUILT_IN_SOURCES.map((s) => s.id);
  assert.ok(['kyiv', 'kyiv-region', 'dnipro', 'odesa', 'lviv', 'zhytomyr', 'ivano-frankivsk', 'yasno-kyiv', 'yasno-dnipro'].every((id) => ids.includes(id)));
  assert.equal(new Set(ids).size, ids.length);
  assert.equal(BUILT_IN_SOURCES.find((s) => s.id === 'kyiv')?.url, 'https://raw.githubusercontent.com/Baskerville42/outage-data-ua/main/data/kyiv.json');
  assert.equal(BUILT_IN_SOURCES.find((s) => s.id === 'zhytomyr')?.url, 'https://raw.githubusercontent.com/yaroslav2901/OE_OUTAGE_DATA/main/data/Zhytomyroblenergo.json');
  assert.equal(BUILT_IN_SOURCES.find((s) => s.id === 'yasno-kyiv')?.url, 'https://app.yasno.ua/api/blackout-service/public/shutdowns/regions/25/dsos/902/planned-outages');
});

test('SCHEDULE_SOURCES replaces a built-in (a mirror), adds new ones and turns one off', () => {
  const { sources, problems } = resolveScheduleSources(' kyiv=gpv:https://mirror.example/kyiv.json , my-yasno=yasno:25/902,cherkasy=off,test=yasno:http://127.0.0.1:8080/po ');
  assert.deepEqual(problems, []);
  const byId = new Map(sources.map((s) => [s.id, s]));
  assert.equal(byId.get('kyiv')?.url, 'https://mirror.example/kyiv.json');
  assert.deepEqual(byId.get('kyiv')?.region, { uk: 'Київ (ДТЕК)', en: 'Kyiv city (DTEK)' }, 'a mirror keeps the region name');
  assert.deepEqual(byId.get('my-yasno'), { id: 'my-yasno', format: 'yasno', url: 'https://app.yasno.ua/api/blackout-service/public/shutdowns/regions/25/dsos/902/planned-outages', region: null });
  assert.equal(byId.get('test')?.url, 'http://127.0.0.1:8080/po');
  assert.equal(byId.has('cherkasy'), false);
  assert.equal(sources.length, BUILT_IN_SOURCES.length + 1);
});

test('every bad entry is reported at once, with how to write it', () => {
  const { problems } = resolveScheduleSources('Kyiv=gpv:https://x/k.json,a=gpv:ftp://x,b=yasno:25,c=csv:https://x,a=gpv:https://y,nope=off,d');
  assert.equal(problems.length, 7);
  assert.match(problems[0]!, /"Kyiv" is not a valid source id/);
  assert.match(problems[1]!, /needs the http\(s\) URL/);
  assert.match(problems[2]!, /<region id>\/<DSO id>/);
  assert.match(problems[3]!, /unknown format "csv"/);
  assert.match(problems[4]!, /given twice/);
  assert.match(problems[5]!, /no built-in source "nope"/);
  assert.match(problems[6]!, /unknown format ""/);
  assert.ok(problems.every((p) => p.includes('e.g. "kyiv=gpv:')));
});

test('the configuration reads the sources and the poll interval, and refuses bad ones', () => {
  const config = loadConfig({ SCHEDULE_SOURCES: 'extra=gpv:https://e.example/x.json', SCHEDULE_POLL_MIN: '10' });
  assert.equal(config.schedulePollMin, 10);
  assert.ok(config.scheduleSources.some((s) => s.id === 'extra'));
  assert.equal(loadConfig({}).schedulePollMin, 15);
  assert.equal(loadConfig({}).scheduleSources.length, BUILT_IN_SOURCES.length);
  assert.throws(
    () => loadConfig({ SCHEDULE_SOURCES: 'x=gpv:nope', SCHEDULE_POLL_MIN: '1', PORT: 'abc' }),
    (error: unknown) => error instanceof ConfigError && error.problems.length === 3 && /SCHEDULE_POLL_MIN/.test(error.message) && /SCHEDULE_SOURCES entry "x=gpv:nope"/.test(error.message),
  );
});

test('a place may follow a configured source and a queue the source publishes', () => {
  const snapshot = parseGpv(fixture('gpv-small.json'), ZONE);
  const chosen = checkPlaceSchedule(BUILT_IN_SOURCES, 'kyiv', '1.2', snapshot);
  assert.deepEqual([chosen.source.id, chosen.queue.id], ['kyiv', 'GPV1.2']);
  assert.throws(() => checkPlaceSchedule(BUILT_IN_SOURCES, 'atlantis', '1.2', snapshot), (e: unknown) => e instanceof ScheduleInputError && e.code === 'unknown-source');
  assert.throws(
    () => checkPlaceSchedule(BUILT_IN_SOURCES, 'kyiv', '7.1', snapshot),
    (e: unknown) => e instanceof ScheduleInputError && e.code === 'unknown-queue' && /Its queues: GPV1\.1, GPV1\.2, GPV2\.1, GPV2\.2/.test(e.message),
  );
  assert.throws(() => checkPlaceSchedule(BUILT_IN_SOURCES, 'kyiv', '1.2', undefined), (e: unknown) => e instanceof ScheduleInputError && e.code === 'no-copy');
  assert.equal(checkWarnMinutes('30'), 30);
  assert.equal(checkWarnMinutes(0), 0);
  assert.throws(() => checkWarnMinutes(20), /15, 30, 60/);
});
