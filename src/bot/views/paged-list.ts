import { pageOf } from './schedule-text.js';

/**
 * Lists of any length on a Telegram keyboard (places, subscribers, "which place?"): ten rows a
 * page, ◀️ ▶️, and a search by a part of the name. Telegram refuses a keyboard of more than 100
 * buttons or 10 KB, so nothing is ever drawn whole; and callback data is at most 64 bytes, so
 * where a list stands (its page and search) travels in each button's payload, compactly, and
 * survives a restart without any state kept by the bot.
 */

/** Rows of a list on one page. */
export const LIST_PAGE_SIZE = 10;

/** A list shows its search button once it has more rows than one page. */
export const SEARCH_FROM = LIST_PAGE_SIZE + 1;

/**
 * The longest search kept, in UTF-8 bytes: 12 Cyrillic letters (24 Latin). It rides in every
 * button of a list with the place and person ids and the page; a part of a name is short anyway.
 */
export const SEARCH_MAX_BYTES = 24;

/** Where a list stands: the page (from 0) and the search (empty: none). */
export interface ListPosition {
  page: number;
  query: string;
}

export const FIRST_PAGE: ListPosition = { page: 0, query: '' };

/** One page of a list: its rows, which page it is (clamped to the list) and how many there are. */
export interface ListPage<T> {
  items: T[];
  page: number;
  pages: number;
  /** Rows in the whole (searched) list. */
  total: number;
}

/** The page `at` of `items` searched by `at.query` on `nameOf`. */
export function listPage<T>(items: readonly T[], at: ListPosition, nameOf: (item: T) => string): ListPage<T> {
  const needle = searchKey(at.query);
  const found = needle === '' ? items : items.filter((item) => searchKey(nameOf(item)).includes(needle));
  const paged = pageOf(found, at.page, LIST_PAGE_SIZE);
  return { items: paged.items.map(({ item }) => item), page: paged.page, pages: paged.pages, total: found.length };
}

/** Apostrophes people type in Ukrainian names: ' ’ ʼ ` ‘ ′ are one letter for a search. */
const APOSTROPHES = /['’ʼ`‘′]/gu;
const SPACES = /\s+/gu;

/**
 * A name or a query as the search compares them: Unicode-normalised, lower case in any script
 * ("Дача" and "ДАЧА" and "дача" are one), one kind of apostrophe, single spaces.
 */
export function searchKey(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(APOSTROPHES, "'").replace(SPACES, ' ').trim();
}

/**
 * What the admin typed, as a search: trimmed, single-spaced and cut to SEARCH_MAX_BYTES on a
 * character boundary (a longer part of a name finds the same place). Empty when nothing is left.
 */
export function searchQuery(typed: string): string {
  const text = typed.normalize('NFC').replace(SPACES, ' ').trim();
  let kept = '';
  for (const char of text) {
    if (Buffer.byteLength(escapeQuery(kept + char)) > SEARCH_MAX_BYTES) break;
    kept += char;
  }
  return kept.trim();
}

/**
 * A list's button payload: the ids the button is about (a place, a person; empty for none), the
 * page, and the search: "12.3", "12.7001.0.дач", ".2". grammY forbids "/" in a payload, so the
 * search escapes it (and "%"); it comes last, so it may hold dots.
 */
export function listPayload(ids: readonly (number | null)[], at: ListPosition): string {
  const head = [...ids.map((id) => (id === null ? '' : String(id))), String(at.page)].join('.');
  return at.query === '' ? head : `${head}.${escapeQuery(at.query)}`;
}

/** The ids and position of a list payload with `idCount` ids in front; null when it is not one. */
export function parseListPayload(payload: unknown, idCount: number): { ids: (number | null)[]; at: ListPosition } | null {
  if (typeof payload !== 'string') return null;
  const parts = payload.split('.');
  if (parts.length < idCount + 1) return null;
  const ids: (number | null)[] = [];
  for (const part of parts.slice(0, idCount)) {
    if (part === '') ids.push(null);
    else if (/^\d{1,15}$/.test(part)) ids.push(Number(part));
    else return null;
  }
  const page = parts[idCount];
  if (page === undefined || !/^\d{1,6}$/.test(page)) return null;
  const query = parts.length > idCount + 1 ? unescapeQuery(parts.slice(idCount + 1).join('.')) : '';
  if (query === null || Buffer.byteLength(query) > SEARCH_MAX_BYTES * 3) return null;
  return { ids, at: { page: Number(page), query } };
}

function escapeQuery(query: string): string {
  return query.replace(/%/g, '%25').replace(/\//g, '%2F');
}

function unescapeQuery(escaped: string): string | null {
  if (/%(?!25|2F)/i.test(escaped)) return null;
  return escaped.replace(/%2F/gi, '/').replace(/%25/g, '%');
}
