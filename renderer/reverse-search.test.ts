import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History } from './history.js';
import { ReverseSearch } from './reverse-search.js';

test('Ctrl+R narrows as you type, steps to older matches, reports failure, and can be cancelled', () => {
  const h = new History(null, 'k');
  for (const e of ['import os', 'x = 1', 'os.getcwd()', 'print(x)']) h.add(e);
  const s = new ReverseSearch(h, { text: 'draft', cursor: 2 });
  assert.equal(s.text, 'draft');
  s.type('o');
  assert.equal(s.text, 'os.getcwd()');
  s.type('s');
  assert.equal(s.text, 'os.getcwd()');
  s.older();
  assert.equal(s.text, 'import os');
  assert.equal(s.cursor, 7);
  s.older(); // no older match: stays, marked failed
  assert.equal(s.text, 'import os');
  assert.match(s.prompt, /^\(failed reverse-i-search\)'os': $/);
  s.type('!');
  assert.equal(s.failed, true);
  s.backspace();
  assert.equal(s.failed, false);
  assert.equal(s.text, 'os.getcwd()'); // widened again from the newest
  assert.deepEqual(s.original, { text: 'draft', cursor: 2 });
});
