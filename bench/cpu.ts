/** CPU time of a process (user + system, from /proc/<pid>/stat), of its children, and of this Node process, to tell who limits a run. */
import { readdirSync, readFileSync } from 'node:fs';

const TICKS_PER_S = 100; // USER_HZ on Linux

/**
 * ms of CPU used so far by `pid`, all its threads (10 ms resolution); with `tid`, by that thread only (a Node process's
 * main thread is tid = pid; the others are V8's compiler and GC helpers and libuv's pool). Null when unreadable.
 */
export function procCpuMs(pid: number, tid?: number): number | null {
  try {
    const stat = readFileSync(tid === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // After the comm field: state is [0], utime [11], stime [12].
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return Number.isFinite(utime) && Number.isFinite(stime) ? ((utime + stime) * 1000) / TICKS_PER_S : null;
  } catch {
    return null;
  }
}

/** ms of CPU used so far by this Node process (all its threads). */
export function selfCpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** ms of CPU busy on the whole machine so far (all CPUs; user, nice, system, irq, softirq, steal). */
function systemBusyMs(): number | null {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0] ?? '';
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = v;
    return ((user + nice + system + irq + softirq + steal) * 1000) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/** ms of CPU used by this process and its reaped children (the anchors, the workers once they exited). */
function selfTreeCpuMs(): number | null {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // utime [11], stime [12], cutime [13], cstime [14]
    return (((f[11] ?? 0) + (f[12] ?? 0) + (f[13] ?? 0) + (f[14] ?? 0)) * 1000) / TICKS_PER_S;
  } catch {
    return null;
  }
}

/**
 * How busy the machine was with other work during a stretch of the bench: CPU used machine-wide minus the CPU of
 * this process tree, as an average number of cores. Read it at the end of a stretch whose children have all exited.
 */
export class ForeignLoad {
  private readonly t0 = performance.now();
  private readonly sys0 = systemBusyMs();
  private readonly self0 = selfTreeCpuMs();

  cores(): number | null {
    const sys1 = systemBusyMs();
    const self1 = selfTreeCpuMs();
    if (this.sys0 == null || this.self0 == null || sys1 == null || self1 == null) return null;
    const wall = performance.now() - this.t0;
    return wall > 0 ? Math.max(0, sys1 - this.sys0 - (self1 - this.self0)) / wall : null;
  }
}

/** The direct children of `pid` (from /proc/<pid>/task/<tid>/children); [] when unreadable. */
export function childPids(pid: number): number[] {
  const out: number[] = [];
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        for (const c of readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/)) if (c) out.push(Number(c));
      } catch {
        /* thread gone */
      }
    }
  } catch {
    /* process gone */
  }
  return out;
}

/** ms of CPU used so far by the live children of `pid` together (an API server's Python workers). */
export function childrenCpuMs(pid: number): number {
  return childPids(pid).reduce((sum, c) => sum + (procCpuMs(c) ?? 0), 0);
}
