import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WorkerCommand, WorkerEvent } from './worker-messages.js';

test('valid worker events parse; their execution_id is kept', () => {
  const samples = [
    { type: 'output', execution_id: 'e1', stream: 'stdout', data: 'hi\n' },
    { type: 'output', execution_id: null, stream: 'stderr', data: '' },
    { type: 'input_request', execution_id: 'e1', token: 't', prompt: '> ', password: false },
    { type: 'result', execution_id: 'e1', repr: '2', value: 2, execution_count: 1 },
    { type: 'error', execution_id: 'e1', exception: 'ValueError', message: 'x', traceback: 'T' },
    { type: 'execute_reply', execution_id: 'e1', status: 'ok', execution_count: 1, execution_time: 0.001 },
    { type: 'exit', execution_id: 'e1', code: 0 },
    { type: 'is_complete_reply', request_id: 'r', status: 'incomplete', indent: '    ' },
  ];
  for (const sample of samples) assert.deepEqual(WorkerEvent.parse(sample), sample);
});

test('malformed events are rejected: unknown type, missing or wrongly typed fields', () => {
  for (const bad of [
    { type: 'nope' },
    { type: 'output', execution_id: 'e1', stream: 'stdin', data: 'x' },
    { type: 'result', execution_id: 'e1' },
    { type: 'execute_reply', execution_id: 'e1', status: 'done', execution_count: 1, execution_time: 0 },
    { type: 'input_request', execution_id: 'e1', token: '', prompt: '', password: false },
    'a string',
    null,
  ]) {
    assert.equal(WorkerEvent.safeParse(bad).success, false, JSON.stringify(bad));
  }
});

test('commands are typed by the same schemas', () => {
  const cmd = WorkerCommand.parse({
    type: 'execute',
    execution_id: 'e1',
    code: '1',
    transaction_policy: 'rollback_always',
    output_limit: null,
    timeout: 2.5,
  });
  assert.equal(cmd.type, 'execute');
  assert.equal(WorkerCommand.safeParse({ type: 'execute', execution_id: 'e', code: '1', transaction_policy: 'x', output_limit: null }).success, false);
});
