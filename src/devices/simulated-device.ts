import { randomBytes } from 'node:crypto';

export interface HeartbeatReply {
  status: number;
  intervalS: number | null;
}

/**
 * A device that speaks the firmware's protocol: POST /api/heartbeat with a Bearer key and the JSON
 * body (uptime since boot, a random id per boot, the reset reason, RSSI, firmware version).
 * A power cut is simulated by `powerOff()` (it stops sending) and `powerOn()` (a fresh boot:
 * new boot id, uptime from zero, reset reason POWERON).
 */
export class SimulatedDevice {
  private bootedAt = 0;
  private bootId = '';
  private resetReason = 'POWERON';
  private powered = false;

  constructor(
    private readonly options: { url: string; key: string; fw?: string; now?: () => number },
  ) {}

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }

  get isPowered(): boolean {
    return this.powered;
  }

  powerOn(resetReason = 'POWERON'): void {
    this.powered = true;
    this.bootedAt = this.now();
    this.bootId = randomBytes(8).toString('hex');
    this.resetReason = resetReason;
  }

  powerOff(): void {
    this.powered = false;
  }

  /** A reboot that is not a power cut (e.g. a watchdog): new boot, but not an outage. */
  softwareReboot(): void {
    this.powerOn('TASK_WDT');
  }

  payload(): Record<string, unknown> {
    return {
      uptime_ms: Math.max(0, this.now() - this.bootedAt),
      boot_id: this.bootId,
      reset_reason: this.resetReason,
      rssi: -55 - Math.floor(Math.random() * 20),
      fw: this.options.fw ?? 'sim-1.0.0',
    };
  }

  /** Sends one heartbeat; a powered-off device sends nothing and returns null. */
  async heartbeat(): Promise<HeartbeatReply | null> {
    if (!this.powered) return null;
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.options.key}`, 'content-type': 'application/json' },
      body: JSON.stringify(this.payload()),
    });
    let intervalS: number | null = null;
    try {
      const body = (await response.json()) as { interval_s?: unknown };
      if (typeof body.interval_s === 'number') intervalS = body.interval_s;
    } catch {
      // not JSON: keep the current interval
    }
    return { status: response.status, intervalS };
  }
}

/** The heartbeat URL from a base URL or a full one. */
export function heartbeatUrl(base: string): string {
  const url = new URL(base);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/api/heartbeat';
  return url.toString();
}
