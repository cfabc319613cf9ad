import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { TestServer } from '../testing/server-harness.js';

let srv: TestServer;
before(async () => {
  srv = await TestServer.start({ maxSessions: 6, maxQueued: 2 });
});
after(() => srv.close());

async function newSession(): Promise<string> {
  const res = await srv.request('POST', '/sessions');
  assert.equal(res.status, 201, res.text);
  return res.json.session_id;
}

test('GET /health needs no token and reveals only status and pool numbers', async () => {
  const res = await srv.request('GET', '/health', undefined, { authorization: null });
  assert.equal(res.status, 200);
  assert.deepEqual(Object.keys(res.json).sort(), ['pool', 'status']);
  assert.deepEqual(Object.keys(res.json.pool).sort(), ['active', 'idle', 'max', 'starting', 'total', 'waiting']);
});

test('session lifecycle: create 201, list, describe, delete, then session_closed', async () => {
  const id = await newSession();
  const list = await srv.request('GET', '/sessions');
  assert.ok(list.json.some((s: { session_id: string }) => s.session_id === id));
  const one = await srv.request('GET', `/sessions/${id}`);
  assert.equal(one.json.state, 'idle');
  for (const key of ['created_at', 'last_activity', 'execution_count', 'queue_length', 'clients', 'pending_input']) {
    assert.ok(key in one.json, key);
  }
  assert.equal((await srv.request('DELETE', `/sessions/${id}`)).status, 200);
  const gone = await srv.request('GET', `/sessions/${id}`);
  assert.equal(gone.status, 409);
  assert.equal(gone.json.error.code, 'session_closed');
  assert.equal((await srv.request('GET', '/sessions/no-such-id')).json.error.code, 'session_not_found');
});

test('POST /sessions/{id}/execute returns outputs in order, stdout, stderr, result and timing', async () => {
  const id = await newSession();
  const res = await srv.request('POST', `/sessions/${id}/execute`, { code: 'import sys\nprint("test")\nprint("warn", file=sys.stderr)\n42' });
  assert.equal(res.status, 200);
  assert.equal(res.json.status, 'ok');
  assert.deepEqual(res.json.outputs, [{ stream: 'stdout', data: 'test\n' }, { stream: 'stderr', data: 'warn\n' }]);
  assert.equal(res.json.stdout, 'test\n');
  assert.equal(res.json.stderr, 'warn\n');
  assert.equal(res.json.result.repr, '42');
  assert.equal(res.json.result.value, 42);
  assert.equal(res.json.error, null);
  assert.equal(typeof res.json.execution_time, 'number');
  const err = await srv.request('POST', `/sessions/${id}/execute`, { code: '1/0' });
  assert.equal(err.json.status, 'error');
  assert.equal(err.json.error.exception, 'ZeroDivisionError');
  assert.match(err.json.error.traceback, /<cell-2>/);
});

test('stdin lines answer input() in order; without them input() raises EOFError', async () => {
  const id = await newSession();
  const res = await srv.request('POST', `/sessions/${id}/execute`, { code: 'a = input("a? ")\nb = input()\nprint(a + b)\nimport getpass\ngetpass.getpass("pw: ")', stdin: ['x', 'y', 'secret'] });
  assert.equal(res.json.result.repr, "'secret'");
  // As \`python3 script.py < lines\` prints it: the prompts, not the answers.
  assert.deepEqual(res.json.outputs, [{ stream: 'stdout', data: 'a? xy\n' }, { stream: 'stderr', data: 'pw: ' }]);
  const eof = await srv.request('POST', `/sessions/${id}/execute`, { code: 'input()' });
  assert.equal(eof.json.error.exception, 'EOFError');
});

test('a misspelt field is refused with the fields the request takes, and nothing runs', async () => {
  const id = await newSession();
  const typo = await srv.request('POST', `/sessions/${id}/execute`, { code: 'ran = True', timout: 1 });
  assert.equal(typo.status, 400);
  assert.equal(typo.json.error.code, 'invalid_argument');
  assert.equal(typo.json.error.message, 'body: unknown field "timout" (it takes: code, stdin, timeout, transaction_policy, async)');
  const oneShot = await srv.request('POST', '/execute', { code: '1', transaction_policy: 'rollback_always' });
  assert.match(oneShot.json.error.message, /^body: unknown field "transaction_policy" \(it takes: code, stdin, timeout\)$/);
  const after = await srv.request('POST', `/sessions/${id}/execute`, { code: "'ran' in dir()" });
  assert.equal(after.json.result.repr, 'False');
  // A request that takes no fields says so, rather than quietly creating something else than was asked for.
  const named = await srv.request('POST', '/sessions', { name: 'analysis' });
  assert.equal(named.status, 400);
  assert.equal(named.json.error.message, 'body: unknown field "name" (this request takes none)');
  assert.equal((await srv.request('POST', `/sessions/${id}/interrupt`, {})).status, 200, 'an empty object is no field');
  await srv.request('DELETE', `/sessions/${id}`);
});

