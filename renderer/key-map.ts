/**
 * Turns what xterm.js reports as typed (onData: characters and the escape sequences a VT terminal sends for keys)
 * into REPL key actions. Pure and DOM-free so every binding is unit-tested. A bracketed paste (ESC[200~ … ESC[201~,
 * enabled by writing ESC[?2004h) becomes one `paste` action, however it is split across onData calls.
 */

export type KeyName =
  | 'enter' | 'newline' | 'tab' | 'shift-tab' | 'escape'
  | 'backspace' | 'delete' | 'delete-word-back' | 'kill-word-back' | 'delete-word-forward'
  | 'kill-line-start' | 'kill-line-end' | 'yank'
  | 'left' | 'right' | 'up' | 'down' | 'home' | 'end' | 'word-left' | 'word-right'
  | 'reverse-search' | 'forward-search' | 'cancel' | 'interrupt' | 'eof' | 'clear-screen'
  | 'page-up' | 'page-down';

export type KeyAction = { type: 'key'; name: KeyName } | { type: 'insert'; text: string } | { type: 'paste'; text: string };

const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

/** Single control characters (Ctrl+letter and friends). */
const CONTROL: Record<string, KeyName> = {
  '\r': 'enter',
  '\n': 'newline', // Ctrl+J: like Alt+Enter, a new line inside the cell
  '\t': 'tab',
  '\x7f': 'backspace',
  '\b': 'backspace',
  '\x01': 'home',
  '\x05': 'end',
  '\x02': 'left',
  '\x06': 'right',
  '\x10': 'up',
  '\x0e': 'down',
  '\x17': 'kill-word-back',
  '\x15': 'kill-line-start',
  '\x0b': 'kill-line-end',
  '\x19': 'yank',
  '\x12': 'reverse-search',
  '\x13': 'forward-search',
  '\x07': 'cancel',
  '\x03': 'interrupt',
  '\x04': 'eof',
  '\x0c': 'clear-screen',
};

/** ESC followed by one character: what xterm sends for Alt+key (macOptionIsMeta / Linux). */
const ALT: Record<string, KeyName> = {
  '\x7f': 'delete-word-back',
  '\b': 'delete-word-back',
  '\r': 'newline',
  b: 'word-left',
  f: 'word-right',
  d: 'delete-word-forward',
};

/** CSI / SS3 final parts: arrows with modifiers (1;3 = Alt, 1;5 = Ctrl) move by words. */
function csiKey(params: string, final: string): KeyName | null {
  const mod = params.includes(';') ? Number(params.split(';')[1]) : 1;
  const word = mod === 3 || mod === 5 || mod === 9;
  switch (final) {
    case 'A': return 'up';
    case 'B': return 'down';
    case 'C': return word ? 'word-right' : 'right';
    case 'D': return word ? 'word-left' : 'left';
    case 'H': return 'home';
    case 'F': return 'end';
    case 'Z': return 'shift-tab';
    case '~': {
      const code = params.split(';')[0];
      if (code === '1' || code === '7') return 'home';
      if (code === '4' || code === '8') return 'end';
      if (code === '3') return word ? 'delete-word-forward' : 'delete';
      if (code === '5') return 'page-up';
      if (code === '6') return 'page-down';
      return null;
    }
    default: return null;
  }
}

const CSI_RE = /^\x1b\[([0-9;?]*)[ -/]*([@-~])/;
const SS3_RE = /^\x1bO([A-Za-z])/;

export class KeyParser {
  /** A bracketed paste whose end marker has not arrived yet. */
  private pasting: string | null = null;

  parse(data: string): KeyAction[] {
    const out: KeyAction[] = [];
    let rest = data;
    while (rest.length > 0) {
      if (this.pasting !== null) {
        const end = rest.indexOf(PASTE_END);
        if (end < 0) {
          this.pasting += rest;
          break;
        }
        out.push({ type: 'paste', text: normalizeNewlines(this.pasting + rest.slice(0, end)) });
        this.pasting = null;
        rest = rest.slice(end + PASTE_END.length);
        continue;
      }
      if (rest.startsWith(PASTE_START)) {
        this.pasting = '';
        rest = rest.slice(PASTE_START.length);
        continue;
      }
      const ch = rest[0]!;
      if (ch === '\x1b') {
        const csi = CSI_RE.exec(rest);
        if (csi) {
          const name = csiKey(csi[1]!, csi[2]!);
          if (name) out.push({ type: 'key', name });
          rest = rest.slice(csi[0].length);
          continue;
        }
        const ss3 = SS3_RE.exec(rest);
        if (ss3) {
          const name = csiKey('', ss3[1]!);
          if (name) out.push({ type: 'key', name });
          rest = rest.slice(ss3[0].length);
          continue;
        }
        const next = rest[1];
        if (next === undefined) out.push({ type: 'key', name: 'escape' });
        else if (ALT[next]) out.push({ type: 'key', name: ALT[next]! });
        rest = rest.slice(next === undefined ? 1 : 2); // other Alt+key combinations are not bound
        continue;
      }
      const control = CONTROL[ch];
      if (control) {
        out.push({ type: 'key', name: control });
        rest = rest.slice(1);
        continue;
      }
      if (ch < ' ') {
        rest = rest.slice(1); // unbound control character
        continue;
      }
      // A run of printable text (typing, IME commits, a paste outside bracketed mode has \r and is split above).
      let end = 1;
      while (end < rest.length && rest[end]! >= ' ' && rest[end] !== '\x7f') end++;
      out.push({ type: 'insert', text: rest.slice(0, end) });
      rest = rest.slice(end);
    }
    return out;
  }
}

/** Pasted text arrives with \r line ends (xterm converts them for the terminal); the buffer keeps \n. */
export function normalizeNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}
