/**
 * Completion matches as the Python REPL and bash list them: column-major, padded to the widest match, as many
 * columns as fit. Pure; the controller writes the lines below the prompt.
 */
import type { WidthFn } from './unicode-width.js';

const GAP = 2;

/** The longest prefix every match shares (inserted at once when Tab finds several). */
export function commonPrefix(items: readonly string[]): string {
  if (items.length === 0) return '';
  let prefix = items[0]!;
  for (const item of items) {
    let i = 0;
    while (i < prefix.length && i < item.length && prefix[i] === item[i]) i++;
    prefix = prefix.slice(0, i);
  }
  // Never end between the halves of a surrogate pair.
  return /[\uD800-\uDBFF]$/.test(prefix) ? prefix.slice(0, -1) : prefix;
}

export interface ColumnLayout {
  lines: string[];
  /** Matches not shown (beyond maxLines rows). */
  hidden: number;
}

export function columns(items: readonly string[], cols: number, width: WidthFn, maxLines = 20): ColumnLayout {
  if (items.length === 0) return { lines: [], hidden: 0 };
  const widest = Math.max(...items.map(width));
  const cell = widest + GAP;
  const perRow = Math.max(1, Math.floor((cols + GAP) / cell));
  const rowCount = Math.ceil(items.length / perRow);
  const shownRows = Math.min(rowCount, maxLines);
  const lines: string[] = [];
  for (let r = 0; r < shownRows; r++) {
    let line = '';
    for (let c = 0; c < perRow; c++) {
      const item = items[c * rowCount + r];
      if (item === undefined) continue;
      const isLast = c === perRow - 1 || items[(c + 1) * rowCount + r] === undefined;
      line += isLast ? item : item + ' '.repeat(cell - width(item));
    }
    lines.push(line);
  }
  const shown = new Set<number>();
  for (let r = 0; r < shownRows; r++) for (let c = 0; c < perRow; c++) if (c * rowCount + r < items.length) shown.add(c * rowCount + r);
  return { lines, hidden: items.length - shown.size };
}
