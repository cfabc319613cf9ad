/** Feeds the Prometheus metrics from what sessions log, so no domain code knows about metrics. */
import type { SessionManager } from './api/session-manager.js';
import type { Metrics } from './metrics.js';

export function trackMetrics(manager: SessionManager, metrics: Metrics): void {
  manager.on('acquired', (outcome) => metrics.poolWaits.inc({ outcome }));
  manager.on('created', (api) => {
    const sources = new Map<string, string>();
    api.on('logged', ({ event, dataBytes }) => {
      switch (event.type) {
        case 'execute_input':
          sources.set(event.execution_id, event.source);
          break;
        case 'output':
          metrics.bytesStreamed.inc({ stream: event.stream }, dataBytes);
          break;
        case 'error':
          if (event.exception === 'WorkerDied' || event.exception === 'WorkerKilled') metrics.workerCrashes.inc();
          break;
        case 'execute_reply':
          metrics.executions.inc({ status: event.status, source: sources.get(event.execution_id) ?? 'unknown' });
          if (event.status !== 'aborted') metrics.executionSeconds.observe(event.execution_time);
          sources.delete(event.execution_id);
          break;
        default:
          break;
      }
    });
  });
}
