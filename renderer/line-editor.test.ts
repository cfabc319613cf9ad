import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineEditor } from './line-editor.js';
import { stringWidth } from './unicode-width.js';

function editor(text: string, cursor = text.length): LineEditor {
  const e = new LineEditor();
  e.set(text, cursor);
  return e;
}

/** The text with a | where the cursor is. */
const show = (e: LineEditor) => `${e.text.slice(0, e.cursor)}|${e.text.slice(e.cursor)}`;

test('insert, ←/→, Home/End (Ctrl+A/E) on one line', () => {
  const e = editor('');
  e.insert('print(1)');
  e.left();
  e.left();
  assert.equal(show(e), 'print(|1)');
  e.right();
  assert.equal(show(e), 'print(1|)');
  e.home();
  assert.equal(show(e), '|print(1)');
  e.left(); // nothing before: stays
  assert.equal(show(e), '|print(1)');
  e.end();
  assert.equal(show(e), 'print(1)|');
  e.right();
  assert.equal(show(e), 'print(1)|');
});

test('Backspace and Delete', () => {
  const e = editor('abcd', 2);
  e.backspace();
  assert.equal(show(e), 'a|cd');
  e.deleteForward();
  assert.equal(show(e), 'a|d');
  e.home();
  e.backspace();
  assert.equal(show(e), '|ad');
  e.end();
  e.deleteForward();
  assert.equal(show(e), 'ad|');
});

test('Backspace in the indentation dedents to the previous stop of 4', () => {
  const e = editor('if x:\n        ');
  e.backspace();
  assert.equal(e.text, 'if x:\n    ');
  e.backspace();
  assert.equal(e.text, 'if x:\n');
  const odd = editor('  ');
  odd.backspace();
  assert.equal(odd.text, '');
  const code = editor('    x');
  code.backspace(); // not in the indentation: one character
  assert.equal(code.text, '    ');
});

test('Alt+←/→ move by words (letters, digits, _), Alt+Backspace and Alt+D delete words', () => {
  const e = editor('foo.bar_baz(12, x)');
  e.wordLeft();
  assert.equal(show(e), 'foo.bar_baz(12, |x)');
  e.wordLeft();
  assert.equal(show(e), 'foo.bar_baz(|12, x)');
  e.wordLeft();
  assert.equal(show(e), 'foo.|bar_baz(12, x)');
  e.wordRight();
  assert.equal(show(e), 'foo.bar_baz|(12, x)');
  e.deleteWordBack();
  assert.equal(show(e), 'foo.|(12, x)');
  e.home();
  e.deleteWordForward();
  assert.equal(show(e), '|.(12, x)');
});

test('Ctrl+W deletes back to whitespace (unix-word-rubout); Ctrl+Y yanks it back', () => {
  const e = editor('x = foo.bar(1)  ');
  e.killWordBack();
  assert.equal(show(e), 'x = |');
  e.killWordBack();
  assert.equal(show(e), 'x |');
  e.yank();
  assert.equal(show(e), 'x = |');
});

test('Ctrl+U kills to the line start, Ctrl+K to the line end (joining lines at the end)', () => {
  const e = editor('abc def', 4);
  e.killLineStart();
  assert.equal(show(e), '|def');
  e.yank();
  assert.equal(show(e), 'abc |def');
  e.killLineEnd();
  assert.equal(show(e), 'abc |');
  const block = editor('a = 1\nb = 2', 5);
  block.killLineEnd(); // at the end of line 1: joins line 2
  assert.equal(show(block), 'a = 1|b = 2');
  const second = editor('a = 1\nb = 2', 10);
  second.killLineStart(); // only within the current line
  assert.equal(show(second), 'a = 1\n|2');
});

test('wide characters and emoji move and delete as one, whatever their UTF-16 length', () => {
  const e = editor('a中😀b');
  e.left();
  assert.equal(show(e), 'a中😀|b');
  e.left();
  assert.equal(show(e), 'a中|😀b');
  e.left();
  assert.equal(show(e), 'a|中😀b');
  e.right();
  e.deleteForward();
  assert.equal(show(e), 'a中|b');
  e.backspace();
  assert.equal(show(e), 'a|b');
});

test('combining marks and ZWJ sequences are one grapheme', () => {
  const e = editor('e\u0301x'); // é as e + combining acute
  e.left();
  e.left();
  assert.equal(e.cursor, 0);
  const family = '👨‍👩‍👧';
  const f = editor(`${family}!`);
  f.left();
  f.backspace();
  assert.equal(f.text, '!');
  const flag = editor('🇫🇷');
  flag.backspace();
  assert.equal(flag.text, '');
});

test('words include letters of any script', () => {
  const e = editor('x = überall + 数据');
  e.wordLeft();
  assert.equal(show(e), 'x = überall + |数据');
  e.wordLeft();
  assert.equal(show(e), 'x = |überall + 数据');
});

test('multi-line: ←/→ cross lines, Home/End stay in the line, ↑/↓ keep the display column', () => {
  const e = editor('def f():\n    return 1', 9);
  assert.deepEqual(e.position, { line: 1, offset: 0 });
  e.left();
  assert.deepEqual(e.position, { line: 0, offset: 8 });
  e.right();
  e.end();
  assert.equal(e.cursor, e.text.length);
  e.home();
  assert.deepEqual(e.position, { line: 1, offset: 0 });
  e.end();
  assert.equal(e.verticalMove(-1, stringWidth), true);
  assert.deepEqual(e.position, { line: 0, offset: 8 }); // line 0 is shorter: its end
  assert.equal(e.verticalMove(-1, stringWidth), false); // first line: the caller goes to history
  assert.equal(e.verticalMove(1, stringWidth), true);
  assert.deepEqual(e.position, { line: 1, offset: 8 });
  assert.equal(e.verticalMove(1, stringWidth), false);
});

test('↑/↓ count wide characters by their cells', () => {
  const e = editor('中文字\nabcdef', 7); // after "abc" (3 cells): lands after 中 (2 cells), before the 4th cell
  e.verticalMove(-1, stringWidth);
  assert.equal(show(e), '中|文字\nabcdef');
  e.right();
  e.verticalMove(1, stringWidth);
  assert.equal(show(e), '中文字\nabcd|ef');
});

test('currentIndent and line boundaries', () => {
  const e = editor('if x:\n    y = 1', 12);
  assert.equal(e.currentIndent, '    ');
  assert.equal(e.onFirstLine, false);
  assert.equal(e.onLastLine, true);
  assert.deepEqual(e.lines, ['if x:', '    y = 1']);
});
