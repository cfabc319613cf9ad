/**
 * Memory growth of a process during a stretch of the bench: VmRSS sampled every few ms from /proc/<pid>/status by a
 * worker thread (so a main thread busy parsing 20 MB of frames does not delay the samples), plus the kernel's own peak
 * (VmHWM, reset through /proc/<pid>/clear_refs at the start when allowed) as a cross-check between samples.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';

export interface RssGrowth {
  pid: number;
  interval_ms: number;
  samples: number;
  baseline_kB: number | null;
  max_kB: number | null;
  /** max − baseline (MB, 1024² bytes as the rest of the bench's MB). */
  growth_MB: number | null;
  after_kB: number | null;
  /** VmHWM at the end, after resetting it at the start (null when clear_refs was not writable). */
  hwm_kB: number | null;
  hwm_growth_MB: number | null;
}

export function vmKb(pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/** The sampling thread: runs until the shared flag is set, then posts {samples, max}. */
const SAMPLER = `
const { parentPort, workerData } = require('node:worker_threads');
const { readFileSync } = require('node:fs');
const { pid, intervalMs, flag } = workerData;
const stop = new Int32Array(flag);
let samples = 0, max = 0;
const sample = () => {
  try {
    const m = /^VmRSS:\\s+(\\d+)/m.exec(readFileSync('/proc/' + pid + '/status', 'utf8'));
    if (m) { samples++; max = Math.max(max, Number(m[1])); }
  } catch {}
};
sample();
parentPort.postMessage({ ready: true });
while (Atomics.load(stop, 0) === 0) {
  Atomics.wait(stop, 0, 0, intervalMs);
  sample();
}
parentPort.postMessage({ samples, max });
`;

export class RssSampler {
  private readonly flag = new SharedArrayBuffer(4);
  private readonly worker: Worker;
  private readonly ready: Promise<void>;
  private readonly done: Promise<{ samples: number; max: number }>;
  private readonly baseline: number | null;
  private readonly hwmReset: boolean;

  /** Starts sampling; resolves once the sampling thread has taken its first sample (thread start-up takes ~30 ms). */
  static async start(pid: number, intervalMs: number): Promise<RssSampler> {
    const sampler = new RssSampler(pid, intervalMs);
    await sampler.ready;
    return sampler;
  }

  private constructor(
    private readonly pid: number,
    private readonly intervalMs: number,
  ) {
    this.baseline = vmKb(pid, 'VmRSS');
    let reset = false;
    try {
      writeFileSync(`/proc/${pid}/clear_refs`, '5'); // 5: reset the peak RSS (VmHWM) to the current RSS
      reset = true;
    } catch {
      /* not allowed here: no HWM cross-check */
    }
    this.hwmReset = reset;
    this.worker = new Worker(SAMPLER, { eval: true, workerData: { pid, intervalMs, flag: this.flag } });
    const messages: Array<(m: { ready?: boolean; samples: number; max: number }) => void> = [];
    this.worker.on('message', (m: { ready?: boolean; samples: number; max: number }) => messages.shift()?.(m));
    this.ready = new Promise((resolve, reject) => {
      messages.push(() => resolve());
      this.worker.once('error', reject);
    });
    this.done = new Promise((resolve, reject) => {
      messages.push(resolve);
      this.worker.once('error', reject);
    });
  }

  async stop(): Promise<RssGrowth> {
    const after = vmKb(this.pid, 'VmRSS');
    const hwm = this.hwmReset ? vmKb(this.pid, 'VmHWM') : null;
    const stop = new Int32Array(this.flag);
    Atomics.store(stop, 0, 1);
    Atomics.notify(stop, 0);
    const { samples, max } = await this.done;
    await this.worker.terminate();
    const peak = Math.max(max, after ?? 0) || null;
    const mb = (kB: number | null): number | null => (kB == null || this.baseline == null ? null : Math.round(((kB - this.baseline) / 1024) * 10) / 10);
    return {
      pid: this.pid,
      interval_ms: this.intervalMs,
      samples,
      baseline_kB: this.baseline,
      max_kB: peak,
      growth_MB: mb(peak),
      after_kB: after,
      hwm_kB: hwm,
      hwm_growth_MB: mb(hwm),
    };
  }
}
