import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { CLOSE_CODES } from '../../protocol/limits.js';
import { RecordingSocket, TEST_TOKEN, TestServer } from '../testing/server-harness.js';
import { hostAllowed, originAllowed, type SecurityPolicy } from './security.js';

let srv: TestServer;
before(async () => {
  srv = await TestServer.start({ allowOrigins: ['http://allowed.example'] });
});
after(() => srv.close());

const policy = (port: number, extra: Partial<SecurityPolicy> = {}): SecurityPolicy => ({
  port: () => port, token: 't', cookieSecret: 'c', allowOrigins: [], allowHosts: [], ...extra,
});

test('Host rules: loopback names and addresses with the server port only', () => {
  const p = policy(8080, { allowHosts: ['mybox.lan'] });
  for (const ok of ['127.0.0.1:8080', 'localhost:8080', '[::1]:8080', '127.1.2.3:8080', 'app.localhost:8080', 'mybox.lan:8080']) assert.ok(hostAllowed(ok, p), ok);
  for (const bad of ['evil.com:8080', '127.0.0.1:9090', 'localhost', '127.0.0.1.evil.com:8080', '', undefined]) assert.ok(!hostAllowed(bad, p), String(bad));
});

test('Origin rules: same-port loopback http origins and the allow-list, never "null"', () => {
  const p = policy(8080, { allowOrigins: ['https://tool.example'] });
  for (const ok of ['http://127.0.0.1:8080', 'http://localhost:8080', 'https://tool.example']) assert.ok(originAllowed(ok, p), ok);
  for (const bad of ['null', 'http://evil.com', 'http://localhost:9999', 'https://localhost:8080', 'file://', 'http://127.0.0.1:8080.evil.com']) assert.ok(!originAllowed(bad, p), bad);
});

test('REST refusals: no token 401, wrong token 401, foreign Host 403, foreign Origin 403 even with the token', async () => {
  const none = await srv.request('GET', '/sessions', undefined, { authorization: null });
  assert.equal(none.status, 401);
  assert.equal(none.json.error.code, 'unauthorized');
  assert.equal((await srv.request('GET', '/sessions', undefined, { authorization: 'Bearer wrong-token' })).status, 401);
  const host = await srv.request('GET', '/sessions', undefined, { host: `evil.com:${srv.port}` });
  assert.equal(host.status, 403);
  assert.equal(host.json.error.code, 'forbidden_host');
  assert.equal((await srv.request('GET', '/health', undefined, { authorization: null, host: 'attacker.example' })).status, 403, 'DNS rebinding cannot read /health either');
  const origin = await srv.request('POST', '/sessions', undefined, { origin: 'http://evil.com' });
  assert.equal(origin.status, 403);
  assert.equal(origin.json.error.code, 'forbidden_origin');
  assert.equal(origin.headers['access-control-allow-origin'], undefined);
});

test('CORS answers only allowed origins, and never with credentials', async () => {
  const pre = await srv.request('OPTIONS', '/sessions', undefined, { authorization: null, origin: 'http://allowed.example', 'access-control-request-method': 'POST' });
  assert.equal(pre.status, 204);
  assert.equal(pre.headers['access-control-allow-origin'], 'http://allowed.example');
  assert.equal(pre.headers['access-control-allow-credentials'], undefined);
  const bad = await srv.request('OPTIONS', '/sessions', undefined, { authorization: null, origin: 'http://evil.com' });
  assert.equal(bad.status, 403);
  assert.equal(bad.headers['access-control-allow-origin'], undefined);
});

test('POST /auth exchanges the token for an HttpOnly SameSite cookie that authenticates REST and the WebSocket', async () => {
  assert.equal((await srv.request('POST', '/auth', { token: 'wrong' }, { authorization: null })).status, 401);
  const ok = await srv.request('POST', '/auth', { token: TEST_TOKEN }, { authorization: null });
  const cookie = String(ok.headers['set-cookie']);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
  assert.doesNotMatch(cookie, new RegExp(TEST_TOKEN), 'the cookie is not the token');
  const pair = cookie.split(';')[0]!;
  assert.equal((await srv.request('GET', '/sessions', undefined, { authorization: null, cookie: pair })).status, 200);
  const ws = await srv.ws('', { cookie: pair });
  assert.equal((await ws.next((m) => m.type === 'session_created')).type, 'session_created');
  ws.close();
});

test('WebSocket refusals happen before the upgrade: no token, wrong token, foreign Host, foreign Origin', async () => {
  const url = `${srv.url.replace(/^http/, 'ws')}/ws`;
  const cases: [Record<string, string>, number][] = [
    [{ authorization: 'Bearer wrong' }, 401],
    [{ authorization: `Bearer ${TEST_TOKEN}`, host: 'evil.com' }, 403],
    [{ authorization: `Bearer ${TEST_TOKEN}`, origin: 'http://evil.com' }, 403],
  ];
  for (const [headers, status] of cases) {
    await assert.rejects(RecordingSocket.open(url, headers), (err: Error & { status?: number }) => err.status === status, JSON.stringify(headers));
  }
});

test('a socket without a token may only authenticate with its first message; anything else closes it', async () => {
  const url = `${srv.url.replace(/^http/, 'ws')}/ws`;
  const good = await RecordingSocket.open(url, {});
  good.send({ type: 'auth', token: TEST_TOKEN });
  assert.equal((await good.next((m) => m.type === 'session_created')).type, 'session_created');
  good.close();
  const bad = await RecordingSocket.open(url, {});
  bad.send({ type: 'execute', code: 'import os; os.system("touch /tmp/pwned")' });
  assert.equal(await bad.closed(), CLOSE_CODES.policyViolation);
  assert.equal(bad.messages[0]?.error?.code, 'unauthorized');
  assert.equal(bad.messages.some((m) => m.type === 'session_created'), false);
});

test('observers cannot execute, answer input, interrupt or close (nothing runs)', async () => {
  const owner = await srv.ws();
  const { session_id: id } = await owner.next((m) => m.type === 'session_created');
  const observer = await srv.ws(`?session_id=${id}&role=observer`);
  await observer.next((m) => m.type === 'session_attached');
  observer.send({ type: 'execute', code: 'ran = True', request_id: 'x' });
  assert.equal((await observer.next((m) => m.type === 'request_error')).error.code, 'read_only');
  const check = await srv.request('POST', `/sessions/${id}/execute`, { code: "'ran' in dir()" });
  assert.equal(check.json.result.repr, 'False');
  assert.equal((await srv.request('GET', `/sessions/${id}`)).json.execution_count, 1);
  owner.close();
  observer.close();
});
