import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The process's Prometheus registry and the metrics every role shares. */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'flightdeck_' });

export const httpRequestDuration = new Histogram({
  name: 'flightdeck_http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [metricsRegistry],
});

export const jobsSubmitted = new Counter({
  name: 'flightdeck_jobs_submitted_total',
  help: 'Jobs accepted through the API, by type',
  labelNames: ['type'] as const,
  registers: [metricsRegistry],
});

export const realtimeConnections = new Gauge({
  name: 'flightdeck_realtime_connections',
  help: 'Open Socket.io connections on this gateway process',
  registers: [metricsRegistry],
});

export const realtimeEventsDelivered = new Counter({
  name: 'flightdeck_realtime_events_delivered_total',
  help: 'Events this gateway emitted to rooms',
  registers: [metricsRegistry],
});

let pausableQueues: ReadonlyMap<string, { isPaused(): Promise<boolean> }> = new Map();

/** 1 while a queue is paused: KEDA reads it, since BullMQ 6 keeps a paused queue's jobs in `wait`. */
export const queuePaused = new Gauge({
  name: 'flightdeck_queue_paused',
  help: 'Whether a queue is paused (1) or not (0)',
  labelNames: ['queue'] as const,
  registers: [metricsRegistry],
  async collect() {
    for (const [queue, handle] of pausableQueues) this.set({ queue }, (await handle.isPaused()) ? 1 : 0);
  },
});

/** The queues whose pause state /metrics reports (processes with the `api` role). */
export function reportQueuePauses(queues: ReadonlyMap<string, { isPaused(): Promise<boolean> }>): void {
  pausableQueues = queues;
}
