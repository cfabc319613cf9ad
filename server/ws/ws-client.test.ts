import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { WebSocket } from 'ws';
import type { ApiSession } from '../api/api-session.js';
import { API_TUNABLES } from '../api/tunables.js';
import { WsClient } from './ws-client.js';

/** Just enough of a ws WebSocket (and its net.Socket) for WsClient's flow control, with the buffer size in our hands. */
class FakeWs extends EventEmitter {
  readyState = 1;
  bufferedAmount = 0;
  readonly _socket = new EventEmitter();
  close(): void {
    this.readyState = 3;
  }
}

function client(ws: FakeWs): WsClient {
  const session = { id: 's-1', detach: () => undefined } as unknown as ApiSession;
  const hooks = { closeSession: async () => undefined, onDropped: () => undefined, onClose: () => undefined };
  return new WsClient(ws as unknown as WebSocket, session, 'owner', API_TUNABLES.wsLimits, hooks);
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
