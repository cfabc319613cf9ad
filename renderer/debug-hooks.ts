/**
 * A small read-only window into the page for tests and for whoever embeds it (the desktop app): the whole terminal
 * buffer as text, whether output is still being written, the REPL's mode. Nothing here can send to the session.
 */
import type { Terminal } from '@xterm/xterm';
import type { Connection } from './connection.js';
import type { OutputWriter } from './output-writer.js';
import type { ReplController } from './repl-controller.js';
import type { StatusBar } from './status-bar.js';

export interface PyreplDebug {
  /** Every line of the terminal (scrollback included), wrapped lines joined, trailing spaces trimmed. */
  bufferText(): string;
  /** Resolves when all output received so far has been drawn. */
  drained(): Promise<void>;
  mode(): string;
  lastSeq(): number;
  writtenChars(): number;
  pendingChars(): number;
  /** Whether the page has asked the server to hold output back (its backlog is over the high watermark). */
  backlogFull(): boolean;
  status(): Record<string, unknown>;
}

declare global {
  interface Window {
    pyreplDebug?: PyreplDebug;
  }
}

export function exposeDebugHooks(parts: { term: Terminal; writer: OutputWriter; repl: ReplController; connection: Connection; status: StatusBar }): void {
  const { term, writer, repl, connection, status } = parts;
  window.pyreplDebug = {
    bufferText() {
      const buffer = term.buffer.active;
      const lines: string[] = [];
      for (let y = 0; y < buffer.length; y++) {
        const line = buffer.getLine(y);
        if (!line) continue;
        const continued = buffer.getLine(y + 1)?.isWrapped ?? false;
        const text = line.translateToString(!continued); // keep spaces that continue on the next row
        if (line.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
        else lines.push(text);
      }
      return lines.join('\n').replace(/\s+$/, '');
    },
    drained: () => writer.whenIdle(),
    mode: () => repl.mode,
    lastSeq: () => connection.lastSeq,
    writtenChars: () => writer.written,
    pendingChars: () => writer.pending,
    backlogFull: () => writer.isBacklogFull,
    status: () => ({ ...status.model }),
  };
}
