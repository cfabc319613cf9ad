import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { isPyreplError } from '../../protocol/errors.js';
import type { ExecutionEvent } from '../../protocol/worker-messages.js';
import { collect } from './execution.js';
import { failOnUnhandledRejections, nextInputRequest, remaining, SessionTracker, waitFor } from './testing/helpers.js';

const sessions = new SessionTracker();
const unhandled = failOnUnhandledRejections();
after(async () => {
  await sessions.closeAll();
  assert.deepEqual(unhandled.errors, [], 'no unhandled rejections');
});

function types(events: ExecutionEvent[]): string[] {
  return events.map((e) => e.type);
}

test('print then a final expression: output, then result repr, then execute_reply', async () => {
  const s = await sessions.create();
  assert.equal(s.state, 'idle');
  const run = await collect(s.execute({ code: 'print("test"); 42' }));
  assert.equal(run.stdout, 'test\n');
  assert.deepEqual(types(run.events), ['output', 'result', 'execute_reply']);
  const result = run.events[1];
  assert.equal(result?.type === 'result' && result.repr, '42');
  assert.equal(run.reply?.status, 'ok');
  for (const e of run.events) assert.equal(e.execution_id, run.execution_id);
});

test('the namespace persists and behaves like __main__; None gives no result; _ holds the last value', async () => {
  const s = await sessions.create();
  await collect(s.execute({ code: 'x = 20\ndef double(v):\n    return v * 2' }));
  const none = await collect(s.execute({ code: 'None' }));
  assert.deepEqual(types(none.events), ['execute_reply']);
  const run = await collect(s.execute({ code: 'double(x) + 2' }));
  assert.equal(run.events.find((e) => e.type === 'result')?.type, 'result');
  const check = await collect(s.execute({ code: '(_, __name__)' }));
  const result = check.events.find((e) => e.type === 'result');
  assert.equal(result?.type === 'result' && result.repr, "(42, '__main__')");
});

test('executions sent while one runs are queued FIFO, never cancelling the running one', async () => {
  const s = await sessions.create();
  const first = s.execute({ code: 'import time\ntime.sleep(0.3)\norder = ["first"]' });
  const second = s.execute({ code: 'order.append("second")' });
  const third = s.execute({ code: 'order.append("third"); order' });
  assert.equal(s.info().queue_length, 2);
  const [a, b, c] = await Promise.all([collect(first), collect(second), collect(third)]);
  assert.equal(a.reply?.status, 'ok');
  assert.equal(b.reply?.status, 'ok');
  const result = c.events.find((e) => e.type === 'result');
  assert.equal(result?.type === 'result' && result.repr, "['first', 'second', 'third']");
  assert.equal(s.info().execution_count, 3);
});

test('output streams while the code runs, before the execution ends', async () => {
  const s = await sessions.create();
  const execution = s.execute({ code: 'import time\nprint("early", flush=False)\ntime.sleep(30)' });
  const iterator = execution[Symbol.asyncIterator]();
  const first = await iterator.next();
  assert.equal(first.value?.type, 'output');
  assert.equal(first.value?.type === 'output' && first.value.data, 'early\n');
  assert.equal(s.state, 'busy', 'the cell is still running when its first output arrives');
  assert.equal(s.interrupt(), true);
  const rest = await remaining(iterator);
  const error = rest.find((e) => e.type === 'error');
  assert.equal(error?.type === 'error' && error.exception, 'KeyboardInterrupt');
});

test('stdout and stderr keep their streams and order; fd-level writes are captured in order', async () => {
  const s = await sessions.create();
  const run = await collect(
    s.execute({
      code: 'import os, sys, subprocess\nprint("a")\nos.write(1, b"b\\n")\nsubprocess.run(["echo", "c"])\nprint("d")\nprint("e", file=sys.stderr)',
    }),
  );
  assert.equal(run.stdout, 'a\nb\nc\nd\n');
  assert.equal(run.stderr, 'e\n');
});

