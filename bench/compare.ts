/**
 * Ours (the runtime core) against the pipe floor, metric by metric, with the targets of the issue. A target is a ratio
 * to the floor, a margin over it, or an absolute bound; rows without a target are shown for information. The row and
 * target machinery here is shared with server-compare.ts (the API server's table, which adds a Jupyter column).
 */
import type { AnchorLib } from './anchors.js';
import type { OursResults } from './ours.js';

export interface Row {
  id: string;
  metric: string;
  ours: number | string | null;
  floor: number | null;
  /** Which floor, when a table mixes them ("ws relay", "pipe"). */
  floorKind?: string;
  /** ours / floor. */
  ratio: number | null;
  /** The Jupyter anchor's number for the same metric (server table only); a string when it needs a word. */
  jupyter?: number | string | null;
  target: string;
  /** null: no target (or no data to judge). */
  pass: boolean | null;
  /** The target the row was judged by (merge-runs.ts judges the median of several runs by it again). */
  rule?: Target;
  /** Failed for a reason beyond its numbers (MB/s when bytes were missing): stays failed when runs are merged. */
  forcedFail?: boolean;
  /** Several runs merged: each run's ratio, in run order. */
  runRatios?: (number | null)[];
}

export type Target =
  | { kind: 'none' }
  | { kind: 'ratio_max'; max: number }
  | { kind: 'ratio_min'; min: number }
  /** ours − floor ≤ max (a fixed margin over the floor). */
  | { kind: 'delta_max'; max: number; unit: string }
  | { kind: 'abs_max'; max: number; strict: boolean; unit: string };

/** Reads a number at a dotted path of an anchor's JSON; null when absent. */
export function num(obj: unknown, path: string): number | null {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return null;
    cur = (cur as Record<string, unknown>)[key];
  }
  return typeof cur === 'number' && Number.isFinite(cur) ? cur : null;
}

export function arr(obj: unknown, path: string): unknown[] {
  let cur: unknown = obj;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return [];
    cur = (cur as Record<string, unknown>)[key];
  }
  return Array.isArray(cur) ? cur : [];
}

export function row(id: string, metric: string, ours: number | null, floor: number | null, target: Target): Row {
  const ratio = ours != null && floor != null && floor > 0 ? ours / floor : null;
  let text = '';
  let pass: boolean | null = null;
  switch (target.kind) {
    case 'none':
      break;
    case 'ratio_max':
      text = `<= ${target.max}x floor`;
      pass = ratio == null ? null : ratio <= target.max;
      break;
    case 'ratio_min':
      text = `>= ${target.min}x floor`;
      pass = ratio == null ? null : ratio >= target.min;
      break;
    case 'delta_max':
      text = `<= floor + ${target.max} ${target.unit}`;
      pass = ours == null || floor == null ? null : ours - floor <= target.max;
      break;
    case 'abs_max':
      text = `${target.strict ? '<' : '<='} ${target.max} ${target.unit}`;
      pass = ours == null ? null : target.strict ? ours < target.max : ours <= target.max;
      break;
  }
  return { id, metric, ours, floor, ratio, target: text, pass, rule: target };
}

/** The nearest-rank median of one numeric field over a list of reps (null when none has it). */
export function medianOf(reps: unknown[], field: string, lib: AnchorLib): number | null {
  const xs = reps.map((r) => num(r, field)).filter((x): x is number => x != null);
  return xs.length ? lib.stats(xs).median_ms : null; // the field name is stats'; the value is whatever was measured
}

