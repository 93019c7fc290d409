/**
 * Where a device calls: heartbeats at the URL heartbeatUrl() gives (src/bot/views/esp32-text.ts),
 * one-shot mains events at the same origin + /api/event (PROTOCOL.md).
 */
export function eventUrlFor(heartbeatUrl: string): string {
  return heartbeatUrl.replace(/\/api\/heartbeat$/, '') + '/api/event';
}