test('output is UTF-8 text: a character split between writes stays whole, undecodable bytes become U+FFFD', async () => {
  const s = await sessions.create();
  const run = await collect(
    s.execute({ code: 'import os, sys\ne = "é€😀".encode()\nfor i in range(len(e)):\n    os.write(1, e[i:i+1])\nos.write(1, b"\\xff\\n")\nprint("ünïcode")' }),
  );
  assert.equal(run.stdout, 'é€😀\ufffd\nünïcode\n');
});

test('input(): a request with prompt and token, answered by token; a wrong token is refused and changes nothing', async () => {
  const s = await sessions.create();
  const execution = s.execute({ code: 'name = input("name? ")\nf"hello {name}"' });
  const iterator = execution[Symbol.asyncIterator]();
  const request = await nextInputRequest(iterator);
  assert.equal(request.prompt, 'name? ');
  assert.equal(request.password, false);
  assert.equal(s.state, 'waiting_input');
  assert.equal(s.info().pending_input?.token, request.token);
  await assert.rejects(s.sendInput('not-the-token', 'mallory'), (err) => isPyreplError(err, 'unknown_input_token'));
  assert.equal(s.state, 'waiting_input');
  await s.sendInput(request.token, 'ada');
  const rest = await remaining(iterator);
  const result = rest.find((e) => e.type === 'result');
  assert.equal(result?.type === 'result' && result.repr, "'hello ada'");
  await assert.rejects(s.sendInput(request.token, 'again'), (err) => isPyreplError(err, 'unknown_input_token'));
});

test('an answer counts as delivered when sent: busy at once, a second answer with the token refused locally', async () => {
  const s = await sessions.create();
  const execution = s.execute({ code: 'a = input("a? ")\nimport time\ntime.sleep(0.2)\nb = input("b? ")\n(a, b)' });
  const iterator = execution[Symbol.asyncIterator]();
  const first = await nextInputRequest(iterator);
  const answered = s.sendInput(first.token, 'one');
  assert.equal(s.state, 'busy');
  assert.equal(s.info().pending_input, null);
  await assert.rejects(s.sendInput(first.token, 'dup'), (err) => isPyreplError(err, 'unknown_input_token'));
  await answered; // the worker's ack, which it may send along with the code's next event
  const second = await nextInputRequest(iterator);
  assert.equal(s.state, 'waiting_input');
  await s.sendInput(second.token, 'two');
  const rest = await remaining(iterator);
  const result = rest.find((e) => e.type === 'result');
  assert.equal(result?.type === 'result' && result.repr, "('one', 'two')");
});

test('sendInput resolves while the code goes on without a word (the ack does not wait for its next event)', async () => {
  const s = await sessions.create();
  const execution = s.execute({ code: 'v = input()\nimport time\ntime.sleep(60)' });
  const iterator = execution[Symbol.asyncIterator]();
  const request = await nextInputRequest(iterator);
  await s.sendInput(request.token, 'x');
  assert.equal(s.state, 'busy');
  s.interrupt();
  const rest = await remaining(iterator);
  const error = rest.find((e) => e.type === 'error');
  assert.equal(error?.type === 'error' && error.exception, 'KeyboardInterrupt');
});

test('getpass asks with password: true; a cancelled input raises EOFError in user code', async () => {
  const s = await sessions.create();
  const execution = s.execute({
    code: 'import getpass\ntry:\n    getpass.getpass("pw: ")\nexcept EOFError:\n    print("eof")',
  });
  const iterator = execution[Symbol.asyncIterator]();
  const request = await nextInputRequest(iterator);
  assert.equal(request.password, true);
  await s.cancelInput(request.token);
  const rest = await remaining(iterator);
  assert.equal(rest.find((e) => e.type === 'output')?.type === 'output', true);
  assert.equal((rest.find((e) => e.type === 'output') as { data: string }).data, 'eof\n');
});

test('interrupt stops a busy loop and a sleep as KeyboardInterrupt; the namespace survives', async () => {
  const s = await sessions.create();
  await collect(s.execute({ code: 'kept = "still here"' }));
  for (const code of ['while True: pass', 'import time\ntime.sleep(100)']) {
    const execution = s.execute({ code });
    await waitFor(() => s.state === 'busy', 5_000, 'busy');
    await new Promise((r) => setTimeout(r, 100));
    s.interrupt();
    const run = await collect(execution);
    const error = run.events.find((e) => e.type === 'error');
    assert.equal(error?.type === 'error' && error.exception, 'KeyboardInterrupt', code);
    assert.equal(run.reply?.status, 'error');
  }
  const after = await collect(s.execute({ code: 'kept' }));
  const result = after.events.find((e) => e.type === 'result');
  assert.equal(result?.type === 'result' && result.repr, "'still here'");
});

