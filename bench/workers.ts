/**
 * Every Python worker this run starts, so none is left behind. Workers get a marker variable in their environment;
 * /proc/<pid>/environ keeps the start-up environment even after the worker strips PYREPL_* from os.environ, so pool
 * workers the bench never sees by `session.pid` are found too, and another user's pyrepl processes are never touched.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { sleep } from './log.js';

export class WorkerTracker {
  readonly markerName = 'PYREPL_BENCH_RUN';
  readonly markerValue: string;
  private readonly seen = new Set<number>();

  /** `label` keeps two trackers of one run apart (the core's workers, the API server's processes). */
  constructor(
    private readonly procAlive: (pid: number) => boolean,
    label = '',
  ) {
    this.markerValue = `${process.pid}-${Date.now()}${label ? `-${label}` : ''}`;
  }

  /** The environment of our sessions: ours plus the marker. */
  env(): NodeJS.ProcessEnv {
    return { ...process.env, [this.markerName]: this.markerValue };
  }

  note(pid: number | null | undefined): void {
    if (pid) this.seen.add(pid);
  }

  /** Records the marked processes alive now; returns them. */
  scan(): number[] {
    const needle = `${this.markerName}=${this.markerValue}`;
    const found: number[] = [];
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      let environ: string;
      try {
        environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
      } catch {
        continue; // gone, or not ours to read
      }
      if (environ.split('\0').includes(needle)) {
        const pid = Number(entry);
        if (this.procAlive(pid)) found.push(pid);
      }
    }
    for (const pid of found) this.seen.add(pid);
    return found;
  }

  get seenCount(): number {
    return this.seen.size;
  }

  /** Seen or marked workers still alive after waiting up to `graceMs` for them to go. */
  async leftovers(graceMs: number): Promise<number[]> {
    const deadline = performance.now() + graceMs;
    for (;;) {
      this.scan();
      const alive = [...this.seen].filter((pid) => this.procAlive(pid));
      if (alive.length === 0 || performance.now() > deadline) return alive;
      await sleep(50);
    }
  }

  /** Last resort: SIGKILL each leftover's process group (workers lead their own) and the process itself. */
  killAll(): number[] {
    const alive = [...new Set([...this.seen, ...this.scan()])].filter((pid) => this.procAlive(pid));
    for (const pid of alive) {
      for (const target of [-pid, pid]) {
        try {
          process.kill(target, 'SIGKILL');
        } catch {
          /* already gone, or not a group leader */
        }
      }
    }
    return alive;
  }
}
