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