test('timeout and transaction_policy are honoured', async () => {
  const id = await newSession();
  const slow = await srv.request('POST', `/sessions/${id}/execute`, { code: 'while True: pass', timeout: 0.3 });
  assert.equal(slow.json.error.limit, 'timeout');
  assert.equal(slow.json.error.message, 'time limit of 0.3 s exceeded', 'the error names the limit, as memory and output errors do');
  await srv.request('POST', `/sessions/${id}/execute`, { code: 'v = 1' });
  await srv.request('POST', `/sessions/${id}/execute`, { code: 'v = 2\n1/0', transaction_policy: 'rollback_on_failure' });
  assert.equal((await srv.request('POST', `/sessions/${id}/execute`, { code: 'v' })).json.result.repr, '1');
});

test('async jobs: 202, poll output so far and the pending input, answer it, then the full response', async () => {
  const id = await newSession();
  const accepted = await srv.request('POST', `/sessions/${id}/execute`, { code: 'print("started")\nname = input("name? ")\nprint("hi", name)', async: true });
  assert.equal(accepted.status, 202);
  const jobId = accepted.json.job_id;
  let job = (await srv.request('GET', `/jobs/${jobId}`)).json;
  for (let i = 0; i < 200 && !job.pending_input; i++) {
    await new Promise((r) => setTimeout(r, 20));
    job = (await srv.request('GET', `/jobs/${jobId}`)).json;
  }
  assert.equal(job.state, 'waiting_input');
  assert.equal(job.pending_input.prompt, 'name? ');
  assert.deepEqual(job.outputs, [{ stream: 'stdout', data: 'started\nname? ' }]);
  const wrong = await srv.request('POST', `/jobs/${jobId}/input`, { token: 'nope', data: 'x' });
  assert.equal(wrong.status, 409);
  assert.equal(wrong.json.error.code, 'unknown_input_token');
  assert.equal((await srv.request('POST', `/jobs/${jobId}/input`, { token: job.pending_input.token, data: 'ada' })).status, 200);
  for (let i = 0; i < 200 && job.state !== 'finished'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    job = (await srv.request('GET', `/jobs/${jobId}`)).json;
  }
  assert.equal(job.response.stdout, 'started\nname? hi ada\n');
  // The session-level input endpoint answers whatever the session is waiting for.
  const second = await srv.request('POST', `/sessions/${id}/jobs`, { code: 'input("again? ")' });
  let pending = (await srv.request('GET', `/sessions/${id}`)).json.pending_input;
  for (let i = 0; i < 200 && !pending; i++) {
    await new Promise((r) => setTimeout(r, 20));
    pending = (await srv.request('GET', `/sessions/${id}`)).json.pending_input;
  }
  assert.equal(pending.prompt, 'again? ');
  assert.equal((await srv.request('POST', `/sessions/${id}/input`, { token: pending.token, data: 'yes' })).status, 200);
  let secondJob = (await srv.request('GET', `/jobs/${second.json.job_id}`)).json;
  for (let i = 0; i < 200 && secondJob.state !== 'finished'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    secondJob = (await srv.request('GET', `/jobs/${second.json.job_id}`)).json;
  }
  assert.equal(secondJob.response.result.repr, "'yes'");
  const viaJobs = await srv.request('POST', `/sessions/${id}/jobs`, { code: '1 + 1' });
  assert.equal(viaJobs.status, 202);
  assert.equal((await srv.request('GET', '/jobs/unknown')).json.error.code, 'job_not_found');
});

test('POST /execute is one-shot: a fresh session each time, nothing leaks between calls', async () => {
  const first = await srv.request('POST', '/execute', { code: 'import os\nleak = 1\nos.getpid()' });
  const second = await srv.request('POST', '/execute', { code: "import os\n['leak' in dir(), os.getpid()]" });
  assert.equal(first.status, 200);
  const [leaked, pid] = second.json.result.value as [boolean, number];
  assert.equal(leaked, false);
  assert.notEqual(pid, first.json.result.value);
  const withInput = await srv.request('POST', '/execute', { code: 'input() * 2', stdin: ['ab'] });
  assert.equal(withInput.json.result.repr, "'abab'");
});

test('exit() ends the session: the response says with which code, and the session is closed after it', async () => {
  const id = await newSession();
  const res = await srv.request('POST', `/sessions/${id}/execute`, { code: 'print(1)\nexit(3)' });
  assert.equal(res.status, 200, res.text);
  assert.deepEqual([res.json.status, res.json.stdout, res.json.exit_code], ['ok', '1\n', 3]);
  const after = await srv.request('GET', `/sessions/${id}`);
  assert.equal(after.json.error?.code, 'session_closed', after.text);
  const plain = await srv.request('POST', '/execute', { code: '1+1' });
  assert.equal('exit_code' in plain.json, false, 'only an execution that exited has one');
  const oneShot = await srv.request('POST', '/execute', { code: 'raise SystemExit("bye")' });
  assert.deepEqual([oneShot.json.exit_code, oneShot.json.stderr], [1, 'bye\n'], 'like python: a message goes to stderr, code 1');
});