test('an interrupt sent right after execute, before the code starts, still interrupts it', async () => {
  const s = await sessions.create();
  for (let i = 0; i < 5; i++) {
    const execution = s.execute({ code: 'import time\ntime.sleep(60)' });
    s.interrupt();
    const run = await collect(execution);
    const error = run.events.find((e) => e.type === 'error');
    assert.equal(error?.type === 'error' && error.exception, 'KeyboardInterrupt', `attempt ${i}`);
  }
});

test('an interrupt while waiting for input raises KeyboardInterrupt', async () => {
  const s = await sessions.create();
  const execution = s.execute({ code: 'input("? ")' });
  await waitFor(() => s.state === 'waiting_input', 5_000, 'waiting_input');
  s.interrupt();
  const run = await collect(execution);
  const error = run.events.find((e) => e.type === 'error');
  assert.equal(error?.type === 'error' && error.exception, 'KeyboardInterrupt');
  assert.equal(s.state, 'idle');
});

test('code that ignores the interrupt gets the worker killed after the grace period, reported as such', async () => {
  const s = await sessions.create({ interruptGraceMs: 300 });
  const execution = s.execute({
    code: 'import signal\nsignal.signal(signal.SIGINT, lambda *a: None)\nwhile True: pass',
  });
  const queued = s.execute({ code: '1' });
  await waitFor(() => s.state === 'busy', 5_000, 'busy');
  await new Promise((r) => setTimeout(r, 100));
  s.interrupt();
  const run = await collect(execution);
  const error = run.events.find((e) => e.type === 'error');
  assert.equal(error?.type === 'error' && error.exception, 'WorkerKilled');
  assert.match(error?.type === 'error' ? error.message : '', /did not stop within 300 ms of an interrupt/);
  const aborted = await collect(queued);
  assert.equal(aborted.reply?.status, 'aborted');
  assert.equal(s.state, 'dead');
  assert.throws(() => s.execute({ code: '1' }), (err) => isPyreplError(err, 'session_dead'));
  await s.restart();
  assert.equal(s.state, 'idle');
  const fresh = await collect(s.execute({ code: '"alive"' }));
  assert.equal(fresh.reply?.status, 'ok');
});

test('a wall-clock timeout stops the execution with an error naming the limit; the session survives', async () => {
  const s = await sessions.create();
  const run = await collect(s.execute({ code: 'while True: pass', timeout_ms: 300 }));
  const error = run.events.find((e) => e.type === 'error');
  assert.equal(error?.type === 'error' && error.limit, 'timeout');
  assert.match(error?.type === 'error' ? `${error.exception}: ${error.message}` : '', /timeout|time limit|wall-clock/i);
  const after = await collect(s.execute({ code: '1 + 1' }));
  assert.equal(after.reply?.status, 'ok');
});

test('an output limit stops the execution with an error naming the limit', async () => {
  const s = await sessions.create();
  const run = await collect(s.execute({ code: 'while True: print("x" * 1000)', output_limit: 100_000 }));
  const error = run.events.find((e) => e.type === 'error');
  assert.equal(error?.type === 'error' && error.limit, 'output');
  assert.ok(run.stdout.length <= 100_000, `got ${run.stdout.length} bytes of output`);
  assert.equal(s.state, 'idle');
});

