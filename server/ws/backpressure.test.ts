import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { API_TUNABLES } from '../api/tunables.js';
import type { WsClient } from './ws-client.js';
import { TestServer, type RecordingSocket } from '../testing/server-harness.js';

let srv: TestServer;
before(async () => {
  srv = await TestServer.start();
});
after(() => srv.close());

const LINES = 100_000; // 10 MB of 100-byte lines
const CODE = `import sys\nfor i in range(${LINES}):\n    sys.stdout.write('x' * 99 + '\\n')`;
const TOTAL = LINES * 100;

function rawSocket(ws: RecordingSocket): Socket {
  return (ws.ws as unknown as { _socket: Socket })._socket;
}

function outputBytes(ws: RecordingSocket): number {
  return ws.messages.filter((m) => m.type === 'output').reduce((n, m) => n + m.data.length, 0);
}

test('a stalled owner holds the worker back: server buffers stay bounded and every byte arrives in order', async () => {
  const owner = await srv.ws();
  const { session_id: id } = await owner.next((m) => m.type === 'session_created');
  const api = srv.server.deps.manager.get(id);
  rawSocket(owner).pause(); // the client stops reading: its TCP window fills, then the server's socket buffer
  owner.send({ type: 'execute', code: CODE });
  let maxSession = 0;
  let maxSocket = 0;
  for (let i = 0; i < 40; i++) {
    await new Promise((r) => setTimeout(r, 25));
    maxSession = Math.max(maxSession, api.session.bufferedBytes);
    for (const c of api.clients) maxSocket = Math.max(maxSocket, (c as WsClient).ws.bufferedAmount);
  }
  assert.equal(api.state, 'busy', 'the worker is held back, not finished');
  assert.ok(maxSocket < API_TUNABLES.wsLimits.ownerHighWatermark + 2 * API_TUNABLES.outputBatchBytes, `socket buffer ${maxSocket}`);
  assert.ok(maxSession < 8 * 1024 * 1024, `session buffer ${maxSession}`);
  rawSocket(owner).resume();
  await owner.next((m) => m.type === 'execute_reply', 60_000);
  assert.equal(outputBytes(owner), TOTAL, 'nothing the owner asked for is dropped');
  assert.equal(owner.messages.some((m) => m.type === 'output_dropped'), false);
  const seqs = owner.events().map((e) => e.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1));
  owner.close();
});

for (const output of ['json', 'binary'] as const) test(`a stalled observer gets output_dropped and then live events; the owner is not slowed by it (${output} frames)`, async () => {
  const owner = await srv.ws(output === 'binary' ? '?output=binary' : '');
  const { session_id: id } = await owner.next((m) => m.type === 'session_created');
  const observer = await srv.ws(`?session_id=${id}&role=observer&output=${output}`);
  await observer.next((m) => m.type === 'session_attached');
  rawSocket(observer).pause();
  owner.send({ type: 'execute', code: CODE });
  await owner.next((m) => m.type === 'execute_reply', 60_000);
  assert.equal(outputBytes(owner), TOTAL);
  rawSocket(observer).resume();
  await observer.next((m) => m.type === 'execute_reply', 60_000);
  const dropped = observer.messages.filter((m) => m.type === 'output_dropped');
  assert.ok(dropped.length > 0, 'the observer was told what it missed');
  const droppedBytes = dropped.reduce((n, m) => n + m.bytes, 0);
  assert.equal(outputBytes(observer) + droppedBytes, TOTAL, 'received + dropped accounts for every byte');
  assert.equal(observer.framing.includes('binary'), output === 'binary');
  // After catching up it is live again.
  owner.send({ type: 'execute', code: 'print("live again")' });
  assert.equal((await observer.nextNew((m) => m.type === 'output')).data, 'live again\n');
  const metrics = await srv.request('GET', '/metrics');
  assert.match(metrics.text, /pyrepl_output_dropped_bytes_total [1-9]/);
  owner.close();
  observer.close();
});

test('flow {paused}: an owner that says it is full holds the worker back until it resumes; nothing is dropped', async () => {
  const owner = await srv.ws();
  const { session_id: id } = await owner.next((m) => m.type === 'session_created');
  const api = srv.server.deps.manager.get(id);
  owner.send({ type: 'flow', paused: true });
  owner.send({ type: 'execute', code: CODE });
  for (let i = 0; i < 40; i++) await new Promise((r) => setTimeout(r, 25));
  assert.equal(api.state, 'busy', 'the worker is held back, not finished');
  const whilePaused = outputBytes(owner);
  assert.ok(whilePaused < TOTAL / 2, `only what was under way arrives while paused (${whilePaused} of ${TOTAL} bytes)`);
  assert.equal(owner.messages.some((m) => m.type === 'execute_reply'), false);
  owner.send({ type: 'flow', paused: false });
  await owner.next((m) => m.type === 'execute_reply', 60_000);
  assert.equal(outputBytes(owner), TOTAL, 'nothing the owner asked for is dropped');
  assert.equal(owner.messages.some((m) => m.type === 'request_error'), false, 'flow has no reply and is no error');
  owner.close();
});

test('flow {paused}: a paused observer skips output (the owner runs at full speed), told what it missed', async () => {
  const owner = await srv.ws();
  const { session_id: id } = await owner.next((m) => m.type === 'session_created');
  const observer = await srv.ws(`?session_id=${id}&role=observer`);
  await observer.next((m) => m.type === 'session_attached');
  observer.send({ type: 'flow', paused: true });
  observer.send({ type: 'ping', request_id: 'p1' });
  await observer.next((m) => m.type === 'pong'); // messages are handled in order: the pause is in effect
  owner.send({ type: 'execute', code: CODE });
  await owner.next((m) => m.type === 'execute_reply', 60_000);
  assert.equal(outputBytes(owner), TOTAL);
  await observer.next((m) => m.type === 'execute_reply', 60_000);
  assert.equal(outputBytes(observer), 0, 'a paused observer gets no output');
  // As for an observer that falls behind: what was skipped is said before the next event that is not output.
  const dropped = observer.messages.filter((m) => m.type === 'output_dropped');
  assert.equal(dropped.reduce((n, m) => n + m.bytes, 0), TOTAL);
  const order = observer.messages.map((m) => m.type);
  assert.ok(order.lastIndexOf('output_dropped') < order.indexOf('execute_reply'));
  observer.send({ type: 'flow', paused: false });
  owner.send({ type: 'execute', code: 'print("live again")' });
  assert.equal((await observer.nextNew((m) => m.type === 'output')).data, 'live again\n');
  owner.close();
  observer.close();
});

test('an interrupt reaches code that is held back by flow control: KeyboardInterrupt, and the session lives on', async () => {
  const owner = await srv.ws();
  const { session_id: id } = await owner.next((m) => m.type === 'session_created');
  const api = srv.server.deps.manager.get(id);
  owner.send({ type: 'flow', paused: true });
  owner.send({ type: 'execute', code: "import sys\nwhile True:\n    sys.stdout.write('y' * 99 + '\\n')" });
  while (api.session.bufferedBytes < 1024 * 1024) await new Promise((r) => setTimeout(r, 25)); // the worker fills our buffer, then blocks
  owner.send({ type: 'interrupt' });
  owner.send({ type: 'flow', paused: false });
  const error = await owner.next((m) => m.type === 'error', 30_000);
  assert.equal(error.exception, 'KeyboardInterrupt');
  owner.send({ type: 'execute', code: '6 * 7' });
  assert.equal((await owner.nextNew((m) => m.type === 'result')).repr, '42', 'same session, same worker');
  owner.close();
});
