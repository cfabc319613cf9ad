import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE_CODES } from '../../protocol/limits.js';
import { TestServer } from '../testing/server-harness.js';

let srv: TestServer;
let sessionId: string;
before(async () => {
  srv = await TestServer.start({ maxBodyBytes: 64 * 1024 });
  sessionId = (await srv.request('POST', '/sessions')).json.session_id;
  await srv.request('POST', `/sessions/${sessionId}/execute`, { code: 'kept = "intact"' });
});
after(() => srv.close());

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function badValues(rand: () => number): unknown[] {
  const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const scalars = [null, true, 0, -1, 1e308, 'x', '', '\u0000', '\ud800', [], {}, [1, 'a'], { nested: { deep: [null] } }];
  return Array.from({ length: 40 }, () => {
    const base: Record<string, unknown> = {};
    for (const key of ['code', 'stdin', 'timeout', 'transaction_policy', 'async', 'token', 'data', 'cursor', 'type']) {
      if (rand() < 0.5) base[key] = pick(scalars);
    }
    return rand() < 0.2 ? pick(scalars) : base;
  });
}

const RAW_BODIES = ['{', '{"code": }', 'null', '[]', '"string"', '{"code": "1"', '\u0000\u0001', '{"code": "1"}}', 'NaN', '{"__proto__": {"admin": true}, "code": 1}'];

test('fuzzed REST bodies get structured 4xx errors; the server and other sessions are unharmed', async () => {
  const rand = prng(42);
  const posts = [`/sessions/${sessionId}/execute`, `/sessions/${sessionId}/jobs`, '/execute', `/sessions/${sessionId}/complete`, `/sessions/${sessionId}/is_complete`, `/sessions/${sessionId}/input`, '/jobs/x/input', '/auth'];
  for (const path of posts) {
    const bodies = [...badValues(rand).map((v) => JSON.stringify(v)), ...RAW_BODIES];
    for (const body of bodies) {
      const res = await srv.request('POST', path, body);
      assert.ok(res.status >= 400 && res.status < 500 || res.status === 200, `${path} ${body} → ${res.status}`);
      if (res.status >= 400) {
        assert.equal(typeof res.json?.error?.code, 'string', `${path} ${body}: ${res.text}`);
        assert.equal(typeof res.json.error.message, 'string');
      }
    }
  }
  const tooBig = await srv.request('POST', `/sessions/${sessionId}/execute`, { code: 'x'.repeat(100 * 1024) });
  assert.equal(tooBig.status, 413);
  assert.equal(tooBig.json.error.code, 'payload_too_large');
  assert.equal(typeof tooBig.json.error.limit_bytes, 'number', 'the answer says what the limit is');
  assert.match(tooBig.json.error.message, new RegExp(`limit of ${tooBig.json.error.limit_bytes} bytes`));
  for (const path of ['/sessions/../../etc/passwd', '/sessions/%00', '/jobs/', `/sessions/${sessionId}/nope`, '/assets/../../package.json']) {
    const res = await srv.request('GET', path);
    assert.ok(res.status === 404 || res.status === 400, `${path} → ${res.status}`);
    assert.equal(typeof res.json?.error?.code, 'string', path);
  }
  assert.equal((await srv.request('GET', '/health')).json.status, 'ok');
  const check = await srv.request('POST', `/sessions/${sessionId}/execute`, { code: 'kept' });
  assert.equal(check.json.result.repr, "'intact'");
});

test('fuzzed WebSocket messages get request_error; the socket, the server and the session stay up', async () => {
  const ws = await srv.ws(`?session_id=${sessionId}`);
  await ws.next((m) => m.type === 'session_attached');
  const rand = prng(7);
  const frames = [...badValues(rand).map((v) => JSON.stringify(v)), ...RAW_BODIES, JSON.stringify({ type: 'unknown_thing' }), JSON.stringify({ type: 'input_response', token: 'stale', data: 'x' })];
  for (const [i, frame] of frames.entries()) {
    ws.send(frame);
    if (i % 10 === 0) ws.ws.send(Buffer.from([0xff, 0x00, 0x13]), { binary: true });
  }
  ws.send({ type: 'ping', request_id: 'after-fuzz' });
  await ws.next((m) => m.type === 'pong' && m.request_id === 'after-fuzz');
  const errors = ws.messages.filter((m) => m.type === 'request_error');
  assert.ok(errors.length >= frames.length - 5, `${errors.length} errors for ${frames.length} frames`);
  for (const e of errors) assert.equal(typeof e.error.code, 'string');
  ws.send({ type: 'execute', code: 'kept' });
  assert.equal((await ws.next((m) => m.type === 'result')).repr, "'intact'");
  const tooBig = await srv.ws(`?session_id=${sessionId}`);
  tooBig.send({ type: 'execute', code: 'y'.repeat(100 * 1024) });
  assert.equal(await tooBig.closed(), CLOSE_CODES.messageTooBig);
  ws.send({ type: 'ping', request_id: 'still-open' });
  await ws.next((m) => m.type === 'pong' && m.request_id === 'still-open');
  ws.close();
});

test('attaching to unknown or closed sessions is refused with a structured error', async () => {
  await assert.rejects(srv.ws('?session_id=does-not-exist'), (err: Error & { status?: number; body?: string }) => err.status === 404 && JSON.parse(err.body!).error.code === 'session_not_found');
  await assert.rejects(srv.ws(`?session_id=${sessionId}&role=admin`), (err: Error & { status?: number }) => err.status === 400);
  await assert.rejects(srv.ws(`?session_id=${sessionId}&last_seq=-4`), (err: Error & { status?: number }) => err.status === 400);
  const closing = (await srv.request('POST', '/sessions')).json.session_id;
  await srv.request('DELETE', `/sessions/${closing}`);
  await assert.rejects(srv.ws(`?session_id=${closing}`), (err: Error & { status?: number }) => err.status === 409);
});
