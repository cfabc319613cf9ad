import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fastExecutionEvent, fastOutputHeader } from './worker-fast-path.js';
import { OutputFrameHeader, WorkerEvent } from './worker-messages.js';

const RESULT = { type: 'result', execution_id: 'e1', repr: '2', value: 2, execution_count: 1 };
const REPLY = { type: 'execute_reply', execution_id: 'e1', status: 'ok', execution_count: 1, execution_time: 0.001 };
const INPUT = { type: 'input_request', execution_id: 'e1', token: 'ab-1', prompt: 'p', password: false };
const ACK = { type: 'ack', request_id: 'r1' };
const HEADER = { type: 'output', execution_id: 'e1', stream: 'stdout', bytes: 3 };

/** Each sample with one field replaced, removed or added: valid and invalid variants alike. */
function variants(base: Record<string, unknown>): unknown[] {
  const odd = [undefined, null, '', 'x', 0, -1, 1.5, 2 ** 60, Number.NaN, true, [], {}, 'ok', 'aborted', 'stderr'];
  const out: unknown[] = [base, null, 'text', 42, [], { ...base, extra: 1 }];
  for (const key of Object.keys(base)) {
    const { [key]: _dropped, ...rest } = base;
    out.push(rest);
    for (const v of odd) out.push({ ...base, [key]: v });
  }
  return out;
}

test('the fast path accepts only what zod accepts, and yields what zod yields', () => {
  let accepted = 0;
  const samples = [...variants(RESULT), ...variants(REPLY), ...variants({ ...RESULT, value: { a: [1] } })];
  for (const sample of [...samples, ...variants(INPUT), ...variants({ ...INPUT, password: true }), ...variants(ACK)]) {
    const fast = fastExecutionEvent(sample);
    const slow = WorkerEvent.safeParse(sample);
    if (fast === undefined) continue; // falls back to zod: always safe
    accepted++;
    assert.ok(slow.success, `fast path accepted what zod refuses: ${JSON.stringify(sample)}`);
    assert.deepEqual(fast, slow.data);
  }
  for (const sample of variants(HEADER)) {
    const fast = fastOutputHeader(sample);
    const slow = OutputFrameHeader.safeParse(sample);
    if (fast === undefined) continue;
    accepted++;
    assert.ok(slow.success, `fast path accepted a header zod refuses: ${JSON.stringify(sample)}`);
    assert.deepEqual(fast, slow.data);
  }
  assert.ok(accepted > 20, `the fast path took only ${accepted} samples: it would never be used`);
});

test('the fast path takes the messages every execution sends', () => {
  assert.deepEqual(fastExecutionEvent(RESULT), RESULT);
  assert.deepEqual(fastExecutionEvent({ type: 'result', execution_id: 'e1', repr: 'None' }), { type: 'result', execution_id: 'e1', repr: 'None' });
  assert.deepEqual(fastExecutionEvent(REPLY), REPLY);
  assert.deepEqual(fastExecutionEvent(INPUT), INPUT);
  assert.deepEqual(fastExecutionEvent(ACK), ACK);
  assert.deepEqual(fastOutputHeader(HEADER), HEADER);
  assert.deepEqual(fastOutputHeader({ ...HEADER, execution_id: null }), { ...HEADER, execution_id: null });
  // Everything else goes to zod.
  assert.equal(fastExecutionEvent({ type: 'error', execution_id: 'e1', exception: 'E', message: 'm', traceback: '' }), undefined);
  assert.equal(fastExecutionEvent({ type: 'ready', protocol: 1 }), undefined);
});