test('interrupt, restart, complete, is_complete, namespace', async () => {
  const id = await newSession();
  const job = await srv.request('POST', `/sessions/${id}/jobs`, { code: 'import time\ntime.sleep(60)' });
  for (let i = 0; i < 200 && (await srv.request('GET', `/sessions/${id}`)).json.state !== 'busy'; i++) await new Promise((r) => setTimeout(r, 20));
  assert.deepEqual((await srv.request('POST', `/sessions/${id}/interrupt`)).json, { interrupted: true });
  let info = (await srv.request('GET', `/jobs/${job.json.job_id}`)).json;
  for (let i = 0; i < 200 && info.state !== 'finished'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    info = (await srv.request('GET', `/jobs/${job.json.job_id}`)).json;
  }
  assert.equal(info.response.error.exception, 'KeyboardInterrupt');
  await srv.request('POST', `/sessions/${id}/execute`, { code: 'my_var = [1, 2]' });
  assert.ok((await srv.request('POST', `/sessions/${id}/complete`, { code: 'my_v' })).json.matches.includes('my_var'));
  assert.deepEqual((await srv.request('POST', `/sessions/${id}/is_complete`, { code: 'for i in x:' })).json, { status: 'incomplete', indent: '    ' });
  const ns = (await srv.request('GET', `/sessions/${id}/namespace`)).json.variables;
  assert.deepEqual(ns.find((v: { name: string }) => v.name === 'my_var'), { name: 'my_var', type: 'list', repr: '[1, 2]', truncated: false });
  const restarted = await srv.request('POST', `/sessions/${id}/restart`);
  assert.equal(restarted.json.state, 'idle');
  assert.equal((await srv.request('POST', `/sessions/${id}/execute`, { code: "'my_var' in dir()" })).json.result.repr, 'False');
});

test('executions queue FIFO; past max_queued the answer is 429 queue_full', async () => {
  const id = await newSession();
  const running = srv.request('POST', `/sessions/${id}/execute`, { code: 'import time\ntime.sleep(0.5)\norder = [1]' });
  await new Promise((r) => setTimeout(r, 100));
  const q1 = srv.request('POST', `/sessions/${id}/execute`, { code: 'order.append(2)' });
  const q2 = srv.request('POST', `/sessions/${id}/execute`, { code: 'order.append(3); order' });
  await new Promise((r) => setTimeout(r, 100));
  const refused = await srv.request('POST', `/sessions/${id}/execute`, { code: '1' });
  assert.equal(refused.status, 429);
  assert.equal(refused.json.error.code, 'queue_full');
  await running;
  await q1;
  assert.equal((await q2).json.result.repr, '[1, 2, 3]');
});

test('the pool exhausted is 503 with Retry-After', async () => {
  const small = await TestServer.start({ maxSessions: 1, minIdle: 0, acquireTimeout: 0.2 });
  try {
    assert.equal((await small.request('POST', '/sessions')).status, 201);
    const refused = await small.request('POST', '/sessions');
    assert.equal(refused.status, 503);
    assert.equal(refused.json.error.code, 'pool_exhausted');
    assert.ok(refused.headers['retry-after']);
  } finally {
    await small.close();
  }
});

test('GET /metrics is Prometheus text with the product counters', async () => {
  const res = await srv.request('GET', '/metrics');
  assert.equal(res.status, 200);
  for (const name of ['pyrepl_sessions', 'pyrepl_executions_total', 'pyrepl_execution_duration_seconds', 'pyrepl_output_bytes_total', 'pyrepl_output_dropped_bytes_total', 'pyrepl_ws_clients', 'pyrepl_worker_crashes_total', 'pyrepl_pool_sessions']) {
    assert.match(res.text, new RegExp(`^# TYPE ${name} `, 'm'), name);
  }
  assert.match(res.text, /pyrepl_executions_total\{status="ok",source="rest"\} [1-9]/);
  assert.match(res.text, /pyrepl_pool_waits_total\{outcome="warm"\} [1-9]/);
  assert.match(res.text, /^pyrepl_process_cpu_seconds_total /m, "prom-client's process metrics, under our prefix once");
  assert.match(res.text, /^# TYPE pyrepl_nodejs_eventloop_lag_seconds /m);
});

test('GET /openapi.json describes every route the server runs; /ws-schema.json both directions', async () => {
  const doc = (await srv.request('GET', '/openapi.json', undefined, { authorization: null })).json;
  for (const route of srv.server.routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    assert.ok(doc.paths[path]?.[route.method], `${route.method} ${path} is in the OpenAPI document`);
  }
  const ws = (await srv.request('GET', '/ws-schema.json', undefined, { authorization: null })).json;
  assert.ok(JSON.stringify(ws.client_to_server).includes('input_response'));
  assert.ok(JSON.stringify(ws.server_to_client).includes('output_dropped'));
  assert.match(ws.connection.query.output, /json or binary/);
  assert.match(ws.binary_output_frame, /4-byte big-endian length/);
});
