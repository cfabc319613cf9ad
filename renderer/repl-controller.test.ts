import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ranOwn, replHarness } from './testing/fake-backend.js';

const UP = '\x1b[A';
const DOWN = '\x1b[B';

test('banner, then a line runs and its output and result follow, echo not doubled', async () => {
  const h = replHarness();
  await h.settle();
  assert.match(h.screen.lines()[0]!, /^Python 3\.12\.1 · PyREPL3 session sess-123/);
  h.repl.handleData('print("hi")\r');
  await h.settle();
  assert.deepEqual(h.backend.executed, ['print("hi")']);
  assert.equal(h.repl.mode, 'busy');
  h.feed(...ranOwn('print("hi")', 'e1', [{ type: 'output', execution_id: 'e1', stream: 'stdout', data: 'hi\n' }]));
  h.repl.handleData('6*7\r');
  await h.settle();
  h.feed(...ranOwn('6*7', 'e2', [{ type: 'result', execution_id: 'e2', repr: '42' }]));
  await h.settle();
  assert.deepEqual(h.transcript(), ['>>> print("hi")', 'hi', '>>> 6*7', '42', '>>>']);
});

test('a def continues with the indent from is_complete, a blank line runs it, and ↑ brings the block back whole', async () => {
  const h = replHarness();
  h.repl.handleData('def f():\r');
  h.repl.handleData('return 42\r');
  h.repl.handleData('\r');
  await h.settle();
  assert.deepEqual(h.backend.executed, ['def f():\n    return 42']);
  assert.deepEqual(h.transcript(), ['>>> def f():', '...     return 42', '...']);
  h.feed(...ranOwn('def f():\n    return 42', 'e1'));
  h.repl.handleData(UP);
  await h.settle();
  assert.deepEqual(h.transcript().slice(-2), ['>>> def f():', '...     return 42']);
  h.repl.handleData(DOWN); // the cursor is at the block's end: ↓ goes on to the (empty) draft
  h.repl.handleData(DOWN); // nothing newer: stays
  await h.settle();
  assert.deepEqual(h.transcript().slice(-1), ['>>>']);
});

test('Ctrl+C at the prompt marks the line ^C and gives a fresh prompt; while busy it interrupts', async () => {
  const h = replHarness();
  h.repl.handleData('half typed\x03');
  await h.settle();
  assert.deepEqual(h.transcript(), ['>>> half typed^C', '>>>']);
  h.repl.handleData('while True: pass\r\r');
  await h.settle();
  assert.equal(h.backend.executed.length, 1);
  h.feed({ type: 'execute_input', execution_id: 'e1', code: 'while True: pass', source: 'ws' }, { type: 'status', state: 'busy', execution_id: 'e1' });
  h.repl.handleData('\x03');
  assert.equal(h.backend.interrupts, 1);
});

test('input(): the prompt is inline, the typed line answers it; a password is not echoed', async () => {
  const h = replHarness();
  h.repl.handleData('name = input("name? ")\r');
  await h.settle();
  h.feed({ type: 'execute_input', execution_id: 'e1', code: 'name = input("name? ")', source: 'ws' }, { type: 'status', state: 'busy', execution_id: 'e1' });
  h.feed({ type: 'input_request', execution_id: 'e1', token: 't1', prompt: 'name? ', password: false }, { type: 'status', state: 'waiting_input', execution_id: 'e1' });
  h.repl.handleData('Ada\r');
  await h.settle();
  assert.deepEqual(h.backend.answers, [['t1', 'Ada']]);
  h.feed({ type: 'input_response', execution_id: 'e1', token: 't1', data: 'Ada' });
  h.feed({ type: 'input_request', execution_id: 'e1', token: 't2', prompt: 'Password: ', password: true });
  h.repl.handleData('hunter2\r');
  await h.settle();
  assert.deepEqual(h.backend.answers[1], ['t2', 'hunter2']);
  assert.deepEqual(h.transcript(), ['>>> name = input("name? ")', 'name? Ada', 'Password:']);
  assert.ok(!h.screen.lines().join('\n').includes('hunter2'));
});

