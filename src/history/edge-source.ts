import type { EdgeKind } from '../db/schema.js';

/**
 * How an interval's start was known, in a word, for the CSV export and the diagram (issue 21):
 * - `device`: a device that sees the mains said so, dated at its own edge (confirmed);
 * - `silence`: every device fell silent for the place's timeout (inferred, dated at the last signal);
 * - `heartbeat`: a heartbeat arrived (monitoring began, or the power came back with it);
 * - `uptime`: the device's uptime after a reboot dated it (a return, or a short outage);
 * - `none`: nothing is known (the service was down, the place paused, its key revoked).
 */
export type EdgeSource = 'device' | 'silence' | 'heartbeat' | 'uptime' | 'none';

export function edgeSource(edge: EdgeKind): EdgeSource {
  switch (edge) {
    case 'device_mains':
      return 'device';
    case 'heartbeat_gap':
    case 'server_restart':
      return 'silence';
    case 'first_heartbeat':
    case 'heartbeat':
      return 'heartbeat';
    case 'device_uptime':
    case 'short_outage':
      return 'uptime';
    case 'server_down':
    case 'paused':
    case 'key_revoked':
      return 'none';
  }
}
