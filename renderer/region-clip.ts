/**
 * A region taller than the screen cannot be redrawn: the cursor cannot move up into the scrollback to erase it. So
 * while editing, a very long cell (a big paste) shows a window of lines around the cursor with "N more lines"
 * markers; it is committed to the transcript whole when it runs.
 */
import { drawRegion, type RegionLine, type RegionSpec } from './layout.js';
import type { WidthFn } from './unicode-width.js';

const DIM = '\x1b[2m';

function rowsOf(line: RegionLine, cols: number, width: WidthFn): number {
  return drawRegion({ lines: [line], cursor: { line: 0, offset: 0 } }, cols, 0, width, true).rows;
}

function marker(count: number, where: string): RegionLine {
  return { prompt: `… ${count} more line${count === 1 ? '' : 's'} ${where}`, promptStyle: DIM, text: '' };
}

export function clipRegion(spec: RegionSpec, cols: number, width: WidthFn, maxRows: number): RegionSpec {
  const heights = spec.lines.map((line) => rowsOf(spec.hideText ? { ...line, text: '' } : line, cols, width));
  const total = heights.reduce((a, b) => a + b, 0) + (spec.newlineFirst ? 1 : 0);
  if (total <= maxRows || spec.lines.length <= 1) return spec;
  const budget = Math.max(1, maxRows - 3); // two marker rows, and the possible fresh line before the prompt
  const c = Math.min(spec.cursor.line, spec.lines.length - 1);
  let first = c;
  let last = c;
  let used = heights[c]!;
  for (let grew = true; grew; ) {
    grew = false;
    if (last + 1 < spec.lines.length && used + heights[last + 1]! <= budget) {
      used += heights[++last]!;
      grew = true;
    }
    if (first > 0 && used + heights[first - 1]! <= budget) {
      used += heights[--first]!;
      grew = true;
    }
  }
  const lines: RegionLine[] = [];
  if (first > 0) lines.push(marker(first, 'above'));
  lines.push(...spec.lines.slice(first, last + 1));
  if (last < spec.lines.length - 1) lines.push(marker(spec.lines.length - 1 - last, 'below'));
  return { ...spec, lines, cursor: { line: c - first + (first > 0 ? 1 : 0), offset: spec.cursor.offset } };
}
