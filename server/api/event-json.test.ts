import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEventApi, UnsequencedEvent } from '../../protocol/api-messages.js';
import { TestServer } from '../testing/server-harness.js';
import { numbered } from './event-frame.js';
import { eventJson, QuotedIds } from './event-json.js';
import type { LoggedEvent } from './event-log.js';
import { frameBytes } from './frame.js';

const strings = ['', '1+1', 'print("hi")\nx = 1', 'quote " backslash \\ tab \t nul \u0000 esc \u001b', 'é 日本語 \u2028 🐍', '\ud800 lone'];
const id = 'e0a1b2c3-d4e5-4f60-8a9b-0c1d2e3f4a5b';

/** The events as the server builds them, keys in its order, with every optional field present and absent. */
function partials(): UnsequencedEvent[] {
  const out: UnsequencedEvent[] = [];
  for (const state of ['busy', 'idle', 'waiting_input', 'dead'] as const) {
    for (const execution_id of [id, null]) out.push({ type: 'status', state, execution_id });
  }
  for (const code of strings) for (const source of ['ws', 'rest', 'job'] as const) out.push({ type: 'execute_input', execution_id: id, code, source });
  for (const repr of strings) {
    for (const value of [undefined, 2, -0, 1.5e300, 'é"', null, true, [1, { a: 'b' }], { nested: { deep: [null] } }]) {
      for (const count of [undefined, 7]) {
        for (const time of [undefined, 0, 0.000239, Number.NaN]) {
          const event: UnsequencedEvent & { type: 'result' } = { type: 'result', execution_id: id, repr };
          if (value !== undefined) event.value = value;
          if (count !== undefined) event.execution_count = count;
          if (time !== undefined) event.execution_time = time;
          out.push(event);
        }
      }
    }
  }
  for (const status of ['ok', 'error', 'aborted'] as const) {
    for (const exit_code of [undefined, 0, 3, 'bye "now"', null]) {
      const event: UnsequencedEvent & { type: 'execute_reply' } = { type: 'execute_reply', execution_id: id, status, execution_count: 12, execution_time: 0.25 };
      if (exit_code !== undefined) event.exit_code = exit_code;
      out.push(event);
    }
  }
  out.push({ type: 'session_closed', reason: 'exit', exit_code: 0 }, { type: 'input_response', execution_id: id, token: 't', data: 'é' });
  return out;
}

test('each template writes exactly what JSON.stringify writes, whichever optional fields the event has', () => {
  const ids = new QuotedIds('sess-"1"');
  for (const partial of partials()) {
    const event = numbered(structuredClone(partial), 42, 'sess-"1"');
    assert.equal(eventJson(event, ids), JSON.stringify(event), JSON.stringify(partial));
  }
});

test('QuotedIds quotes the latest execution id once and follows it when it changes', () => {
  const ids = new QuotedIds('s');
  assert.equal(ids.session, '"s"');
  assert.equal(ids.execution('a'), '"a"');
  assert.equal(ids.execution('a'), '"a"');
  assert.equal(ids.execution('b"'), '"b\\""');
  assert.equal(ids.execution(null), 'null');
  assert.equal(ids.execution('a'), '"a"');
});

test('every event a real session logs has a frame that is JSON.stringify of the event', async () => {
  const srv = await TestServer.start();
  try {
    const logged: LoggedEvent[] = [];
    srv.server.deps.manager.on('created', (api) => api.on('logged', (entry) => logged.push(entry)));
    const created = await srv.request('POST', '/sessions', {});
    const sid = (created.json as { session_id: string }).session_id;
    const cells = ['1+1', 'print("hi é")\n"x"', 'None', '{"a": [1, 2.5, None]}', '1/0', 'import sys; sys.stderr.write("w\\n")', 'input("name? ")', 'exit(3)'];
    for (const code of cells) await srv.request('POST', `/sessions/${sid}/execute`, { code, stdin: ['Ada'] });
    const types = new Set(logged.map((e) => e.event.type));
    for (const type of ['execute_input', 'status', 'result', 'execute_reply', 'output', 'error', 'input_request', 'session_closed']) {
      assert.ok(types.has(type as SessionEventApi['type']), `a ${type} event was logged`);
    }
    for (const entry of logged) assert.equal(frameBytes(entry.frame('json')).toString('utf8'), JSON.stringify(entry.event));
  } finally {
    await srv.close();
  }
});
