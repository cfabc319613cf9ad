/**
 * What Enter does at the >>> prompt, from the server's is_complete answer: run the cell, or continue it on a new line
 * with the indent Python expects. The rules of the interactive interpreter: an unfinished statement continues; a
 * blank line ends a block; Enter inside a block (not on its last line) just opens a new line there.
 */

export type IsCompleteStatus = 'complete' | 'incomplete' | 'invalid';

export type EnterDecision = { action: 'submit'; code: string } | { action: 'newline'; indent: string };

/** The code to ask is_complete about: trailing spaces of an auto-indented blank last line would read as "more". */
export function codeToCheck(text: string): string {
  return text.replace(/[ \t]+$/, '');
}

/** Whether Enter can be decided without the server: an empty cell runs (a new prompt), a mid-block Enter splits. */
export function decideLocally(text: string, cursorOnLastLine: boolean, currentIndent: string): EnterDecision | null {
  if (text.trim() === '') return { action: 'submit', code: '' };
  if (!cursorOnLastLine) return { action: 'newline', indent: currentIndent };
  return null;
}

export function decideEnter(text: string, status: IsCompleteStatus, indent: string): EnterDecision {
  const lines = text.split('\n');
  const lastBlank = lines.length > 1 && lines[lines.length - 1]!.trim() === '';
  if (status === 'incomplete' && !(lastBlank && !indentOpensBracket(text))) return { action: 'newline', indent };
  return { action: 'submit', code: stripTrailingBlankLines(text) };
}

/** Inside an open bracket a blank line does not end anything (Python keeps reading); elsewhere it ends the block. */
function indentOpensBracket(text: string): boolean {
  let depth = 0;
  let quote: string | null = null;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === '\n' && quote.length === 1) quote = null; // an unterminated '…' ends at the line end
      else if (text.startsWith(quote, i)) {
        i += quote.length - 1;
        quote = null;
      }
      continue;
    }
    if (ch === '#') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl;
    } else if (ch === '"' || ch === "'") quote = text.startsWith(ch.repeat(3), i) ? (i += 2, ch.repeat(3)) : ch;
    else if ('([{'.includes(ch)) depth++;
    else if (')]}'.includes(ch)) depth = Math.max(0, depth - 1);
  }
  return depth > 0 || quote !== null;
}

export function stripTrailingBlankLines(text: string): string {
  return text.replace(/(\n[ \t]*)+$/, '');
}
