/**
 * How session events look in the terminal: the Python REPL's transcript with colour. Pure string formatting; the
 * controller decides which events to show (an owner's own input is already on screen as typed).
 *
 * Colours are palette indices (not RGB) so the dark and light themes both pick readable shades.
 */

export const STYLE = {
  prompt: '\x1b[1;32m', // >>> and ...
  stderr: '\x1b[31m',
  traceback: '\x1b[35m',
  exception: '\x1b[1;35m',
  dim: '\x1b[2m',
  notice: '\x1b[33m',
  reset: '\x1b[0m',
} as const;

export const PRIMARY_PROMPT = '>>> ';
export const CONTINUATION_PROMPT = '... ';

/** A cell as the REPL showed it when typed: >>> on the first line, ... on the rest. */
export function codeEcho(code: string, tag = ''): string {
  const lines = code.split('\n');
  const prompt = (p: string) => `${STYLE.prompt}${p}${STYLE.reset}`;
  const head = `${prompt(PRIMARY_PROMPT)}${lines[0]}${tag ? `  ${STYLE.dim}${tag}${STYLE.reset}` : ''}`;
  return [head, ...lines.slice(1).map((l) => prompt(CONTINUATION_PROMPT) + l)].join('\n') + '\n';
}

/** stdout as is (raw: \r progress bars, colours); stderr in its colour, reset after so it cannot leak. */
export function streamText(stream: 'stdout' | 'stderr', data: string): string {
  return stream === 'stderr' ? `${STYLE.stderr}${data}${STYLE.reset}` : data;
}

/** A value shown by the REPL: its repr on a line of its own. */
export function resultText(repr: string): string {
  return `${repr}\n`;
}

/** A traceback in its own colour, the final "Type: message" line emphasised. */
export function errorText(error: { exception: string; message: string; traceback: string }): string {
  const text = error.traceback || `${error.exception}: ${error.message}\n`;
  const lines = text.replace(/\n$/, '').split('\n');
  // The exception line is the last line that starts at column 0 and is not the header (SyntaxError adds caret lines
  // after "File"; notes may follow the exception line).
  let last = lines.length - 1;
  for (let i = lines.length - 1; i >= 0; i--) {
    if (/^[A-Za-z_][\w.]*(: |$)/.test(lines[i]!) && !lines[i]!.startsWith('Traceback')) {
      last = i;
      break;
    }
  }
  return (
    lines
      .map((line, i) => (i === last ? `${STYLE.exception}${line}${STYLE.reset}` : `${STYLE.traceback}${line}${STYLE.reset}`))
      .join('\n') + '\n'
  );
}

/** What someone else answered to input(), for observers and other owners (null: a password, not shown). */
export function inputEcho(data: string | null): string {
  return `${data === null ? `${STYLE.dim}••••${STYLE.reset}` : data}\n`;
}

export function noticeText(text: string): string {
  return `${STYLE.notice}${text}${STYLE.reset}\n`;
}

export function dimText(text: string): string {
  return `${STYLE.dim}${text}${STYLE.reset}\n`;
}
