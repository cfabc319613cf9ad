/**
 * The editing keys every mode that edits a line shares (the >>> prompt, an input() answer, type-ahead while code
 * runs): applied to the LineEditor. Keys with a meaning that depends on the mode (Enter, Tab, ↑/↓, Ctrl+C/D/R/L)
 * are the controller's.
 */
import type { KeyName } from './key-map.js';
import type { LineEditor } from './line-editor.js';

/** Applies an editing key; false when the key is not an editing key. */
export function applyEditKey(editor: LineEditor, key: KeyName): boolean {
  switch (key) {
    case 'left': editor.left(); return true;
    case 'right': editor.right(); return true;
    case 'home': editor.home(); return true;
    case 'end': editor.end(); return true;
    case 'word-left': editor.wordLeft(); return true;
    case 'word-right': editor.wordRight(); return true;
    case 'backspace': editor.backspace(); return true;
    case 'delete': editor.deleteForward(); return true;
    case 'delete-word-back': editor.deleteWordBack(); return true;
    case 'kill-word-back': editor.killWordBack(); return true;
    case 'delete-word-forward': editor.deleteWordForward(); return true;
    case 'kill-line-start': editor.killLineStart(); return true;
    case 'kill-line-end': editor.killLineEnd(); return true;
    case 'yank': editor.yank(); return true;
    default: return false;
  }
}

/** Python counts string positions in code points, JavaScript in UTF-16 units: the completion API needs both. */
export function toCodePoints(text: string, utf16: number): number {
  return [...text.slice(0, utf16)].length;
}

export function toUtf16(text: string, codePoints: number): number {
  let offset = 0;
  let count = 0;
  for (const ch of text) {
    if (count === codePoints) break;
    offset += ch.length;
    count++;
  }
  return offset;
}