/** `floor` is floor_bench.mjs's JSON (or null when it failed). */
export function compare(ours: OursResults, floorJson: unknown, lib: AnchorLib): Row[] {
  const pipe = (floorJson as { results?: { pipe_debian_python?: unknown } } | null)?.results?.pipe_debian_python ?? null;
  const repsMedian = (reps: unknown[]): number | null => medianOf(reps, 'mb_per_s', lib);
  const streamMb = (ours.c_stream[0]?.expected_chars ?? 0) / 1e6;
  const allArrived = ours.c_stream.length > 0 && ours.c_stream.every((r) => r.all_bytes_arrived);
  const oursMbps = repsMedian(ours.c_stream);
  const kB2MB = (x: number | null | undefined): number | null => (x == null ? null : x / 1024);

  const rows: Row[] = [
    row('a', 'a. cold start → first result of `1`, median (ms)', ours.a_cold_start.median_ms, num(pipe, 'a_cold_start.median_ms'), { kind: 'ratio_max', max: 1.3 }),
    row('b', 'b. `1+1` round trip p50 (ms)', ours.b_rtt.to_reply.median_ms, num(pipe, 'b_rtt.to_result.median_ms'), { kind: 'ratio_max', max: 1.5 }),
    row('b_p99', 'b. `1+1` round trip p99 (ms)', ours.b_rtt.to_reply.p99_ms, num(pipe, 'b_rtt.to_result.p99_ms'), { kind: 'none' }),
    row('b2', 'b2. pool.acquire() with an idle session, p50 (ms)', ours.b2_pool_acquire.acquire.median_ms, null, { kind: 'abs_max', max: 1, strict: true, unit: 'ms' }),
    row('b2_p99', 'b2. pool.acquire() p99 (ms)', ours.b2_pool_acquire.acquire.p99_ms, null, { kind: 'none' }),
    {
      id: 'c_bytes',
      metric: `c. ${streamMb} MB stdout: every byte arrived`,
      ours: `${ours.c_stream.filter((r) => r.all_bytes_arrived).length}/${ours.c_stream.length} reps`,
      floor: null,
      ratio: null,
      target: 'all reps',
      pass: allArrived,
    },
    row('c', `c. ${streamMb} MB stdout MB/s, median of reps (floor: block-buffered)`, oursMbps, repsMedian(arr(pipe, 'c_stream_block_buffered')), { kind: 'ratio_min', min: 0.5 }),
    row('c_u', `c. ${streamMb} MB stdout MB/s (floor: python -u)`, oursMbps, repsMedian(arr(pipe, 'c_stream')), { kind: 'none' }),
    row('d', "d. `x = input('p')` round trip p50 (ms)", ours.d_input_rtt.to_reply.median_ms, num(pipe, 'd_input_rtt.to_result.median_ms'), { kind: 'none' }),
    row('e', 'e. idle worker VmRSS (MB)', kB2MB(ours.e_memory.worker_idle_after_first_reply.VmRSS_kB), kB2MB(num(pipe, 'e_memory.python_idle_after_first_reply.VmRSS_kB')), { kind: 'ratio_max', max: 1.3 }),
    row('f', `f. ${ours.f_concurrency.sessions} sessions × ${ours.f_concurrency.ops_per_session} \`1+1\`: total wall (ms)`, ours.f_concurrency.wall_ms, num(pipe, 'f_concurrency.wall_ms'), { kind: 'none' }),
    row('f_op', 'f. per-op median (ms)', ours.f_concurrency.per_op.median_ms, num(pipe, 'f_concurrency.per_op.median_ms'), { kind: 'none' }),
    row('g', 'g. print() → client latency, median (ms)', ours.g_print_latency.print_to_client_latency.median_ms, num(pipe, 'g_print_latency.print_to_client_latency.median_ms'), { kind: 'abs_max', max: 10, strict: false, unit: 'ms' }),
    row('g_max', 'g. print() → client latency, max (ms)', ours.g_print_latency.print_to_client_latency.max_ms, num(pipe, 'g_print_latency.print_to_client_latency.max_ms'), { kind: 'none' }),
  ];
  // MB/s counts only if every byte arrived: the throughput target fails with the bytes row.
  const c = rows.find((r) => r.id === 'c');
  if (c && !allArrived) {
    c.pass = false;
    c.forcedFail = true;
  }
  return rows;
}
