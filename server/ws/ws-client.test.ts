import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { ApiSession } from '../api/api-session.js';
import { LoggedEvent } from '../api/event-log.js';
import { API_TUNABLES } from '../api/tunables.js';
import { FlushScheduler } from './flush-scheduler.js';
import { WsClient, type WsClientLimits } from './ws-client.js';

/** Just enough of a ws WebSocket (and its net.Socket) for WsClient's flow control, with the buffer size in our hands. */
class FakeSocket extends EventEmitter {
  /** Every chunk written, corked or not, in order. */
  readonly written: Buffer[] = [];
  cork(): void {}
  uncork(): void {}
  write(chunk: Buffer): boolean {
    this.written.push(chunk);
    return true;
  }
  /** The JSON messages written: the bytes of all writes, read as a sequence of small unmasked frames. */
  messages(): { type: string }[] {
    const bytes = Buffer.concat(this.written);
    const out: { type: string }[] = [];
    for (let at = 0; at < bytes.length; ) {
      assert.equal(bytes[at], 0x81, 'a final text frame');
      const length = bytes[at + 1]!;
      assert.ok(length < 126, 'the test sends small frames');
      out.push(JSON.parse(bytes.toString('utf8', at + 2, at + 2 + length)) as { type: string });
      at += 2 + length;
    }
    return out;
  }
}

class FakeWs extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly _socket = new FakeSocket();
  close(): void {
    this.readyState = 3;
  }
}

function client(ws: FakeWs, role: 'owner' | 'observer' = 'owner', limits: WsClientLimits = API_TUNABLES.wsLimits): WsClient {
  const session = { id: 's-1', detach: () => undefined } as unknown as ApiSession;
  const hooks = { closeSession: async () => undefined, onDropped: () => undefined, onClose: () => undefined };
  return new WsClient(ws as unknown as WebSocket, session, role, 'json', limits, hooks, new FlushScheduler(API_TUNABLES.flushWindowMs));
}

function output(seq: number, data: string): LoggedEvent {
  const event = { type: 'output', execution_id: 'e-1', stream: 'stdout', data, seq, session_id: 's-1' } as const;
  return new LoggedEvent(seq, event, Buffer.byteLength(data), Buffer.from(JSON.stringify(event)), null);
}

async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  // Several turns, so a promise resolved by anything already scheduled has had its chance.
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

const OVER = API_TUNABLES.wsLimits.ownerHighWatermark + 1;

test('a congested owner is woken by its socket draining, not before (no polling)', async () => {
  const ws = new FakeWs();
  const c = client(ws);
  assert.equal(await settled(c.whenUncongested()), true, 'not congested: resolves at once');
  ws.bufferedAmount = OVER;
  assert.equal(c.congested(), true);
  const waiting = c.whenUncongested();
  assert.equal(await settled(waiting), false, 'still congested: keeps waiting');
  ws._socket.emit('drain');
  assert.equal(await settled(waiting), false, "a 'drain' while still above the watermark does not wake it");
  ws.bufferedAmount = 0;
  assert.equal(await settled(waiting), false, 'nothing looks until the socket says it drained');
  ws._socket.emit('drain');
  assert.equal(await settled(waiting), true);
});

test('an owner that paused itself (flow) is woken when it resumes, and any waiter when the connection ends', async () => {
  const ws = new FakeWs();
  const c = client(ws);
  ws.emit('message', Buffer.from(JSON.stringify({ type: 'flow', paused: true })), false);
  await settled(Promise.resolve());
  assert.equal(c.congested(), true);
  const paused = c.whenUncongested();
  assert.equal(await settled(paused), false);
  ws.emit('message', Buffer.from(JSON.stringify({ type: 'flow', paused: false })), false);
  assert.equal(await settled(paused), true, 'resumed: woken');

  ws.bufferedAmount = OVER;
  const stuck = c.whenUncongested();
  assert.equal(await settled(stuck), false);
  ws.emit('close');
  assert.equal(await settled(stuck), true, 'a closed client holds nobody back');
});

test('an observer that fell behind resumes when its socket drains, not before and without polling', async () => {
  const ws = new FakeWs();
  // The backstop is out of reach, so only the socket's 'drain' can bring the observer back.
  const c = client(ws, 'observer', { ...API_TUNABLES.wsLimits, observerRecheckMs: 3_600_000 });
  ws.bufferedAmount = API_TUNABLES.wsLimits.observerHighWatermark + 1;
  c.deliver(output(1, 'skipped 1\n'));
  c.deliver(output(2, 'skipped 2\n'));
  ws.bufferedAmount = 0;
  c.deliver(output(3, 'skipped 3\n')); // still skipping: it resumes on 'drain', so that what it missed is said first
  c.flush();
  await settled(Promise.resolve());
  assert.deepEqual(ws._socket.messages(), [], 'nothing sent while behind, and nothing looks until the socket drains');
  ws._socket.emit('drain');
  c.deliver(output(4, 'live\n'));
  c.flush();
  const sent = ws._socket.messages() as { type: string; bytes?: number; events?: number; data?: string }[];
  assert.deepEqual(sent.map((m) => m.type), ['output_dropped', 'output']);
  assert.equal(sent[0]?.bytes, 30);
  assert.equal(sent[0]?.events, 3);
  assert.equal(sent[1]?.data, 'live\n');
  ws.emit('close');
});

test('an observer that paused itself (flow) resumes when it says so, with what it missed said first', async () => {
  const ws = new FakeWs();
  const c = client(ws, 'observer', { ...API_TUNABLES.wsLimits, observerRecheckMs: 3_600_000 });
  ws.emit('message', Buffer.from(JSON.stringify({ type: 'flow', paused: true })), false);
  await settled(Promise.resolve());
  c.deliver(output(1, 'skipped\n'));
  ws._socket.emit('drain');
  c.flush();
  assert.deepEqual(ws._socket.messages(), [], "a 'drain' does not end a pause the client asked for");
  ws.emit('message', Buffer.from(JSON.stringify({ type: 'flow', paused: false })), false);
  await settled(Promise.resolve());
  c.flush();
  assert.deepEqual(ws._socket.messages().map((m) => m.type), ['output_dropped']);
  ws.emit('close');
});

test('a batch of small frames is one socket write; a big frame keeps its place after the small ones before it', async () => {
  const ws = new FakeWs();
  const c = client(ws);
  for (let seq = 1; seq <= 3; seq++) c.deliver(output(seq, `line ${seq}\n`));
  c.flush();
  assert.equal(ws._socket.written.length, 1, 'three frames, one write');
  assert.deepEqual(ws._socket.messages().map((m) => (m as { seq?: number }).seq), [1, 2, 3]);

  const big = ws._socket.written.length;
  c.deliver(output(4, 'small\n'));
  c.deliver(output(5, 'x'.repeat(20_000)));
  c.deliver(output(6, 'after\n'));
  c.flush();
  const chunks = ws._socket.written.slice(big);
  // small batch (seq 4), the big frame's header and payload, then the small batch after it (seq 6)
  assert.equal(chunks.length, 4);
  const texts = chunks.map((b) => b.toString('utf8'));
  assert.match(texts[0]!, /"seq":4/);
  assert.match(texts[2]!, /"seq":5/);
  assert.match(texts[3]!, /"seq":6/);
  ws.emit('close');
});
