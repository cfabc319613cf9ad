/**
 * The only writer to the terminal. It interleaves two things: the session's output (possibly megabytes, arriving
 * faster than xterm.js can parse) and the edit region (prompt + line being typed) that must stay below the output and
 * answer keystrokes at once.
 *
 * Flow control: output waits in our backlog and is handed to xterm in chunks, at most `maxInFlight` unparsed at a
 * time (xterm's write callback says when one is parsed). xterm's own queue therefore stays short, so a keystroke's
 * redraw, written straight away, is parsed within a chunk or two instead of after megabytes. (A browser WebSocket
 * cannot be paused, so the backlog is where a fast stream waits; the page stays responsive while it drains.)
 * The backlog itself is bounded by asking the server to hold output back (`onBacklog(true)`, sent as a `flow`
 * message) above a high watermark and to go on below a low one: for the owner the server stops reading the worker,
 * so `while True: print(...)` blocks in Python instead of filling the page's memory.
 *
 * Around every output chunk the region is erased and drawn again below it. Output that ends mid-line (a progress bar,
 * print(end="")) is remembered (`partial`) so erasing the region can restore that line, and the region continues on it.
 */
import { drawRegion, eraseFrom, simulateLine, type RegionSpec } from './layout.js';
import { clipRegion } from './region-clip.js';
import type { WidthFn } from './unicode-width.js';

export interface TerminalSink {
  write(data: string, callback: () => void): void;
  readonly cols: number;
  readonly rows: number;
}

export interface WriterOptions {
  /** Characters per chunk handed to xterm. */
  chunkChars?: number;
  /** Chunks handed to xterm and not yet parsed. */
  maxInFlight?: number;
  /** Longest unfinished output line we keep to redraw; past it the region waits for the line to end. */
  partialLimit?: number;
  /** Told when the backlog crosses the watermarks: true above `backlogHigh`, false again below `backlogLow`. */
  onBacklog?: (full: boolean) => void;
  backlogHigh?: number;
  backlogLow?: number;
}

/** Output characters waiting in the page before it asks the server to hold back: ~70 chunks, seconds of parsing. */
export const BACKLOG_HIGH_CHARS = 4 * 1024 * 1024;
/** ...and resumes below this, so a stream does not flap between the two on every chunk. */
export const BACKLOG_LOW_CHARS = 1024 * 1024;

const LINE_START = Symbol('line-start');
type Item = string | typeof LINE_START;

/** Whether the unfinished output line has nothing on it (escape sequences such as a colour reset do not count). */
function atLineStart(partial: string | null): boolean {
  return partial !== null && partial.replace(/\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(\x07|\x1b\\)|\r/g, '') === '';
}

function isEmpty(spec: RegionSpec): boolean {
  return spec.lines.every((l) => !l.prompt && (spec.hideText || !l.text));
}

export class OutputWriter {
  private readonly backlog: Item[] = [];
  private backlogChars = 0;
  /** Writes handed to xterm and not parsed yet: all of them, and those carrying output (what flow control limits). */
  private inflight = 0;
  private inflightChunks = 0;
  /** Rows from the cursor up to the first row of the unfinished output line, while the region is drawn. */
  private shownRowsUp: number | null = null;
  /** Output after the last newline (null: too long or not modelled). */
  private partial: string | null = '';
  private region: () => RegionSpec | null = () => null;
  private holding = false;
  private hold: (() => void) | null = null;
  private readonly deferred: (() => void)[] = [];
  private idleWaiters: (() => void)[] = [];
  private readonly chunkChars: number;
  private readonly maxInFlight: number;
  private readonly partialLimit: number;
  private readonly backlogHigh: number;
  private readonly backlogLow: number;
  private backlogFull = false;
  /** Characters of output handed to the terminal so far (for measurements). */
  written = 0;

  constructor(
    private readonly sink: TerminalSink,
    private readonly width: WidthFn,
    private readonly options: WriterOptions = {},
  ) {
    this.chunkChars = options.chunkChars ?? 64 * 1024;
    this.maxInFlight = options.maxInFlight ?? 2;
    this.partialLimit = options.partialLimit ?? 4096;
    this.backlogHigh = options.backlogHigh ?? BACKLOG_HIGH_CHARS;
    this.backlogLow = options.backlogLow ?? BACKLOG_LOW_CHARS;
  }

  /** Whether the backlog is above the high watermark (and has not yet drained below the low one). */
  get isBacklogFull(): boolean {
    return this.backlogFull;
  }

  setRegion(provider: () => RegionSpec | null): void {
    this.region = provider;
  }

  /** Output characters not yet handed to the terminal. */
  get pending(): number {
    return this.backlogChars;
  }

  get idle(): boolean {
    return this.backlog.length === 0 && this.inflight === 0 && !this.holding;
  }

