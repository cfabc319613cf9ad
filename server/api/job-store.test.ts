import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPyreplError } from '../../protocol/errors.js';
import type { ApiSession } from './api-session.js';
import { ExecutionRecord } from './execution-record.js';
import { JobStore } from './job-store.js';

const session = { id: 's1' } as ApiSession;

function record(finishedMsAgo: number | null): ExecutionRecord {
  const r = new ExecutionRecord(`e${Math.random()}`, '1', 'job', { lines: [], whenExhausted: 'wait' });
  if (finishedMsAgo !== null) {
    r.finish('ok', 0);
    r.finishedAt = new Date(Date.now() - finishedMsAgo);
  }
  return r;
}

test('finished jobs are kept for a bounded time; running ones always', () => {
  const store = new JobStore({ ttlMs: 1_000, maxFinished: 100 });
  const old = store.add(session, record(5_000));
  const fresh = store.add(session, record(10));
  const running = store.add(session, record(null));
  assert.throws(() => store.get(old.id), (err) => isPyreplError(err, 'job_not_found'));
  assert.equal(store.get(fresh.id).id, fresh.id);
  assert.equal(store.info(store.get(running.id)).state, 'queued');
});

test('finished jobs are kept up to a number, oldest first out', () => {
  const store = new JobStore({ ttlMs: 60_000, maxFinished: 3 });
  const jobs = [5, 4, 3, 2, 1].map((age) => store.add(session, record(age * 100)));
  store.add(session, record(null));
  assert.throws(() => store.get(jobs[0]!.id), (err) => isPyreplError(err, 'job_not_found'));
  assert.throws(() => store.get(jobs[1]!.id), (err) => isPyreplError(err, 'job_not_found'));
  for (const job of jobs.slice(2)) assert.equal(store.get(job.id).id, job.id);
});
