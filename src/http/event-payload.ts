import { z } from 'zod';

/**
 * The parameters of a one-shot mains event (GET or POST /api/event; PROTOCOL.md): from the query
 * string, a JSON body or a form-encoded body. Unknown parameters are ignored (`key` among them);
 * a known one that is wrong is refused, so a broken automation is noticed.
 */
export interface EventPayload {
  mains: boolean;
  /** The device's time of the change, Unix ms. */
  at?: number;
  msAgo?: number;
  id?: string;
}

export type EventPayloadResult = { ok: true; payload: EventPayload } | { ok: false; error: string };

/** Times before this are not a device's clock (Unix seconds below it are read as seconds). */
const MS_FROM = 100_000_000_000;

const MAINS_WORDS: Record<string, boolean> = { on: true, true: true, '1': true, off: false, false: false, '0': false };

const schema = z.object({
  mains: z.union([z.boolean(), z.number(), z.string()]),
  at: z.union([z.number(), z.string()]).optional(),
  ms_ago: z.union([z.number(), z.string()]).optional(),
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9._:-]+$/, 'up to 64 characters A-Z a-z 0-9 . _ : -')
    .optional(),
});

function mainsOf(value: boolean | number | string): boolean | undefined {
  if (typeof value === 'boolean') return value;
  return MAINS_WORDS[String(value).trim().toLowerCase()];
}

/** Unix seconds, Unix milliseconds, or ISO 8601 with an offset → Unix ms. */
function timeOf(value: number | string): number | undefined {
  const text = String(value).trim();
  if (/^\d+(\.\d+)?$/.test(text)) {
    const number = Number(text);
    if (!Number.isFinite(number) || number <= 0) return undefined;
    return Math.round(number < MS_FROM ? number * 1000 : number);
  }
  // ISO 8601 with a date, a time and an offset (Z or ±hh:mm): a time without a zone is ambiguous.
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : undefined;
}

function nonNegativeInteger(value: number | string): number | undefined {
  const text = String(value).trim();
  if (!/^\d+$/.test(text)) return undefined;
  const number = Number(text);
  return Number.isSafeInteger(number) ? number : undefined;
}

/** Reads the parameters (already gathered into one record from the query or the body). */
export function parseEventPayload(input: Record<string, unknown>): EventPayloadResult {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const missing = parsed.error.issues.some((issue) => issue.path[0] === 'mains');
    if (missing && input.mains === undefined) return { ok: false, error: 'mains: required, on or off.' };
    return { ok: false, error: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ') };
  }
  const mains = mainsOf(parsed.data.mains);
  if (mains === undefined) return { ok: false, error: 'mains: on or off (also true/false, 1/0).' };
  const payload: EventPayload = { mains };
  if (parsed.data.at !== undefined && parsed.data.ms_ago !== undefined) return { ok: false, error: 'Give at or ms_ago, not both.' };
  if (parsed.data.at !== undefined) {
    const at = timeOf(parsed.data.at);
    if (at === undefined) return { ok: false, error: 'at: Unix seconds, Unix milliseconds, or ISO 8601 with an offset (2025-06-01T14:02:00+03:00).' };
    payload.at = at;
  }
  if (parsed.data.ms_ago !== undefined) {
    const msAgo = nonNegativeInteger(parsed.data.ms_ago);
    if (msAgo === undefined) return { ok: false, error: 'ms_ago: a non-negative whole number of milliseconds.' };
    payload.msAgo = msAgo;
  }
  if (parsed.data.id !== undefined) payload.id = parsed.data.id;
  return { ok: true, payload };
}

/**
 * Gathers the parameters of the query string, or of the body when it has any (JSON by its
 * content type or its first character, form-encoded otherwise). A parameter given twice is refused.
 */
export function eventParameters(query: string, body: string, contentType: string | undefined): { ok: true; params: Record<string, unknown> } | { ok: false; error: string } {
  const params: Record<string, unknown> = {};
  const fromForm = (text: string): string | null => {
    const search = new URLSearchParams(text);
    for (const name of new Set(search.keys())) {
      const values = search.getAll(name);
      if (values.length > 1) return `${name}: given more than once.`;
      params[name] = values[0];
    }
    return null;
  };
  const queryError = fromForm(query);
  if (queryError) return { ok: false, error: queryError };
  const text = body.trim();
  if (text === '') return { ok: true, params };
  const json = /json/i.test(contentType ?? '') || text.startsWith('{');
  if (!json) {
    const formError = fromForm(text);
    return formError ? { ok: false, error: formError } : { ok: true, params };
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The body is not valid JSON.' };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, error: 'The body must be a JSON object such as {"mains": false}.' };
  Object.assign(params, value);
  return { ok: true, params };
}