test('Tab: a unique match is inserted, several are listed in columns under the line', async () => {
  const h = replHarness();
  h.backend.completions = ['print(', 'property(', 'pow('];
  h.repl.handleData('pri\t');
  await h.settle();
  assert.equal(h.repl.editor.text, 'print(');
  h.repl.handleData('\x15p\t'); // Ctrl+U, then "p" + Tab: three matches, no longer prefix
  await h.settle();
  assert.deepEqual(h.transcript(), ['>>> p', 'print(     property(  pow(', '>>> p']);
  h.backend.completions = ['os.path', 'os.pathsep'];
  h.repl.handleData('\x15os.path\t'); // listed without the "os." they all repeat
  await h.settle();
  assert.deepEqual(h.transcript().slice(-2), ['path     pathsep', '>>> os.path']);
  h.repl.handleData('\x15\t'); // Tab at the start of a line (in the indentation) indents
  assert.equal(h.repl.editor.text, '    ');
});

test('a completion or is_complete answer that never comes does not freeze the prompt: keys wait, then go on', async () => {
  const h = replHarness('owner', 100, 50);
  h.backend.silent = true;
  h.backend.completions = ['print('];
  h.repl.handleData('pri\tnt(1)');
  await h.settle();
  assert.equal(h.repl.editor.text, 'pri', 'keys typed after Tab wait for its answer');
  await new Promise((r) => setTimeout(r, 80));
  await h.settle();
  assert.equal(h.repl.editor.text, 'print(1)', 'past the deadline Tab gives up and the held keys are typed');
  h.repl.handleData('\r');
  await new Promise((r) => setTimeout(r, 80));
  await h.settle();
  assert.deepEqual(h.backend.executed, ['print(1)'], 'Enter without an is_complete answer runs the cell, as after an error');
});

test('Ctrl+R finds an earlier cell; Enter runs it', async () => {
  const h = replHarness();
  for (const [i, code] of ['import os', 'x = 1'].entries()) {
    h.repl.handleData(`${code}\r`);
    await h.settle();
    h.feed(...ranOwn(code, `e${i}`));
  }
  h.repl.handleData('\x12imp');
  await h.settle();
  assert.match(h.transcript().at(-1)!, /^\(reverse-i-search\)'imp': import os$/);
  h.repl.handleData('\r');
  await h.settle();
  assert.deepEqual(h.backend.executed, ['import os', 'x = 1', 'import os']);
});

test('Ctrl+D on an empty line asks before closing the session; n keeps it', async () => {
  const h = replHarness();
  h.repl.handleData('\x04');
  await h.settle();
  assert.match(h.transcript().at(-1)!, /Close this session for everyone\? \[y\/N\]/);
  h.repl.handleData('n');
  assert.equal(h.backend.closed, 0);
  assert.equal(h.repl.mode, 'prompt');
  h.repl.handleData('\x04y');
  assert.equal(h.backend.closed, 1);
  h.feed({ type: 'session_closed', reason: 'closed by client' });
  await h.settle();
  assert.equal(h.repl.mode, 'closed');
  assert.match(h.transcript().at(-1)!, /Session closed \(closed by client\)/);
});

test('exit() in a cell: the terminal says the session ended and with which code', async () => {
  const h = replHarness();
  h.feed({ type: 'session_closed', reason: 'exit', exit_code: 3 });
  await h.settle();
  assert.equal(h.repl.mode, 'closed');
  assert.match(h.transcript().at(-1)!, /Session closed \(exit code 3\)\. Press Enter to start a new session\./);
});

test('lines typed ahead while busy run one by one when the prompt is back; Ctrl+C flushes them', async () => {
  const h = replHarness();
  h.repl.handleData('a = input()\r');
  await h.settle();
  h.feed({ type: 'execute_input', execution_id: 'e1', code: 'a = input()', source: 'ws' }, { type: 'status', state: 'busy', execution_id: 'e1' });
  h.repl.handleData('answer\rdef f():\rreturn 1\r\r');
  h.feed({ type: 'input_request', execution_id: 'e1', token: 't', prompt: '', password: false });
  await h.settle();
  assert.deepEqual(h.backend.answers, [['t', 'answer']]); // the first typed-ahead line answered input()
  h.feed({ type: 'input_response', execution_id: 'e1', token: 't', data: 'answer' }, ...ranOwn('a = input()', 'e1').slice(2));
  await h.settle();
  assert.deepEqual(h.backend.executed, ['a = input()', 'def f():\n    return 1']);
  h.feed({ type: 'execute_input', execution_id: 'e2', code: 'def f():\n    return 1', source: 'ws' }, { type: 'status', state: 'busy', execution_id: 'e2' });
  h.repl.handleData('lost()\rlost2()\r\x03');
  assert.equal(h.backend.interrupts, 1);
  h.feed({ type: 'status', state: 'idle', execution_id: null });
  await h.settle();
  assert.equal(h.backend.executed.length, 2);
});

