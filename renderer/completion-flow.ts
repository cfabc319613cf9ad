/**
 * What Tab does with the server's matches, as readline does: one match is inserted; several insert their common
 * prefix, or (when there is nothing more in common) are listed in columns under the line, and the prompt comes back
 * below the list with the line unchanged.
 */
import { columns, commonPrefix } from './completion-view.js';
import type { ReplController } from './repl-controller.js';
import { dimText } from './transcript.js';

const MAX_LISTED_ROWS = 20;

export function showCompletions(controller: ReplController, matches: string[], start: number, end: number): void {
  const { editor, deps } = controller;
  if (matches.length === 0) return;
  const typed = editor.text.slice(start, end);
  const insert = matches.length === 1 ? matches[0]! : commonPrefix(matches);
  if (insert.length > typed.length || (matches.length === 1 && insert !== typed)) {
    editor.set(editor.text.slice(0, start) + insert + editor.text.slice(end), start + insert.length);
    return controller.redraw();
  }
  if (matches.length === 1) return;
  // As readline lists them: attribute names without the "module." every match repeats.
  const dot = typed.lastIndexOf('.') + 1;
  const shown = matches.map((m) => (dot > 0 && m.startsWith(typed.slice(0, dot)) ? m.slice(dot) : m));
  const { lines, hidden } = columns(shown, deps.cols(), deps.width, MAX_LISTED_ROWS);
  deps.writer.commit(controller.region());
  deps.writer.output(lines.join('\n') + '\n');
  if (hidden > 0) deps.writer.output(dimText(`… and ${hidden} more`));
}
