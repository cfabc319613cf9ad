/**
 * A real xterm.js terminal without a DOM (@xterm/headless, the same parser and buffer as the page's) for unit tests:
 * what the output writer and the layout produce is checked on the screen it makes, not on escape strings.
 */
import headless from '@xterm/headless';
import { Unicode11Addon } from '@xterm/addon-unicode11';
import type { TerminalSink } from '../output-writer.js';

const { Terminal } = headless;

export class HeadlessScreen implements TerminalSink {
  readonly term: InstanceType<typeof Terminal>;

  constructor(cols = 40, rows = 10) {
    this.term = new Terminal({ cols, rows, allowProposedApi: true, convertEol: true, scrollback: 1000 });
    this.term.loadAddon(new Unicode11Addon() as never);
    this.term.unicode.activeVersion = '11';
  }

  get cols(): number {
    return this.term.cols;
  }

  get rows(): number {
    return this.term.rows;
  }

  write(data: string, callback: () => void): void {
    this.term.write(data, callback);
  }

  /** Resolves once everything written so far is parsed. */
  flush(): Promise<void> {
    return new Promise((resolve) => this.term.write('', resolve));
  }

  /** The visible rows, right-trimmed. */
  screen(): string[] {
    const buffer = this.term.buffer.active;
    const rows: string[] = [];
    for (let y = 0; y < this.term.rows; y++) rows.push(buffer.getLine(buffer.viewportY + y)!.translateToString(true).trimEnd());
    return rows;
  }

  /** Every line of the buffer (scrollback included), right-trimmed, without trailing empty lines. */
  lines(): string[] {
    const buffer = this.term.buffer.active;
    const lines: string[] = [];
    for (let y = 0; y < buffer.length; y++) lines.push(buffer.getLine(y)!.translateToString(true).trimEnd());
    while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
    return lines;
  }

  /** Cursor position in the visible screen. */
  cursor(): { x: number; y: number } {
    const buffer = this.term.buffer.active;
    return { x: buffer.cursorX, y: buffer.cursorY };
  }
}