test('type-ahead while busy is kept, and an Enter typed ahead runs it when the prompt is back', async () => {
  const h = replHarness();
  h.repl.handleData('slow()\r');
  await h.settle();
  h.feed({ type: 'execute_input', execution_id: 'e1', code: 'slow()', source: 'ws' }, { type: 'status', state: 'busy', execution_id: 'e1' });
  h.repl.handleData('next()\r');
  h.feed({ type: 'output', execution_id: 'e1', stream: 'stdout', data: 'working\n' });
  await h.settle();
  assert.deepEqual(h.transcript(), ['>>> slow()', 'working', 'next()']);
  h.feed({ type: 'execute_reply', execution_id: 'e1', status: 'ok', execution_count: 1, execution_time: 1 }, { type: 'status', state: 'idle', execution_id: null });
  await h.settle();
  assert.deepEqual(h.backend.executed, ['slow()', 'next()']);
  assert.deepEqual(h.transcript(), ['>>> slow()', 'working', '>>> next()']);
});

test('observers see what the owner typed and answered, in colour, and cannot type', async () => {
  const h = replHarness('observer');
  h.feed(
    { type: 'execute_input', execution_id: 'e1', code: 'for i in range(2):\n    print(i)', source: 'ws' },
    { type: 'status', state: 'busy', execution_id: 'e1' },
    { type: 'output', execution_id: 'e1', stream: 'stdout', data: '0\n1\n' },
    { type: 'input_request', execution_id: 'e1', token: 't', prompt: 'ok? ', password: false },
    { type: 'input_response', execution_id: 'e1', token: 't', data: 'yes' },
    { type: 'error', execution_id: 'e1', exception: 'ValueError', message: 'bad', traceback: 'Traceback (most recent call last):\n  File "<cell-1>", line 1\nValueError: bad\n' },
    { type: 'status', state: 'idle', execution_id: null },
  );
  h.repl.handleData('x');
  await h.settle();
  assert.equal(h.notices.length, 1);
  assert.match(h.notices[0]!, /Read-only/);
  assert.deepEqual(h.transcript(), [
    '>>> for i in range(2):',
    '...     print(i)',
    '0',
    '1',
    'ok? yes',
    'Traceback (most recent call last):',
    '  File "<cell-1>", line 1',
    'ValueError: bad',
  ]);
  assert.match(h.screen.lines()[1]!, /Observing \(read-only\)/);
});

test('code run by someone else (REST) while the prompt waits is shown above it, the typed line kept', async () => {
  const h = replHarness();
  h.repl.handleData('draft');
  h.feed(
    { type: 'execute_input', execution_id: 'r1', code: 'print(1)', source: 'rest' },
    { type: 'status', state: 'busy', execution_id: 'r1' },
    { type: 'output', execution_id: 'r1', stream: 'stdout', data: '1\n' },
    { type: 'status', state: 'idle', execution_id: null },
  );
  await h.settle();
  assert.deepEqual(h.transcript(), ['>>> print(1)  (rest)', '1', '>>> draft']);
});

test('a cell lost in a dropped connection comes back into the prompt once the replay shows it never ran', async () => {
  const h = replHarness();
  h.repl.handleData('x = 1\r');
  await h.settle();
  assert.equal(h.repl.mode, 'busy');
  // Re-attached: the session is idle and nothing after our last seq mentions the cell.
  h.feed({ type: 'session_attached', role: 'owner', state: 'idle', last_seq: 0, replay_from: 1, python_version: '3.12.1', pending_input: null, clients: { owners: 1, observers: 0 } });
  await h.settle();
  assert.equal(h.repl.mode, 'prompt');
  assert.equal(h.repl.editor.text, 'x = 1');
  assert.match(h.transcript().join('\n'), /did not run/);
});
