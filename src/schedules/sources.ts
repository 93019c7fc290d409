import type { ScheduleFormat } from './snapshot.js';

/** A place to fetch a schedule from. The id is what admins pick and what a place stores. */
export interface ScheduleSource {
  id: string;
  format: ScheduleFormat;
  url: string;
  /** Who it covers, for menus; null for sources added by SCHEDULE_SOURCES. */
  region: { uk: string; en: string } | null;
}

const GPV_DTEK = 'https://raw.githubusercontent.com/Baskerville42/outage-data-ua/main/data';
const GPV_OBLENERGO = 'https://raw.githubusercontent.com/yaroslav2901/OE_OUTAGE_DATA/main/data';
const YASNO_API = 'https://app.yasno.ua/api/blackout-service/public/shutdowns';

export function yasnoUrl(regionId: string, dsoId: string): string {
  return `${YASNO_API}/regions/${regionId}/dsos/${dsoId}/planned-outages`;
}

const gpv = (id: string, url: string, uk: string, en: string): ScheduleSource => ({ id, format: 'gpv', url, region: { uk, en } });

/**
 * Known public sources. GPV files: Baskerville42/outage-data-ua (DTEK regions, refreshed every
 * ~15 min, MIT) and yaroslav2901/OE_OUTAGE_DATA (oblenergo sites, every ~5 min). Yasno: the
 * planned-outages API of DTEK's Kyiv and Dnipro city grids (region/DSO ids 25/902 and 3/301).
 */
export const BUILT_IN_SOURCES: readonly ScheduleSource[] = [
  gpv('kyiv', `${GPV_DTEK}/kyiv.json`, 'Київ (ДТЕК)', 'Kyiv city (DTEK)'),
  gpv('kyiv-region', `${GPV_DTEK}/kyiv-region.json`, 'Київська область (ДТЕК)', 'Kyiv region (DTEK)'),
  gpv('dnipro', `${GPV_DTEK}/dnipro.json`, 'Дніпропетровська область (ДТЕК)', 'Dnipropetrovsk region (DTEK)'),
  gpv('odesa', `${GPV_DTEK}/odesa.json`, 'Одеська область (ДТЕК)', 'Odesa region (DTEK)'),
  gpv('cherkasy', `${GPV_OBLENERGO}/Cherkasyoblenergo.json`, 'Черкаська область', 'Cherkasy region'),
  gpv('chernihiv', `${GPV_OBLENERGO}/Chernihivoblenergo.json`, 'Чернігівська область', 'Chernihiv region'),
  gpv('ivano-frankivsk', `${GPV_OBLENERGO}/Prykarpattiaoblenerho.json`, 'Івано-Франківська область', 'Ivano-Frankivsk region'),
  gpv('kharkiv', `${GPV_OBLENERGO}/Kharkivoblenerho.json`, 'Харківська область', 'Kharkiv region'),
  gpv('khmelnytskyi', `${GPV_OBLENERGO}/Khmelnytskoblenerho.json`, 'Хмельницька область', 'Khmelnytskyi region'),
  gpv('lviv', `${GPV_OBLENERGO}/Lvivoblenerho.json`, 'Львівська область', 'Lviv region'),
  gpv('poltava', `${GPV_OBLENERGO}/Poltavaoblenergo.json`, 'Полтавська область', 'Poltava region'),
  gpv('rivne', `${GPV_OBLENERGO}/Rivneoblenergo.json`, 'Рівненська область', 'Rivne region'),
  gpv('ternopil', `${GPV_OBLENERGO}/Ternopiloblenerho.json`, 'Тернопільська область', 'Ternopil region'),
  gpv('zakarpattia', `${GPV_OBLENERGO}/Zakarpattiaoblenerho.json`, 'Закарпатська область', 'Zakarpattia region'),
  gpv('zaporizhzhia', `${GPV_OBLENERGO}/Zaporizhzhiaoblenergo.json`, 'Запорізька область', 'Zaporizhzhia region'),
  gpv('zhytomyr', `${GPV_OBLENERGO}/Zhytomyroblenergo.json`, 'Житомирська область', 'Zhytomyr region'),
  { id: 'yasno-kyiv', format: 'yasno', url: yasnoUrl('25', '902'), region: { uk: 'Київ (Yasno)', en: 'Kyiv city (Yasno)' } },
  { id: 'yasno-dnipro', format: 'yasno', url: yasnoUrl('3', '301'), region: { uk: 'Дніпро (Yasno)', en: 'Dnipro city (Yasno)' } },
];

/** Ids are short (they travel in 64-byte button data) and plain. */
const SOURCE_ID = /^[a-z0-9][a-z0-9-]{0,23}$/;
const YASNO_IDS = /^(\d{1,6})\/(\d{1,6})$/;

const SCHEDULE_SOURCES_HELP =
  'SCHEDULE_SOURCES is a comma-separated list of id=format:target, e.g. ' +
  '"kyiv=gpv:https://mirror.example/kyiv.json,yasno-kyiv=yasno:25/902". ' +
  'Formats: gpv:<http(s) URL of a GPV JSON file>, yasno:<region id>/<DSO id> or yasno:<http(s) URL>; ' +
  '"id=off" removes a built-in source. Ids: lowercase letters, digits and "-", up to 24 characters.';

/**
 * The built-in list with SCHEDULE_SOURCES applied: an entry with a known id replaces it (a
 * mirror), a new id adds a source, "id=off" removes one. Returns every problem at once.
 */
export function resolveScheduleSources(setting: string | undefined): { sources: ScheduleSource[]; problems: string[] } {
  const sources = new Map(BUILT_IN_SOURCES.map((s) => [s.id, s]));
  const problems: string[] = [];
  const seen = new Set<string>();
  const entries = (setting ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    const eq = entry.indexOf('=');
    const id = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const spec = eq < 0 ? '' : entry.slice(eq + 1).trim();
    const bad = (why: string) => problems.push(`SCHEDULE_SOURCES entry "${entry}": ${why}. ${SCHEDULE_SOURCES_HELP}`);
    if (!SOURCE_ID.test(id)) {
      bad(`"${id}" is not a valid source id`);
      continue;
    }
    if (seen.has(id)) {
      bad(`the id "${id}" is given twice`);
      continue;
    }
    seen.add(id);
    if (spec === 'off') {
      if (!sources.delete(id)) bad(`there is no built-in source "${id}" to turn off`);
      continue;
    }
    const colon = spec.indexOf(':');
    const format = colon < 0 ? spec : spec.slice(0, colon);
    const target = colon < 0 ? '' : spec.slice(colon + 1).trim();
    const builtIn = BUILT_IN_SOURCES.find((s) => s.id === id);
    if (format === 'gpv') {
      if (!isHttpUrl(target)) bad('a gpv source needs the http(s) URL of its JSON file');
      else sources.set(id, { id, format, url: target, region: builtIn?.region ?? null });
    } else if (format === 'yasno') {
      const [, regionId, dsoId] = YASNO_IDS.exec(target) ?? [];
      if (regionId !== undefined && dsoId !== undefined) sources.set(id, { id, format, url: yasnoUrl(regionId, dsoId), region: builtIn?.region ?? null });
      else if (isHttpUrl(target)) sources.set(id, { id, format, url: target, region: builtIn?.region ?? null });
      else bad('a yasno source needs <region id>/<DSO id> (e.g. 25/902) or the http(s) URL of its planned-outages reply');
    } else {
      bad(`unknown format "${format}" (use gpv or yasno)`);
    }
  }
  return { sources: [...sources.values()], problems };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
