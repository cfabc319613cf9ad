/**
 * Several runs of one comparison as one table: per metric, the median of each side over the runs, judged against its
 * target again. On this kind of machine the scheduler's placement changes from minute to minute (two processes that
 * ping-pong share a core or not), which moved single-run ratios by up to 2x in either direction; run.ts alternates the
 * floor and ours within each run, so both sides see the same spells, and the median keeps one lucky or unlucky spell
 * from deciding a target. Each run's ratio stays in the row (`runRatios`) so the spread is visible.
 */
import { row, type Row } from './compare.js';

/** The median (the mean of the middle two for an even count); null when no run has a number. */
export function median(xs: readonly (number | null)[]): number | null {
  const sorted = xs.filter((x): x is number => x != null && Number.isFinite(x)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rows are matched by id; the first run's order and wording are kept (a row missing from a later run is skipped there). */
export function mergeRuns(runs: readonly Row[][]): Row[] {
  if (runs.length === 0) return [];
  if (runs.length === 1) return runs[0]!;
  return runs[0]!.map((first) => {
    const same = runs.map((rows) => rows.find((r) => r.id === first.id)).filter((r): r is Row => r !== undefined);
    const runRatios = same.map((r) => r.ratio);
    const forcedFail = same.some((r) => r.forcedFail);
    if (typeof first.ours === 'string' || first.ours === null || !first.rule) {
      // A verdict in words (every byte arrived, every client served): it holds only if it held in every run.
      const texts = [...new Set(same.map((r) => String(r.ours)))];
      const passes = same.map((r) => r.pass);
      const pass = passes.includes(false) ? false : passes.includes(null) ? null : true;
      return { ...first, ours: texts.length === 1 ? first.ours : texts.join(' ; '), pass, runRatios };
    }
    const ours = median(same.map((r) => (typeof r.ours === 'number' ? r.ours : null)));
    const floor = median(same.map((r) => r.floor));
    const judged = row(first.id, first.metric, ours, floor, first.rule);
    const merged: Row = { ...first, ...judged, runRatios };
    if (forcedFail) {
      merged.pass = false;
      merged.forcedFail = true;
    }
    return merged;
  });
}
