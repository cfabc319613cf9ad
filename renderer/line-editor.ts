/**
 * The edit buffer of one cell or one input() answer: text (possibly several lines), a cursor, and the readline-style
 * edits the key map binds. Pure: no DOM, no terminal; the layout turns it into what the terminal shows.
 *
 * The cursor is a UTF-16 offset that always sits on a grapheme boundary (Intl.Segmenter), so one ← or Backspace
 * steps over a whole emoji, a CJK character or a letter with combining accents, as the terminal shows them.
 */

const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
const WORD_CHAR = /^[\p{L}\p{N}\p{M}_]/u;
const INDENT = 4;

/** Grapheme boundaries of a string: [0, …, s.length]. */
export function graphemeStarts(s: string): number[] {
  const starts: number[] = [];
  for (const seg of segmenter.segment(s)) starts.push(seg.index);
  starts.push(s.length);
  return starts;
}

export class LineEditor {
  text = '';
  cursor = 0;
  /** The last killed text (Ctrl+W/U/K, Alt+Backspace/D), for Ctrl+Y. */
  private killed = '';

  set(text: string, cursor = text.length): void {
    this.text = text;
    this.cursor = Math.max(0, Math.min(cursor, text.length));
  }

  clear(): void {
    this.set('');
  }

  get isEmpty(): boolean {
    return this.text.length === 0;
  }

  // ------------------------------------------------------------------ lines

  get lines(): string[] {
    return this.text.split('\n');
  }

  lineStart(at = this.cursor): number {
    return this.text.lastIndexOf('\n', at - 1) + 1;
  }

  lineEnd(at = this.cursor): number {
    const nl = this.text.indexOf('\n', at);
    return nl < 0 ? this.text.length : nl;
  }

  /** Index of the line the cursor is on, and the cursor's offset within it. */
  get position(): { line: number; offset: number } {
    const before = this.text.slice(0, this.cursor);
    const line = before.split('\n').length - 1;
    return { line, offset: this.cursor - this.lineStart() };
  }

  get onFirstLine(): boolean {
    return this.lineStart() === 0;
  }

  get onLastLine(): boolean {
    return this.lineEnd() === this.text.length;
  }

  /** The leading whitespace of the cursor's line (the indent a new line inside a block keeps). */
  get currentIndent(): string {
    const start = this.lineStart();
    return /^[ \t]*/.exec(this.text.slice(start, this.lineEnd()))![0];
  }

  // ------------------------------------------------------------------ moves

  private prevBoundary(at: number): number {
    if (at <= 0) return 0;
    const start = this.lineStart(at);
    if (at === start) return at - 1; // step over the newline onto the previous line
    const starts = graphemeStarts(this.text.slice(start, at));
    return start + starts[starts.length - 2]!;
  }

  private nextBoundary(at: number): number {
    if (at >= this.text.length) return this.text.length;
    const end = this.lineEnd(at);
    if (at === end) return at + 1;
    const starts = graphemeStarts(this.text.slice(at, end));
    return at + starts[1]!;
  }

  left(): void {
    this.cursor = this.prevBoundary(this.cursor);
  }

  right(): void {
    this.cursor = this.nextBoundary(this.cursor);
  }

  home(): void {
    this.cursor = this.lineStart();
  }

  end(): void {
    this.cursor = this.lineEnd();
  }

  /** Whether the grapheme ending at `at` (before) or starting there (after) is a word character. */
  private isWordBefore(at: number): boolean {
    return WORD_CHAR.test(this.text.slice(this.prevBoundary(at), at));
  }

  private isWordAfter(at: number): boolean {
    return WORD_CHAR.test(this.text.slice(at, this.nextBoundary(at)));
  }

  private wordLeftOf(at: number): number {
    let i = at;
    while (i > 0 && !this.isWordBefore(i)) i = this.prevBoundary(i);
    while (i > 0 && this.isWordBefore(i)) i = this.prevBoundary(i);
    return i;
  }

  private wordRightOf(at: number): number {
    let i = at;
    const n = this.text.length;
    while (i < n && !this.isWordAfter(i)) i = this.nextBoundary(i);
    while (i < n && this.isWordAfter(i)) i = this.nextBoundary(i);
    return i;
  }

  wordLeft(): void {
    this.cursor = this.wordLeftOf(this.cursor);
  }

  wordRight(): void {
    this.cursor = this.wordRightOf(this.cursor);
  }

  /**
   * ↑/↓ inside a multi-line cell: to the same display column of the neighbouring line (or its end). False when
   * there is no such line, so the caller can go to history instead.
   */
  verticalMove(direction: -1 | 1, width: (s: string) => number): boolean {
    if (direction < 0 ? this.onFirstLine : this.onLastLine) return false;
    const start = this.lineStart();
    const column = width(this.text.slice(start, this.cursor));
    const targetStart = direction < 0 ? this.lineStart(start - 1) : this.lineEnd() + 1;
    const targetEnd = this.lineEnd(targetStart);
    const starts = graphemeStarts(this.text.slice(targetStart, targetEnd));
    let best = targetStart;
    for (const s of starts) {
      if (width(this.text.slice(targetStart, targetStart + s)) > column) break;
      best = targetStart + s;
    }
    this.cursor = best;
    return true;
  }

  // ------------------------------------------------------------------ edits

  insert(s: string): void {
    this.text = this.text.slice(0, this.cursor) + s + this.text.slice(this.cursor);
    this.cursor += s.length;
  }

  private remove(from: number, to: number, kill = false): void {
    if (to <= from) return;
    if (kill) this.killed = this.text.slice(from, to);
    this.text = this.text.slice(0, from) + this.text.slice(to);
    this.cursor = from;
  }

  /** Backspace; inside the leading indentation it removes back to the previous indent stop (a dedent). */
  backspace(): void {
    const start = this.lineStart();
    const before = this.text.slice(start, this.cursor);
    if (before.length > 0 && /^ +$/.test(before)) {
      const stop = Math.floor((before.length - 1) / INDENT) * INDENT;
      this.remove(start + stop, this.cursor);
      return;
    }
    this.remove(this.prevBoundary(this.cursor), this.cursor);
  }

  deleteForward(): void {
    this.remove(this.cursor, this.nextBoundary(this.cursor));
  }

  /** Alt+Backspace: back to the start of the word (letters, digits, _). */
  deleteWordBack(): void {
    this.remove(this.wordLeftOf(this.cursor), this.cursor, true);
  }

  /** Ctrl+W (readline's unix-word-rubout): back over whitespace, then over non-whitespace. */
  killWordBack(): void {
    let i = this.cursor;
    while (i > 0 && /\s/.test(this.text[i - 1]!) && this.text[i - 1] !== '\n') i--;
    while (i > 0 && !/\s/.test(this.text[i - 1]!)) i = this.prevBoundary(i);
    this.remove(i, this.cursor, true);
  }

  /** Alt+D: forward to the end of the word. */
  deleteWordForward(): void {
    this.remove(this.cursor, this.wordRightOf(this.cursor), true);
  }

  /** Ctrl+U: from the start of the line to the cursor. */
  killLineStart(): void {
    this.remove(this.lineStart(), this.cursor, true);
  }

  /** Ctrl+K: from the cursor to the end of the line; at the end of a line, joins the next one (as Emacs). */
  killLineEnd(): void {
    const end = this.lineEnd();
    this.remove(this.cursor, end === this.cursor && end < this.text.length ? end + 1 : end, true);
  }

  /** Ctrl+Y: inserts the last killed text. */
  yank(): void {
    if (this.killed) this.insert(this.killed);
  }
}
