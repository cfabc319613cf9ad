/**
 * Prometheus metrics (prom-client, on a registry of our own so tests can run several servers in one process).
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly sessions = new Gauge({ name: 'pyrepl_sessions', help: 'API sessions by state', labelNames: ['state'] as const, registers: [this.registry] });
  readonly executions = new Counter({ name: 'pyrepl_executions_total', help: 'Executions finished, by status and source', labelNames: ['status', 'source'] as const, registers: [this.registry] });
  readonly executionSeconds = new Histogram({
    name: 'pyrepl_execution_duration_seconds',
    help: 'Execution time measured in the worker',
    buckets: [0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30, 120],
    registers: [this.registry],
  });
  readonly bytesStreamed = new Counter({ name: 'pyrepl_output_bytes_total', help: 'Output bytes produced by executions', labelNames: ['stream'] as const, registers: [this.registry] });
  readonly bytesDropped = new Counter({ name: 'pyrepl_output_dropped_bytes_total', help: 'Output bytes skipped for observers that fell behind', registers: [this.registry] });
  readonly wsClients = new Gauge({ name: 'pyrepl_ws_clients', help: 'Connected WebSocket clients by role', labelNames: ['role'] as const, registers: [this.registry] });
  readonly poolWaits = new Counter({ name: 'pyrepl_pool_waits_total', help: 'Session acquisitions by outcome', labelNames: ['outcome'] as const, registers: [this.registry] });
  readonly workerCrashes = new Counter({ name: 'pyrepl_worker_crashes_total', help: 'Workers that died or were killed while in use', registers: [this.registry] });
  readonly pool = new Gauge({ name: 'pyrepl_pool_sessions', help: 'Pool sessions by kind', labelNames: ['kind'] as const, registers: [this.registry] });

  private processMetricsOn = false;

  /**
   * The Prometheus text of every metric. prom-client's process and Node.js metrics start with the first call: their
   * event-loop-lag monitor wakes the event loop every 10 ms, about 100 times a second, which a desktop app idling in
   * the background should not pay while nobody scrapes it. Counters such as CPU seconds are cumulative anyway; the lag
   * and GC figures cover the time since the first scrape.
   */
  text(): Promise<string> {
    if (!this.processMetricsOn) {
      this.processMetricsOn = true;
      // prom-client's names already say what they are (process_cpu_seconds_total, nodejs_heap_size_used_bytes...):
      // the prefix only says whose they are.
      collectDefaultMetrics({ register: this.registry, prefix: 'pyrepl_' });
    }
    return this.registry.metrics();
  }
}
