/** The comparison as an aligned Markdown table (readable in a terminal, pasteable into an issue). */
import type { Row } from './compare.js';

export function fmt(x: number | string | null): string {
  if (x == null) return 'n/a';
  if (typeof x === 'string') return x;
  const a = Math.abs(x);
  return a >= 100 ? x.toFixed(1) : a >= 10 ? x.toFixed(2) : x.toFixed(3);
}

export interface TableOptions {
  /** Header of the floor column. */
  floorHeader?: string;
  /** Add a Jupyter column (Row.jupyter). */
  jupyter?: boolean;
  /** Add a column with each run's ratio (Row.runRatios, merged runs). */
  perRun?: boolean;
}

export function renderTable(rows: Row[], opts: TableOptions = {}): string {
  const header = ['metric', 'ours', opts.floorHeader ?? 'floor (pipe)', 'ratio ours/floor', ...(opts.perRun ? ['per run'] : []), ...(opts.jupyter ? ['Jupyter'] : []), 'target', 'pass/fail'];
  const body = rows.map((r) => [
    r.metric,
    fmt(r.ours),
    r.floor == null ? '—' : `${fmt(r.floor)}${r.floorKind ? ` (${r.floorKind})` : ''}`,
    r.ratio == null ? '—' : `${r.ratio.toFixed(2)}x`,
    ...(opts.perRun ? [r.runRatios?.some((x) => x != null) ? r.runRatios.map((x) => (x == null ? '—' : x.toFixed(2))).join(' ') : '—'] : []),
    ...(opts.jupyter ? [r.jupyter == null ? '—' : fmt(r.jupyter)] : []),
    r.target || '—',
    r.pass == null ? (r.target ? 'n/a' : '') : r.pass ? 'PASS' : 'FAIL',
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...body.map(line)].join('\n');
}

/** One line per missed target (or target that could not be judged). */
export function summarize(rows: Row[]): string {
  const judged = rows.filter((r) => r.target);
  const missed = judged.filter((r) => r.pass === false);
  const unknown = judged.filter((r) => r.pass == null);
  const lines = [`targets met: ${judged.length - missed.length - unknown.length}/${judged.length}`];
  for (const r of missed) lines.push(`  MISSED: ${r.metric}: ${fmt(r.ours)}${r.ratio == null ? '' : ` (${r.ratio.toFixed(2)}x floor)`}; target ${r.target}`);
  for (const r of unknown) lines.push(`  NOT JUDGED (no data): ${r.metric}`);
  return lines.join('\n');
}
