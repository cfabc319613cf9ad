/**
 * Where the edit region (prompt + buffer, possibly several lines) lands on a terminal of `cols` columns, and the
 * escape sequences that draw it. Pure: the output writer owns the terminal; this only does the arithmetic, including
 * the two places terminals differ from naive counting: a line that exactly fills the width leaves the cursor
 * "pending" on the last column, and a wide character that does not fit in the last column wraps whole.
 */
import { graphemeStarts } from './line-editor.js';
import type { WidthFn } from './unicode-width.js';

export interface RegionLine {
  /** Plain prompt text (its width counts); `promptStyle` is the SGR sequence it is drawn with. */
  prompt: string;
  promptStyle?: string;
  text: string;
}

export interface RegionSpec {
  lines: RegionLine[];
  /** Where the terminal cursor goes: line index and UTF-16 offset in that line's text. */
  cursor: { line: number; offset: number };
  /** Start on a fresh line when output left the cursor mid-line (the >>> prompt); inline otherwise (input()). */
  newlineFirst?: boolean;
  /** Draw the prompt only (password input): the typed text is not echoed. */
  hideText?: boolean;
}

export interface Drawn {
  text: string;
  /** The row the cursor ends on, counted from the row where drawing started. */
  cursorRow: number;
  /** Rows used, counted the same way (the starting row is row 0). */
  rows: number;
}

const CSI = '\x1b[';
const RESET = '\x1b[0m';

/** How one buffer character is shown: a tab as four spaces, other control characters as ^X. */
export function displayOf(grapheme: string): string {
  if (grapheme === '\t') return '    ';
  const cp = grapheme.codePointAt(0)!;
  if (cp < 0x20) return `^${String.fromCharCode(cp + 64)}`;
  if (cp === 0x7f) return '^?';
  return grapheme;
}

interface Cursorish {
  row: number;
  col: number;
}

class Pen {
  row = 0;
  col: number;
  out = '';

  constructor(
    private readonly cols: number,
    private readonly width: WidthFn,
    startCol: number,
  ) {
    this.col = startCol;
  }

  /** Where a character of width w would be placed next (wrapping first if it does not fit). */
  nextPlace(w: number): Cursorish {
    return this.col >= this.cols || (w > 0 && this.col + w > this.cols) ? { row: this.row + 1, col: 0 } : { row: this.row, col: this.col };
  }

  put(grapheme: string): void {
    const w = this.width(grapheme);
    if (w > 0 && this.col + w > this.cols) {
      this.row++;
      this.col = 0;
    }
    this.out += grapheme;
    this.col += w;
  }

  newline(): void {
    this.out += '\r\n';
    this.row++;
    this.col = 0;
  }
}

function eachGrapheme(s: string, fn: (g: string, index: number) => void): void {
  const starts = graphemeStarts(s);
  for (let i = 0; i + 1 < starts.length; i++) fn(s.slice(starts[i], starts[i + 1]), starts[i]!);
}

/**
 * Draws the region starting at column `startCol` of the current row. With `final` the cursor is left at the end
 * (the region is being committed to the transcript); otherwise it is moved to the spec's cursor.
 */
export function drawRegion(spec: RegionSpec, cols: number, startCol: number, width: WidthFn, final = false): Drawn {
  const pen = new Pen(Math.max(1, cols), width, startCol);
  if (spec.newlineFirst && startCol > 0) pen.newline();
  let target: Cursorish | null = null;
  spec.lines.forEach((line, index) => {
    if (index > 0) pen.newline();
    if (line.prompt) {
      if (line.promptStyle) pen.out += line.promptStyle;
      eachGrapheme(line.prompt, (g) => pen.put(g));
      if (line.promptStyle) pen.out += RESET;
    }
    const isCursorLine = index === spec.cursor.line;
    if (!spec.hideText) {
      eachGrapheme(line.text, (g, offset) => {
        const shown = displayOf(g);
        if (isCursorLine && offset === spec.cursor.offset) target = pen.nextPlace(width([...shown][0]!));
        for (const part of shown === g ? [g] : [...shown]) pen.put(part);
      });
    }
    if (isCursorLine && !target) target = pen.nextPlace(0);
  });
  const endRow = pen.row;
  if (final) return { text: pen.out, cursorRow: endRow, rows: endRow + 1 };
  const to: Cursorish = target ?? pen.nextPlace(0);
  // The cursor is on the last row drawn (on its last column if that row is full); a target below it exists only
  // when that row is exactly full, and a line feed creates it.
  if (to.row > endRow) pen.newline();
  const up = pen.row - to.row;
  pen.out += `${up > 0 ? `${CSI}${up}A` : ''}${CSI}${to.col + 1}G`;
  return { text: pen.out, cursorRow: to.row, rows: Math.max(endRow, to.row) + 1 };
}

/** The sequence that erases a region drawn `rowsUp` rows below the current row's start (0: same row). */
export function eraseFrom(rowsUp: number): string {
  return `\r${rowsUp > 0 ? `${CSI}${rowsUp}A` : ''}${CSI}J`;
}

/**
 * Where the cursor ends after writing `text` (output after the last newline) from column 0: row offset and column
 * (col === cols means the wrap is pending). Null when the text moves the cursor in ways we do not model (cursor
 * up/down, absolute positions): then the region is not drawn until the next newline.
 */
export function simulateLine(text: string, cols: number, width: WidthFn): Cursorish | null {
  let row = 0;
  let col = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '\x1b') {
      const csi = /^\x1b\[([0-9;?]*)[ -/]*([@-~])/.exec(text.slice(i, i + 64));
      if (csi) {
        const n = Math.max(1, Number(csi[1]!.split(';')[0]) || 1);
        if (csi[2] === 'G') col = Math.min(cols - 1, n - 1);
        else if (csi[2] === 'C') col = Math.min(cols - 1, col + n);
        else if (csi[2] === 'D') col = Math.max(0, Math.min(col, cols - 1) - n);
        else if (csi[2] !== 'm' && csi[2] !== 'K') return null;
        i += csi[0].length;
        continue;
      }
      const osc = /^\x1b\][^\x07\x1b]*(\x07|\x1b\\)/.exec(text.slice(i));
      if (osc) {
        i += osc[0].length;
        continue;
      }
      return null;
    }
    if (ch === '\r') col = 0;
    else if (ch === '\b') col = Math.max(0, Math.min(col, cols - 1) - 1);
    else if (ch === '\t') col = Math.min(cols - 1, (Math.floor(col / 8) + 1) * 8);
    else if (ch >= ' ') {
      const cp = text.codePointAt(i)!;
      const g = String.fromCodePoint(cp);
      const w = width(g);
      if (w > 0 && col + w > cols) {
        row++;
        col = 0;
      }
      col += w;
      i += g.length;
      continue;
    }
    i++;
  }
  return { row, col };
}
