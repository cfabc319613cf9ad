import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExecutionEvent } from '../../protocol/worker-messages.js';
import { Execution } from './execution.js';

const out = (data: string): ExecutionEvent => ({ type: 'output', execution_id: 'e', stream: 'stdout', data });
const reply: ExecutionEvent = { type: 'execute_reply', execution_id: 'e', status: 'ok', execution_count: 1, execution_time: 0 };

function tracked(): { execution: Execution; buffered: () => number } {
  let total = 0;
  const execution = new Execution('e', { code: '' }, (delta) => {
    total += delta;
  });
  return { execution, buffered: () => total };
}

test('events pushed before reading are buffered and counted; reading releases them, in order', async () => {
  const { execution, buffered } = tracked();
  execution.push(out('a'));
  execution.push(out('b'));
  assert.ok(buffered() > 0);
  const iterator = execution[Symbol.asyncIterator]();
  assert.deepEqual((await iterator.next()).value, out('a'));
  assert.deepEqual((await iterator.next()).value, out('b'));
  assert.equal(buffered(), 0);
});

test('an event pushed while the reader waits goes straight to it, never counted as buffered', async () => {
  const { execution, buffered } = tracked();
  const iterator = execution[Symbol.asyncIterator]();
  const pending = iterator.next();
  execution.push(out('x'));
  assert.equal(buffered(), 0);
  assert.deepEqual(await pending, { value: out('x'), done: false });
  const last = iterator.next();
  execution.push(reply);
  assert.deepEqual(await last, { value: reply, done: false });
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
  assert.deepEqual(await execution.finished, reply);
});

test('a waiting reader is released when the execution ends or the reader detaches', async () => {
  const ended = tracked().execution;
  const waiting = ended[Symbol.asyncIterator]().next();
  ended.end(reply as Extract<ExecutionEvent, { type: 'execute_reply' }>);
  assert.deepEqual(await waiting, { value: undefined, done: true });

  const { execution, buffered } = tracked();
  const iterator = execution[Symbol.asyncIterator]();
  const pending = iterator.next();
  execution.detach();
  assert.deepEqual(await pending, { value: undefined, done: true });
  execution.push(out('after'));
  assert.equal(buffered(), 0);
  assert.deepEqual(await iterator.next(), { value: undefined, done: true });
});

/** A sink that records what it was handed, and can pause the execution from inside event(). */
function recorder(execution: Execution, pauseOn?: string): { seen: string[] } {
  const seen: string[] = [];
  execution.deliverTo({
    event: (event) => {
      seen.push(event.type === 'output' ? event.data : event.type);
      if (event.type === 'output' && event.data === pauseOn) execution.pause();
    },
    end: () => seen.push('END'),
  });
  return { seen };
}

test('a sink takes buffered events first, then each one in the push that delivers it, then the end', () => {
  const { execution, buffered } = tracked();
  execution.push(out('early'));
  const { seen } = recorder(execution);
  assert.deepEqual(seen, ['early'], 'what was buffered before the sink came');
  assert.equal(buffered(), 0);
  execution.push(out('live'));
  assert.deepEqual(seen, ['early', 'live'], 'delivered within push(), nothing buffered');
  assert.equal(buffered(), 0);
  execution.push(reply);
  assert.deepEqual(seen, ['early', 'live', 'execute_reply', 'END']);
  execution.push(out('late'));
  assert.deepEqual(seen, ['early', 'live', 'execute_reply', 'END'], 'nothing after the end');
});

test('a paused sink holds events in the buffer, counted for flow control, and its end until it resumes', () => {
  const { execution, buffered } = tracked();
  const { seen } = recorder(execution, 'stop');
  execution.push(out('stop'));
  execution.push(out('held 1'));
  execution.push(out('held 2'));
  execution.push(reply);
  assert.deepEqual(seen, ['stop'], 'paused after the event that asked for it');
  assert.ok(buffered() > 0, 'held events count, so the session stops reading the worker');
  execution.resume();
  assert.deepEqual(seen, ['stop', 'held 1', 'held 2', 'execute_reply', 'END']);
  assert.equal(buffered(), 0);
});

test('a sink paused again while resuming stops there; detaching releases what it held and ends it', () => {
  const { execution, buffered } = tracked();
  const { seen } = recorder(execution, 'stop');
  execution.pause();
  execution.push(out('a'));
  execution.push(out('stop'));
  execution.push(out('b'));
  execution.resume();
  assert.deepEqual(seen, ['a', 'stop']);
  execution.detach();
  assert.equal(buffered(), 0);
  assert.deepEqual(seen, ['a', 'stop', 'END'], 'a consumer that went away never stalls the session');
});

test('a pause holds back events, not the end: paused on the last event, the sink still learns that none come', () => {
  const { execution } = tracked();
  const { seen } = recorder(execution);
  execution.pause();
  execution.end(reply as Extract<ExecutionEvent, { type: 'execute_reply' }>);
  assert.deepEqual(seen, ['END']);
  execution.resume();
  assert.deepEqual(seen, ['END'], 'once');
});
