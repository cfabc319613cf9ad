import { test } from 'node:test';
import assert from 'node:assert/strict';
import { drawRegion, eraseFrom, simulateLine, type RegionSpec } from './layout.js';
import { clipRegion } from './region-clip.js';
import { HeadlessScreen } from './testing/headless-screen.js';
import { stringWidth } from './unicode-width.js';

/** Draws a spec on a real (headless) xterm and returns the screen and where the cursor ended. */
async function render(spec: RegionSpec, cols: number, before = '') {
  const screen = new HeadlessScreen(cols, 8);
  const at = simulateLine(before, cols, stringWidth)!;
  const drawn = drawRegion(spec, cols, at.col, stringWidth);
  screen.term.write(before + drawn.text);
  await screen.flush();
  return { screen: screen.screen(), cursor: screen.cursor(), drawn, head: screen };
}

const prompt = (lines: string[], cursor = { line: lines.length - 1, offset: lines[lines.length - 1]!.length }): RegionSpec => ({
  lines: lines.map((text, i) => ({ prompt: i === 0 ? '>>> ' : '... ', text })),
  cursor,
});

test('the cursor lands after the typed text, then wherever the editor puts it', async () => {
  let r = await render(prompt(['x = 1']), 20);
  assert.deepEqual(r.screen.slice(0, 1), ['>>> x = 1']);
  assert.deepEqual(r.cursor, { x: 9, y: 0 });
  r = await render(prompt(['def f():', '    return 1'], { line: 0, offset: 4 }), 20);
  assert.deepEqual(r.screen.slice(0, 2), ['>>> def f():', '...     return 1']);
  assert.deepEqual(r.cursor, { x: 8, y: 0 });
  assert.equal(r.drawn.cursorRow, 0);
});

test('long lines wrap; a line exactly filling the width puts the cursor on the next row', async () => {
  let r = await render(prompt(['abcdefghijkl']), 10); // 4 + 12 = 16 cells
  assert.deepEqual(r.screen.slice(0, 2), ['>>> abcdef', 'ghijkl']);
  assert.deepEqual(r.cursor, { x: 6, y: 1 });
  r = await render(prompt(['abcdef']), 10); // exactly 10 cells
  assert.deepEqual(r.cursor, { x: 0, y: 1 });
  assert.equal(r.drawn.cursorRow, 1);
});

test('a wide character that does not fit in the last column wraps whole, as xterm does', async () => {
  const r = await render(prompt(['abcde中x'], { line: 0, offset: 5 }), 10); // 中 would start at column 9
  assert.deepEqual(r.screen.slice(0, 2), ['>>> abcde', '中x']);
  assert.deepEqual(r.cursor, { x: 0, y: 1 }); // the cursor is on 中, where it is drawn
});

test('emoji, CJK and combining characters: the cursor is where the editor says, cell for cell', async () => {
  const text = 'e\u0301😀中a';
  const offsets = [0, 2, 4, 5, 6]; // grapheme starts of e+◌́, 😀, 中, a, end
  const cells = [4, 5, 7, 9, 10];
  for (let i = 0; i < offsets.length; i++) {
    const r = await render(prompt([text], { line: 0, offset: offsets[i]! }), 30);
    assert.equal(r.cursor.x, cells[i], `offset ${offsets[i]}`);
  }
});

test('tabs and control characters show as spaces and ^X, and the cursor agrees', async () => {
  const r = await render(prompt(['\tx\x01']), 30);
  assert.equal(r.screen[0], '>>>     x^A');
  assert.equal(r.cursor.x, 11);
});

test('a password region shows the prompt only', async () => {
  const r = await render({ lines: [{ prompt: 'Password: ', text: 'secret' }], cursor: { line: 0, offset: 6 }, hideText: true }, 30);
  assert.equal(r.screen[0]!.trimEnd(), 'Password:');
  assert.equal(r.cursor.x, 10);
});

test('continuing a partial output line, and erasing back to its start', async () => {
  const before = 'progress 50%';
  const r = await render({ lines: [{ prompt: '', text: 'typed' }], cursor: { line: 0, offset: 5 } }, 15, before);
  assert.deepEqual(r.screen.slice(0, 2), ['progress 50%typ', 'ed']);
  // Erasing goes back to the start of the output line (the writer then writes that line again).
  r.head.term.write(eraseFrom(r.drawn.cursorRow) + before + '!');
  await r.head.flush();
  assert.deepEqual(r.head.screen().slice(0, 2), ['progress 50%!', '']);
  const fresh = await render({ lines: [{ prompt: '>>> ', text: '' }], cursor: { line: 0, offset: 0 }, newlineFirst: true }, 15, 'no newline');
  assert.deepEqual(fresh.screen.slice(0, 2), ['no newline', '>>>']);
});

test('simulateLine follows \\r, tabs, SGR and wide characters; cursor moves it cannot follow give null', () => {
  assert.deepEqual(simulateLine('abc', 10, stringWidth), { row: 0, col: 3 });
  assert.deepEqual(simulateLine('abcdefghij', 10, stringWidth), { row: 0, col: 10 });
  assert.deepEqual(simulateLine('abcdefghijk', 10, stringWidth), { row: 1, col: 1 });
  assert.deepEqual(simulateLine('50%\r60%', 10, stringWidth), { row: 0, col: 3 });
  assert.deepEqual(simulateLine('\x1b[31mred\x1b[0m\t|', 20, stringWidth), { row: 0, col: 9 });
  assert.deepEqual(simulateLine('中中中中中中', 10, stringWidth), { row: 1, col: 2 });
  assert.equal(simulateLine('\x1b[2Aup', 10, stringWidth), null);
});

test('a region taller than the screen shows a window around the cursor', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i}`);
  const clipped = clipRegion(prompt(lines, { line: 15, offset: 0 }), 40, stringWidth, 10);
  const texts = clipped.lines.map((l) => l.prompt + l.text);
  assert.ok(texts[0]!.includes('more lines above'));
  assert.ok(texts[texts.length - 1]!.includes('more lines below'));
  assert.ok(clipped.lines.length <= 10);
  assert.equal(clipped.lines[clipped.cursor.line]!.text, 'line 15');
  const small = prompt(['a', 'b']);
  assert.equal(clipRegion(small, 40, stringWidth, 10), small);
});
