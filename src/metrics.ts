import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** One outage-schedule source's freshness, in seconds (null when it has never been read). */
export interface ScheduleSourceAge {
  source: string;
  dataAgeS: number | null;
  fetchAgeS: number | null;
}

/** Prometheus metrics of one service instance (its own registry, so tests can run several). */
export function createMetrics(countPlacesByStatus: () => Record<string, number>) {
  const registry = new Registry();
  const registers = [registry];
  return {
    registry,
    ...heartbeatMetrics(registers, countPlacesByStatus),
    ...deliveryMetrics(registers),
    ...storageMetrics(registers),
    ...scheduleMetrics(registers),
  };
}

/** What the devices send: heartbeats taken and refused, and the places by the status they decide. */
function heartbeatMetrics(registers: Registry[], countPlacesByStatus: () => Record<string, number>) {
  const heartbeatsReceived = new Counter({
    name: 'heartbeats_received_total',
    help: 'Heartbeats accepted, by route',
    labelNames: ['route'] as const,
    registers,
  });
  const heartbeatsRejected = new Counter({
    name: 'heartbeats_rejected_total',
    help: 'Heartbeats refused, by HTTP status',
    labelNames: ['status'] as const,
    registers,
  });
  new Gauge({
    name: 'locations',
    help: 'Places by power status',
    labelNames: ['status'] as const,
    registers,
    collect() {
      this.reset();
      for (const [status, count] of Object.entries(countPlacesByStatus())) this.set({ status }, count);
    },
  });
  const sweepDuration = new Histogram({
    name: 'sweep_duration_seconds',
    help: 'Time to apply one batch of expired deadlines',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers,
  });
  return { heartbeatsReceived, heartbeatsRejected, sweepDuration };
}

/** What goes out: alerts queued, messages sent and given up on, Telegram's failures, diagrams rendered. */
function deliveryMetrics(registers: Registry[]) {
  const alertsQueued = new Counter({ name: 'alerts_queued_total', help: 'Alerts written to the outbox', registers });
  const messagesSent = new Counter({
    name: 'telegram_messages_sent_total',
    help: 'Outbox messages delivered to Telegram, by kind (a digest counts once)',
    labelNames: ['kind'] as const,
    registers,
  });
  const messagesFailed = new Counter({
    name: 'telegram_messages_failed_total',
    help: 'Outbox messages given up on, by kind',
    labelNames: ['kind'] as const,
    registers,
  });
  const renderDuration = new Histogram({
    name: 'diagram_render_duration_seconds',
    help: 'Time to render one diagram PNG',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers,
  });
  const telegramFailures = new Counter({
    name: 'telegram_call_failures_total',
    help: 'Telegram calls that failed, by what the failure means (throttled, transient, refused)',
    labelNames: ['kind'] as const,
    registers,
  });
  const alertDeliverySeconds = new Histogram({
    name: 'alert_delivery_seconds',
    help: 'Time from a power change being queued to its post being accepted by Telegram',
    buckets: [0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600],
    registers,
  });
  return { alertsQueued, messagesSent, messagesFailed, renderDuration, telegramFailures, alertDeliverySeconds };
}

/** The database: writes it refused, and whether it is failing now. */
function storageMetrics(registers: Registry[]) {
  const storageFaults = new Counter({
    name: 'storage_faults_total',
    help: 'Writes refused by the database (locked by another process, disk full, I/O error), by operation',
    labelNames: ['operation'] as const,
    registers,
  });
  const storageFailing = new Gauge({
    name: 'storage_failing',
    help: '1 while the database cannot be written (heartbeats get 503, nothing is decided), else 0',
    registers,
  });
  return { storageFaults, storageFailing };
}

/** Outage schedules: the poller reports through watchScheduleSources(); ages are computed at scrape time. */
function scheduleMetrics(registers: Registry[]) {
  let scheduleSources: () => ScheduleSourceAge[] = () => [];
  const scheduleFetches = new Counter({
    name: 'schedule_fetches_total',
    help: 'Polls of outage-schedule sources, by source and result (updated, unchanged, not_modified, failed, unreadable)',
    labelNames: ['source', 'result'] as const,
    registers,
  });
  const scheduleFetchFailures = new Counter({
    name: 'schedule_fetch_failures_total',
    help: 'Failed polls of outage-schedule sources (network, HTTP status, unreadable body)',
    labelNames: ['source'] as const,
    registers,
  });
  new Gauge({
    name: 'schedule_source_age_seconds',
    help: "Age of each schedule source's data: now minus the source's own 'as of' time",
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      for (const s of scheduleSources()) if (s.dataAgeS !== null) this.set({ source: s.source }, s.dataAgeS);
    },
  });
  new Gauge({
    name: 'schedule_source_last_fetch_age_seconds',
    help: 'Seconds since each schedule source last answered with a usable reply (200 or 304)',
    labelNames: ['source'] as const,
    registers,
    collect() {
      this.reset();
      for (const s of scheduleSources()) if (s.fetchAgeS !== null) this.set({ source: s.source }, s.fetchAgeS);
    },
  });
  const watchScheduleSources = (provider: () => ScheduleSourceAge[]): void => {
    scheduleSources = provider;
  };
  return { scheduleFetches, scheduleFetchFailures, watchScheduleSources };
}

export type Metrics = ReturnType<typeof createMetrics>;
