/**
 * The edit region each mode shows below the transcript: the >>> / ... prompts with the cell being typed, an input()
 * prompt with its answer (nothing echoed for a password), type-ahead while code runs, Ctrl+R's search line, Ctrl+D's
 * question. Pure: a description the layout draws.
 */
import type { RegionSpec } from './layout.js';
import type { LineEditor } from './line-editor.js';
import type { ReverseSearch } from './reverse-search.js';
import { CONTINUATION_PROMPT, PRIMARY_PROMPT, STYLE } from './transcript.js';

export type Mode = 'starting' | 'prompt' | 'busy' | 'input' | 'search' | 'confirm' | 'observer' | 'dead' | 'closed';

export interface InputRequest {
  token: string;
  prompt: string;
  password: boolean;
}

export interface RegionState {
  mode: Mode;
  editor: LineEditor;
  inputRequest: InputRequest | null;
  search: ReverseSearch | null;
}

export const CONFIRM_CLOSE = 'Close this session for everyone? [y/N] ';

export function buildRegion({ mode, editor, inputRequest, search }: RegionState): RegionSpec | null {
  const cursor = editor.position;
  const lines = editor.lines;
  switch (mode) {
    case 'prompt':
      return {
        lines: lines.map((text, i) => ({ prompt: i === 0 ? PRIMARY_PROMPT : CONTINUATION_PROMPT, promptStyle: STYLE.prompt, text })),
        cursor,
        newlineFirst: true,
      };
    case 'input':
      if (!inputRequest) return null;
      return { lines: lines.map((text, i) => ({ prompt: i === 0 ? inputRequest.prompt : '', text })), cursor, hideText: inputRequest.password };
    case 'busy':
    case 'starting':
      return editor.isEmpty ? null : { lines: lines.map((text) => ({ prompt: '', text })), cursor };
    case 'search': {
      if (!search) return null;
      const before = search.text.slice(0, search.cursor).split('\n');
      return {
        lines: search.text.split('\n').map((text, i) => ({ prompt: i === 0 ? search.prompt : CONTINUATION_PROMPT, promptStyle: STYLE.dim, text })),
        cursor: { line: before.length - 1, offset: before[before.length - 1]!.length },
        newlineFirst: true,
      };
    }
    case 'confirm':
      return { lines: [{ prompt: CONFIRM_CLOSE, promptStyle: STYLE.notice, text: '' }], cursor: { line: 0, offset: 0 }, newlineFirst: true };
    default:
      return null;
  }
}