  /** Resolves once all output so far has been parsed by the terminal. */
  whenIdle(): Promise<void> {
    return this.idle ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  output(text: string): void {
    if (!text) return;
    this.backlog.push(text);
    this.backlogChars += text.length;
    this.pump();
    if (!this.backlogFull && this.backlogChars > this.backlogHigh) {
      this.backlogFull = true;
      this.options.onBacklog?.(true);
    }
  }

  /** Makes the next output start at column 0 (a result or traceback after print(end="")). */
  lineStart(): void {
    this.backlog.push(LINE_START);
    this.pump();
  }

  /** The region changed (a keystroke): redraw it now, ahead of any backlog. */
  redraw(): void {
    if (this.holding) return;
    this.send(this.hideRegion() + this.showRegion());
  }

  /** Leaves `final` (the region as it should stay in the transcript) followed by a newline, then draws the new region. */
  commit(final: RegionSpec | null): void {
    if (this.holding) return void this.deferred.push(() => this.commit(final));
    let text = this.hideRegion();
    if (final) {
      const at = this.partial === null ? null : simulateLine(this.partial, this.sink.cols, this.width);
      if (!at) text += '\r\n';
      text += `${drawRegion(final, this.sink.cols, at ? at.col : 0, this.width, true).text}\r\n`;
      this.partial = '';
    }
    this.send(text + this.showRegion());
  }

  /** Ctrl+L: clears the screen and the scrollback, keeps the region. */
  clearScreen(): void {
    if (this.holding) return void this.deferred.push(() => this.clearScreen());
    this.shownRowsUp = null;
    this.partial = '';
    this.send(`\x1b[H\x1b[2J\x1b[3J${this.showRegion()}`);
  }

  /**
   * Runs `resize` once the terminal has parsed everything and the region is erased, then redraws: xterm reflows the
   * transcript on resize, but our region's geometry is ours to recompute.
   */
  whileErased(resize: () => void): void {
    this.holding = true;
    this.hold = resize;
    this.releaseHold();
  }

  private releaseHold(): void {
    if (!this.hold || this.inflight > 0) return;
    const resize = this.hold;
    this.hold = null;
    this.send(this.hideRegion(), () => {
      resize();
      this.holding = false;
      this.send(this.showRegion());
      for (const action of this.deferred.splice(0)) action();
      this.pump();
    });
  }

  private hideRegion(): string {
    if (this.shownRowsUp === null) return '';
    const text = eraseFrom(this.shownRowsUp) + (this.partial ?? '');
    this.shownRowsUp = null;
    return text;
  }

  private showRegion(): string {
    const spec = this.region();
    if (!spec || isEmpty(spec) || this.partial === null) return '';
    const at = simulateLine(this.partial, this.sink.cols, this.width);
    if (!at) return '';
    const room = Math.max(1, this.sink.rows - at.row - 1);
    const drawn = drawRegion(clipRegion(spec, this.sink.cols, this.width, room), this.sink.cols, at.col, this.width);
    this.shownRowsUp = drawn.cursorRow + at.row;
    return drawn.text;
  }

  private pump(): void {
    while (!this.holding && this.inflightChunks < this.maxInFlight && this.backlog.length > 0) {
      const chunk = this.takeChunk();
      const hide = this.hideRegion();
      this.partial = this.advancePartial(this.partial, chunk);
      this.written += chunk.length;
      this.send(hide + chunk + this.showRegion(), undefined, true);
    }
    if (this.backlogFull && this.backlogChars < this.backlogLow) {
      this.backlogFull = false;
      this.options.onBacklog?.(false);
    }
    if (this.idle) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private takeChunk(): string {
    let chunk = '';
    while (this.backlog.length > 0 && chunk.length < this.chunkChars) {
      const item = this.backlog[0]!;
      if (item === LINE_START) {
        this.backlog.shift();
        if (!atLineStart(this.advancePartial(this.partial, chunk))) chunk += '\r\n';
        continue;
      }
      const room = this.chunkChars - chunk.length;
      let cut = item.length;
      if (item.length > room) {
        // Prefer ending a chunk at a newline: the region then redraws on a fresh line, not inside an output line.
        const nl = item.lastIndexOf('\n', room - 1);
        cut = nl >= room / 2 ? nl + 1 : room;
        if (/[\uD800-\uDBFF]/.test(item[cut - 1]!)) cut--; // keep surrogate pairs together
      }
      chunk += item.slice(0, cut);
      this.backlogChars -= cut;
      if (cut === item.length) this.backlog.shift();
      else this.backlog[0] = item.slice(cut);
    }
    return chunk;
  }

  private advancePartial(partial: string | null, chunk: string): string | null {
    const nl = chunk.lastIndexOf('\n');
    const tail = nl >= 0 ? chunk.slice(nl + 1) : partial === null ? null : partial + chunk;
    return tail !== null && tail.length > this.partialLimit ? null : tail;
  }

  private send(text: string, done?: () => void, isChunk = false): void {
    if (!text) {
      done?.();
      return;
    }
    this.inflight++;
    if (isChunk) this.inflightChunks++;
    this.sink.write(text, () => {
      this.inflight--;
      if (isChunk) this.inflightChunks--;
      done?.();
      this.releaseHold();
      this.pump();
    });
  }
}
