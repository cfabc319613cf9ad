import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WsClientMessage } from '../../protocol/api-messages.js';
import { fastClientMessage, parseClientMessage } from './client-messages.js';

const cases: unknown[] = [
  { type: 'execute', code: '1+1' },
  { type: 'execute', code: '' },
  { type: 'execute', code: 'x', request_id: 'r1', timeout: 2.5, transaction_policy: 'rollback_always', extra: 1 },
  { type: 'execute', code: 'x', timeout: 0 },
  { type: 'execute', code: 'x', timeout: -1 },
  { type: 'execute', code: 'x', timeout: 24 * 3600 + 1 },
  { type: 'execute', code: 'x', timeout: '5' },
  { type: 'execute', code: 'x', timeout: Number.NaN },
  { type: 'execute', code: 'x', transaction_policy: 'sometimes' },
  { type: 'execute', code: 'x', request_id: '' },
  { type: 'execute', code: 'x', request_id: 'r'.repeat(201) },
  { type: 'execute', code: 'x', request_id: 5 },
  { type: 'execute', code: 5 },
  { type: 'execute' },
  { type: 'input_response', token: 't', data: 'v' },
  { type: 'input_response', token: 't', data: '', request_id: 'r' },
  { type: 'input_response', token: '', data: 'v' },
  { type: 'input_response', token: 't' },
  { type: 'input_response', token: 't', data: null },
  { type: 'input_response', token: 't', data: 'v', extra: 1 },
  { type: 'execute', code: 'x', timout: 5 },
  { type: 'ping' },
  { type: 'nope' },
  null,
  [],
  'execute',
  42,
];

test('the hand check accepts only what the schema accepts, and builds the same message', () => {
  for (const raw of cases) {
    const fast = fastClientMessage(raw);
    const slow = WsClientMessage.safeParse(raw);
    if (fast !== undefined) {
      assert.ok(slow.success, `fast accepted what zod refuses: ${JSON.stringify(raw)}`);
      assert.deepEqual(fast, slow.data, JSON.stringify(raw));
    }
    const type = (raw as { type?: unknown } | null)?.type;
    if (slow.success && (type === 'execute' || type === 'input_response')) {
      assert.ok(fast, `fast refused a valid ${String(type)}: ${JSON.stringify(raw)}`);
    }
  }
});

test('parse errors name the problem and keep the request_id', () => {
  assert.deepEqual(parseClientMessage('{nope').ok, false);
  const bad = parseClientMessage(JSON.stringify({ type: 'execute', code: 5, request_id: 'r9' }));
  assert.ok(!bad.ok && bad.error.code === 'invalid_argument' && bad.requestId === 'r9');
  const unknown = parseClientMessage(JSON.stringify({ type: 'nope' }));
  assert.ok(!unknown.ok && unknown.error.code === 'unknown_message_type');
  const good = parseClientMessage(JSON.stringify({ type: 'ping', request_id: 'p' }));
  assert.ok(good.ok && good.message.type === 'ping' && good.requestId === 'p');
});

test('an unknown field is refused, not ignored: a typo would otherwise silently do nothing', () => {
  const typo = parseClientMessage(JSON.stringify({ type: 'execute', code: 'while True: pass', timout: 5, request_id: 'r1' }));
  assert.ok(!typo.ok);
  assert.equal(typo.error.code, 'invalid_argument');
  assert.equal(typo.requestId, 'r1');
  assert.equal(typo.error.message, 'message: unknown field "timout" (it takes: type, code, transaction_policy, timeout, request_id)');
  const pingExtra = parseClientMessage(JSON.stringify({ type: 'ping', verbose: true }));
  assert.ok(!pingExtra.ok && pingExtra.error.message.startsWith('message: unknown field "verbose"'));
});
