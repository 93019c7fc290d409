import { z } from 'zod';

/**
 * The optional JSON body of POST /api/heartbeat. Unknown fields are ignored (newer firmware may
 * send more); a known field with the wrong type is refused, so a broken device is noticed.
 */
export const heartbeatPayloadSchema = z.object({
  uptime_ms: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  boot_id: z.string().min(1).max(64).optional(),
  reset_reason: z.string().min(1).max(32).regex(/^[A-Za-z0-9_]+$/).optional(),
  rssi: z.number().int().min(-200).max(50).optional(),
  fw: z.string().min(1).max(32).optional(),
  /** The device sees the mains (true) or runs on its battery (false); absent: a mains-only device. */
  mains: z.boolean().optional(),
  /** How many ms before this request was sent the mains became what `mains` says. */
  mains_changed_ms_ago: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).optional(),
  /** How the device reaches the internet, when it knows (shown on the place's card). */
  link: z.enum(['wifi', 'mobile', 'ethernet']).optional(),
});

export type HeartbeatPayload = z.infer<typeof heartbeatPayloadSchema>;

export type PayloadResult = { ok: true; payload: HeartbeatPayload } | { ok: false; error: string };

/** Parses the raw body text; an empty body is a valid heartbeat with no facts. */
export function parseHeartbeatPayload(text: string): PayloadResult {
  if (text.trim() === '') return { ok: true, payload: {} };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The body is not valid JSON.' };
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, error: 'The body must be a JSON object such as {"uptime_ms": 1234}.' };
  }
  const parsed = heartbeatPayloadSchema.safeParse(json);
  if (!parsed.success) {
    return {
      ok: false,
      error: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; '),
    };
  }
  return { ok: true, payload: parsed.data };
}
