import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Metrics } from './metrics.js';

test("prom-client's process metrics, and their 10 ms event-loop monitor, start with the first scrape", async () => {
  const metrics = new Metrics();
  assert.equal(metrics.registry.getSingleMetric('pyrepl_nodejs_eventloop_lag_seconds'), undefined, 'no lag monitor before anyone asks');
  const first = await metrics.text();
  assert.ok(metrics.registry.getSingleMetric('pyrepl_nodejs_eventloop_lag_seconds'), 'the lag monitor runs from the first scrape on');
  assert.match(first, /^pyrepl_process_cpu_seconds_total /m, 'the first scrape already has the process metrics');
  assert.match(first, /^# TYPE pyrepl_executions_total counter$/m);
  const second = await metrics.text();
  assert.equal(second.match(/^pyrepl_process_cpu_seconds_total /gm)?.length, 1, 'registered once, not on every scrape');
});
