import { Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Prometheus metrics of one service instance (its own registry, so tests can run several). */
export function createMetrics(countLocationsByStatus: () => Record<string, number>) {
  const registry = new Registry();
  const heartbeatsReceived = new Counter({
    name: 'heartbeats_received_total',
    help: 'Heartbeats accepted, by route',
    labelNames: ['route'] as const,
    registers: [registry],
  });
  const heartbeatsRejected = new Counter({
    name: 'heartbeats_rejected_total',
    help: 'Heartbeats refused, by HTTP status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'locations',
    help: 'Places by power status',
    labelNames: ['status'] as const,
    registers: [registry],
    collect() {
      this.reset();
      for (const [status, count] of Object.entries(countLocationsByStatus())) this.set({ status }, count);
    },
  });
  const alertsQueued = new Counter({ name: 'alerts_queued_total', help: 'Alerts written to the outbox', registers: [registry] });
  const messagesSent = new Counter({
    name: 'telegram_messages_sent_total',
    help: 'Outbox messages delivered to Telegram, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const messagesFailed = new Counter({
    name: 'telegram_messages_failed_total',
    help: 'Outbox messages given up on, by kind',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const sweepDuration = new Histogram({
    name: 'sweep_duration_seconds',
    help: 'Time to apply one batch of expired deadlines',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1],
    registers: [registry],
  });
  const renderDuration = new Histogram({
    name: 'diagram_render_duration_seconds',
    help: 'Time to render one diagram PNG',
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2],
    registers: [registry],
  });
  const storageFaults = new Counter({
    name: 'storage_faults_total',
    help: 'Writes refused by the database (locked by another process, disk full, I/O error), by operation',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const storageFailing = new Gauge({
    name: 'storage_failing',
    help: '1 while the database cannot be written (heartbeats get 503, nothing is decided), else 0',
    registers: [registry],
  });
  return { registry, storageFaults, storageFailing, heartbeatsReceived, heartbeatsRejected, alertsQueued, messagesSent, messagesFailed, sweepDuration, renderDuration };
}

export type Metrics = ReturnType<typeof createMetrics>;