test('exceptions: type, message and a traceback of the user lines only; SyntaxError is an ordinary error', async () => {
  const s = await sessions.create();
  await collect(s.execute({ code: 'def boom():\n    return 1 / 0' }));
  const run = await collect(s.execute({ code: 'boom()' }));
  const error = run.events.find((e) => e.type === 'error');
  assert.equal(error?.type, 'error');
  if (error?.type !== 'error') return;
  assert.equal(error.exception, 'ZeroDivisionError');
  assert.equal(error.message, 'division by zero');
  assert.match(error.traceback, /^Traceback \(most recent call last\):/);
  assert.match(error.traceback, /File "<cell-2>", line 1, in <module>\n\s+boom\(\)/);
  assert.match(error.traceback, /File "<cell-1>", line 2, in boom\n\s+return 1 \/ 0/);
  assert.doesNotMatch(error.traceback, /pyrepl_worker|File "<string>"/);
  const syntax = await collect(s.execute({ code: 'def broken(:' }));
  const serr = syntax.events.find((e) => e.type === 'error');
  assert.equal(serr?.type === 'error' && serr.exception, 'SyntaxError');
  assert.equal(s.state, 'idle');
});

test('exit() ends the session cleanly with an exit event', async () => {
  const s = await sessions.create();
  const queued = s.execute({ code: 'import sys\nsys.exit(5)' });
  const after = s.execute({ code: '1' });
  const run = await collect(queued);
  const exit = run.events.find((e) => e.type === 'exit');
  assert.equal(exit?.type === 'exit' && exit.code, 5);
  await waitFor(() => s.state === 'closed', 5_000, 'closed');
  assert.equal((await collect(after)).reply?.status, 'aborted');
  assert.throws(() => s.execute({ code: '1' }), (err) => isPyreplError(err, 'session_closed'));
});

test('complete, is_complete and inspect over the live namespace', async () => {
  const s = await sessions.create();
  await collect(s.execute({ code: 'import os\nmy_variable = {"alpha": 1}\nclass Bad:\n    def __repr__(self):\n        raise RuntimeError("no")\nbad = Bad()\nbig = "y" * 100000' }));
  const names = await s.complete('my_va');
  assert.ok(names.matches.includes('my_variable'), JSON.stringify(names));
  const attrs = await s.complete('os.pa');
  assert.ok(attrs.matches.some((m) => m.endsWith('path')), JSON.stringify(attrs));
  assert.deepEqual(await s.isComplete('x = 1'), { status: 'complete', indent: '' });
  assert.deepEqual(await s.isComplete('def f():'), { status: 'incomplete', indent: '    ' });
  assert.equal((await s.isComplete('1 +* 2')).status, 'invalid');
  const vars = await s.inspect();
  const byName = new Map(vars.map((v) => [v.name, v]));
  assert.equal(byName.get('my_variable')?.type, 'dict');
  assert.equal(byName.get('my_variable')?.repr, "{'alpha': 1}");
  assert.ok(byName.get('bad'), 'a raising __repr__ is still listed');
  assert.ok((byName.get('big')?.repr.length ?? Infinity) < 1000, 'a huge repr is bounded');
  assert.equal(byName.get('big')?.truncated, true);
});

test('transaction policies restore top-level bindings (shallow)', async () => {
  const s = await sessions.create();
  await collect(s.execute({ code: 'a = 1' }));
  await collect(s.execute({ code: 'a = 2\nb = 3\n1/0', transaction_policy: 'rollback_on_failure' }));
  let r = await collect(s.execute({ code: "(a, 'b' in dir())" }));
  assert.equal((r.events.find((e) => e.type === 'result') as { repr: string }).repr, '(1, False)');
  await collect(s.execute({ code: 'a = 5', transaction_policy: 'rollback_always' }));
  r = await collect(s.execute({ code: 'a' }));
  assert.equal((r.events.find((e) => e.type === 'result') as { repr: string }).repr, '1');
  await collect(s.execute({ code: 'a = 7\n1/0', transaction_policy: 'commit_always' }));
  r = await collect(s.execute({ code: 'a' }));
  assert.equal((r.events.find((e) => e.type === 'result') as { repr: string }).repr, '7');
});

test('restart gives the same session a fresh namespace', async () => {
  const s = await sessions.create();
  await collect(s.execute({ code: 'gone = 1' }));
  const oldPid = s.pid;
  await s.restart();
  assert.notEqual(s.pid, oldPid);
  const r = await collect(s.execute({ code: "'gone' in dir()" }));
  assert.equal((r.events.find((e) => e.type === 'result') as { repr: string }).repr, 'False');
});
