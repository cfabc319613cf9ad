/**
 * Async jobs: an execution submitted with "async": true, polled with GET /jobs/{id}. Finished jobs are kept for a
 * bounded time and number (oldest finished first out); running ones are always kept.
 */
import { randomUUID } from 'node:crypto';
import type { JobInfo } from '../../protocol/api-messages.js';
import { PyreplError } from '../../protocol/errors.js';
import type { ApiSession } from './api-session.js';
import type { ExecutionRecord } from './execution-record.js';

export interface Job {
  id: string;
  session: ApiSession;
  record: ExecutionRecord;
}

export class JobStore {
  private readonly jobs = new Map<string, Job>();

  constructor(private readonly limits: { ttlMs: number; maxFinished: number }) {}

  add(session: ApiSession, record: ExecutionRecord): Job {
    this.prune();
    const job: Job = { id: randomUUID(), session, record };
    this.jobs.set(job.id, job);
    return job;
  }

  get(id: string): Job {
    this.prune();
    const job = this.jobs.get(id);
    if (!job) throw new PyreplError('job_not_found', `No job with id ${id} (unknown, or finished and expired).`, { job_id: id });
    return job;
  }

  info(job: Job): JobInfo {
    const r = job.record;
    return {
      job_id: job.id,
      session_id: job.session.id,
      state: r.phase,
      created_at: r.createdAt.toISOString(),
      finished_at: r.finishedAt?.toISOString() ?? null,
      outputs: r.outputs.map((o) => ({ ...o })),
      pending_input: r.pendingInput,
      response: r.isFinished ? r.toResponse() : null,
    };
  }

  get size(): number {
    return this.jobs.size;
  }

  private prune(now = Date.now()): void {
    const finished = [...this.jobs.values()].filter((j) => j.record.finishedAt);
    let excess = finished.length - this.limits.maxFinished;
    for (const job of finished) {
      const expired = now - job.record.finishedAt!.getTime() > this.limits.ttlMs;
      if (expired || excess > 0) {
        this.jobs.delete(job.id);
        excess -= 1;
      }
    }
  }
}
