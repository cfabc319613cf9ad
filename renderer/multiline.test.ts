import { test } from 'node:test';
import assert from 'node:assert/strict';
import { codeToCheck, decideEnter, decideLocally, stripTrailingBlankLines } from './multiline.js';

test('an empty cell runs at once (a new prompt); Enter above the last line of a block opens a line there', () => {
  assert.deepEqual(decideLocally('', true, ''), { action: 'submit', code: '' });
  assert.deepEqual(decideLocally('   ', true, ''), { action: 'submit', code: '' });
  assert.deepEqual(decideLocally('if x:\n    y\nz', false, '    '), { action: 'newline', indent: '    ' });
  assert.equal(decideLocally('x = 1', true, ''), null); // the server decides
});

test('complete or invalid code runs; incomplete code continues with the server indent', () => {
  assert.deepEqual(decideEnter('x = 1', 'complete', ''), { action: 'submit', code: 'x = 1' });
  assert.deepEqual(decideEnter('1 +', 'invalid', ''), { action: 'submit', code: '1 +' }); // SyntaxError comes back
  assert.deepEqual(decideEnter('def f():', 'incomplete', '    '), { action: 'newline', indent: '    ' });
  assert.deepEqual(decideEnter('def f():\n    return 1', 'incomplete', '    '), { action: 'newline', indent: '    ' });
});

test('a blank line ends a block, even one the server would still call incomplete', () => {
  assert.deepEqual(decideEnter('def f():\n    return 1\n    ', 'complete', ''), { action: 'submit', code: 'def f():\n    return 1' });
  assert.deepEqual(decideEnter('if x:\n', 'incomplete', '    '), { action: 'submit', code: 'if x:' }); // Python says why
});

test('inside open brackets or strings a blank line does not end anything', () => {
  assert.deepEqual(decideEnter('x = (1,\n', 'incomplete', ''), { action: 'newline', indent: '' });
  assert.deepEqual(decideEnter('s = """abc\n', 'incomplete', ''), { action: 'newline', indent: '' });
  assert.deepEqual(decideEnter('d = {"a": ")",  # (\n', 'incomplete', ''), { action: 'newline', indent: '' });
  assert.deepEqual(decideEnter("s = 'it''s'\nif s:\n", 'incomplete', '    '), { action: 'submit', code: "s = 'it''s'\nif s:" });
});

test('what is asked and what is run', () => {
  assert.equal(codeToCheck('def f():\n    return 1\n    '), 'def f():\n    return 1\n');
  assert.equal(stripTrailingBlankLines('x\n\n  \n'), 'x');
  assert.equal(stripTrailingBlankLines('x\n  y'), 'x\n  y');
});
