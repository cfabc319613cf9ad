import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columns, commonPrefix } from './completion-view.js';
import { stringWidth } from './unicode-width.js';

test('common prefix of matches', () => {
  assert.equal(commonPrefix(['print(', 'property(']), 'pr');
  assert.equal(commonPrefix(['abc']), 'abc');
  assert.equal(commonPrefix([]), '');
  assert.equal(commonPrefix(['😀a', '😁b']), ''); // never half a surrogate pair
});

test('matches are laid out column-major, padded to the widest, as many columns as fit', () => {
  const items = ['a', 'bb', 'ccc', 'dddd', 'e', 'f', 'g'];
  const { lines, hidden } = columns(items, 20, stringWidth); // cell 6 wide → 3 per row → 3 rows
  assert.deepEqual(lines, ['a     dddd  g', 'bb    e', 'ccc   f']);
  assert.equal(hidden, 0);
  for (const line of lines) assert.ok(stringWidth(line) <= 20);
});

test('one column when nothing else fits; wide characters are padded by cells', () => {
  assert.deepEqual(columns(['a_very_long_name', 'b'], 10, stringWidth).lines, ['a_very_long_name', 'b']);
  assert.deepEqual(columns(['数据', 'ab'], 20, stringWidth).lines, ['数据  ab']);
});

test('long lists are cut with a count of what is not shown', () => {
  const items = Array.from({ length: 100 }, (_, i) => `name${i}`);
  const { lines, hidden } = columns(items, 20, stringWidth, 5); // 2 per row → 50 rows, 5 shown
  assert.equal(lines.length, 5);
  assert.equal(hidden, 90);
});
