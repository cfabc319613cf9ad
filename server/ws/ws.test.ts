import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { API_TUNABLES } from '../api/tunables.js';
import { RecordingSocket, TestServer } from '../testing/server-harness.js';

let srv: TestServer;
before(async () => {
  srv = await TestServer.start({ maxSessions: 20, minIdle: 2 });
});
after(() => srv.close());

const isType = (type: string) => (m: { type: string }) => m.type === type;

async function ownerSession(): Promise<{ owner: RecordingSocket; id: string }> {
  const owner = await srv.ws();
  const created = await owner.next(isType('session_created'));
  return { owner, id: created.session_id };
}

async function runToIdle(ws: RecordingSocket, code: string): Promise<string> {
  const reply = ws.nextNew((m) => m.type === 'execute_reply', 30_000, 'execute_reply');
  ws.send({ type: 'execute', code });
  return (await reply).execution_id;
}

test("the seed's test_websocket_full_flow: session_created, then output and the result of print/42", async () => {
  const ws = await srv.ws();
  const first = await ws.next(() => true);
  assert.equal(first.type, 'session_created');
  ws.send({ type: 'execute', code: 'print("test"); 42' });
  const result = await ws.next(isType('result'));
  const outputs = ws.messages.filter(isType('output')).map((m) => m.data);
  assert.ok(outputs.join('').includes('test'));
  assert.equal(result.repr, '42');
  ws.close();
});

test('execute_accepted comes before the first event of its execution', async () => {
  const { owner } = await ownerSession();
  owner.send({ type: 'execute', code: '1', request_id: 'first' });
  const reply = await owner.next(isType('execute_reply'));
  const acceptedAt = owner.messages.findIndex((m) => m.type === 'execute_accepted');
  const inputAt = owner.messages.findIndex((m) => m.type === 'execute_input');
  assert.ok(acceptedAt !== -1 && acceptedAt < inputAt, JSON.stringify(owner.messages.map((m) => m.type)));
  assert.equal(owner.messages[acceptedAt].execution_id, reply.execution_id);
  assert.equal(owner.messages[acceptedAt].queue_position, 0, 'an idle session runs it at once');
  owner.send({ type: 'execute', code: 'import time; time.sleep(0.3)', request_id: 'slow' });
  owner.send({ type: 'execute', code: '2', request_id: 'second' });
  owner.send({ type: 'execute', code: '3', request_id: 'third' });
  const position = async (rid: string) => (await owner.next((m) => m.type === 'execute_accepted' && m.request_id === rid)).queue_position;
  assert.deepEqual([await position('slow'), await position('second'), await position('third')], [0, 1, 2]);
  owner.send({ type: 'close_session' });
  await owner.closed();
});

test('a server shutdown tells every client session_closed before closing its socket with 1001', async () => {
  const temp = await TestServer.start();
  const owner = await temp.ws();
  const { session_id: id } = await owner.next(isType('session_created'));
  const observer = await temp.ws(`?session_id=${id}&role=observer`);
  await observer.next(isType('session_attached'));
  await temp.close();
  for (const ws of [owner, observer]) {
    assert.equal((await ws.next(isType('session_closed'))).reason, 'server shutting down');
    assert.equal(await ws.closed(), 1001);
  }
});

test('session events carry seq +1 each and their execution_id; the full message set flows', async () => {
  const { owner } = await ownerSession();
  owner.send({ type: 'execute', code: 'import getpass\npw = getpass.getpass("pw: ")\nprint(len(pw))\n1/0', request_id: 'r1' });
  const accepted = await owner.next(isType('execute_accepted'));
  assert.equal(accepted.request_id, 'r1');
  const request = await owner.next(isType('input_request'));
  assert.equal(request.password, true);
  owner.send({ type: 'input_response', token: request.token, data: 'secret' });
  await owner.next(isType('execute_reply'));
  owner.send({ type: 'complete', code: 'pri', request_id: 'c1' });
  owner.send({ type: 'is_complete', code: 'if x:', request_id: 'c2' });
  owner.send({ type: 'ping', request_id: 'p1' });
  assert.ok((await owner.next((m) => m.type === 'complete_reply' && m.request_id === 'c1')).matches.includes('print('));
  assert.equal((await owner.next((m) => m.type === 'is_complete_reply' && m.request_id === 'c2')).status, 'incomplete');
  assert.equal((await owner.next(isType('pong'))).request_id, 'p1');
  const events = owner.events();
  events.forEach((e, i) => assert.equal(e.seq, i + 1, 'seq increases by one'));
  const types = events.map((e) => e.type);
  assert.deepEqual(types, ['execute_input', 'status', 'input_request', 'status', 'input_response', 'status', 'output', 'error', 'execute_reply', 'status']);
  for (const e of events) if (e.type !== 'status' || e.state !== 'idle') assert.equal(e.execution_id, accepted.execution_id);
  assert.equal(events.find(isType('input_response')).data, null, 'a password is never echoed');
  owner.send({ type: 'close_session' });
  assert.equal((await owner.next(isType('session_closed'))).reason, 'closed by client');
  assert.equal(await owner.closed(), 4000);
});

test('exit() in the code: execute_reply and then session_closed both carry the exit code, then the socket closes', async () => {
  const { owner } = await ownerSession();
  owner.send({ type: 'execute', code: 'print("bye")\nimport sys\nsys.exit(3)' });
  const reply = await owner.next(isType('execute_reply'));
  assert.equal(reply.status, 'ok');
  assert.equal(reply.exit_code, 3);
  assert.equal(reply.execution_count, 1);
  const closed = await owner.next(isType('session_closed'));
  assert.deepEqual([closed.reason, closed.exit_code], ['exit', 3]);
  assert.deepEqual(owner.events().map((e) => e.type), ['execute_input', 'status', 'output', 'execute_reply', 'session_closed']);
  assert.equal(await owner.closed(), 4000);
});

test('observers see everything live, late ones get the transcript first, and cannot drive the session', async () => {
  const { owner, id } = await ownerSession();
  await runToIdle(owner, 'x = 41');
  const late = await srv.ws(`?session_id=${id}&role=observer`);
  const attached = await late.next(isType('session_attached'));
  assert.equal(attached.role, 'observer');
  assert.deepEqual(late.events().map((e) => e.type), ['execute_input', 'status', 'execute_reply', 'status'], 'transcript so far');
  owner.send({ type: 'execute', code: 'name = input("who? ")\nprint("hello", name)\nx + 1' });
  const req = await late.next(isType('input_request'));
  assert.equal(req.prompt, 'who? ');
  const attempts = [
    { type: 'execute', code: 'x = 0' },
    { type: 'input_response', token: req.token, data: 'mallory' },
    { type: 'interrupt' },
    { type: 'close_session' },
  ];
  for (const attempt of attempts) {
    const type = attempt.type;
    late.send({ ...attempt, request_id: type });
    const refused = await late.next((m) => m.type === 'request_error' && m.request_id === type);
    assert.equal(refused.error.code, 'read_only');
  }
  owner.send({ type: 'input_response', token: req.token, data: 'ada' });
  const echo = await late.next(isType('input_response'));
  assert.equal(echo.data, 'ada');
  const result = await late.next(isType('result'));
  assert.equal(result.repr, '42', 'the observer did not change x');
  assert.equal((await owner.next(isType('result'))).repr, '42');
  const observed = late.events().filter((e) => e.seq > attached.last_seq).map((e) => e.type);
  assert.ok(observed.includes('execute_input') && observed.includes('output'));
  assert.deepEqual(
    owner.events().filter((e) => e.seq > attached.last_seq).map((e) => e.seq),
    late.events().filter((e) => e.seq > attached.last_seq).map((e) => e.seq),
    'the observer got exactly the owner\'s events',
  );
  const info = (await srv.request('GET', `/sessions/${id}`)).json;
  assert.deepEqual(info.clients, { owners: 1, observers: 1 });
});

test('a late observer gets the whole transcript, also when it is larger than the watermark at which live output is skipped', async () => {
  const { owner, id } = await ownerSession();
  const lines = 50_000; // 5 MB: more than an observer's live high watermark, less than the replay buffer
  assert.ok(lines * 100 > API_TUNABLES.wsLimits.observerHighWatermark);
  await runToIdle(owner, `import sys\nfor i in range(${lines}): sys.stdout.write('%06d ' % i + 'x' * 92 + '\\n')`);
  const printed = owner.messages.filter((m) => m.type === 'output').map((m) => m.data).join('');
  assert.equal(printed.length, lines * 100);
  const late = await srv.ws(`?session_id=${id}&role=observer&last_seq=0`);
  await late.next(isType('session_attached'));
  await late.next(isType('execute_reply'), 30_000);
  assert.equal(late.messages.some((m) => m.type === 'output_dropped'), false, 'nothing of the replay is skipped');
  assert.equal(late.messages.filter((m) => m.type === 'output').map((m) => m.data).join(''), printed);
  late.close();
  owner.close();
});

test('everyone attached hears who comes and goes (clients), the newcomer from its session_attached', async () => {
  const { owner, id } = await ownerSession();
  const counts = (o: number, b: number) => (m: { type: string; owners?: number; observers?: number }) =>
    m.type === 'clients' && m.owners === o && m.observers === b;
  const observer = await srv.ws(`?session_id=${id}&role=observer`);
  assert.deepEqual((await observer.next(isType('session_attached'))).clients, { owners: 1, observers: 1 });
  assert.equal((await owner.next(counts(1, 1))).session_id, id);
  const second = await srv.ws(`?session_id=${id}`);
  await second.next(isType('session_attached'));
  await owner.next(counts(2, 1));
  await observer.next(counts(2, 1));
  observer.close();
  await owner.next(counts(2, 0));
  await second.next(counts(2, 0));
  second.close();
  await owner.next(counts(1, 0));
  const told = owner.messages.filter((m) => m.type === 'clients').map((m) => [m.owners, m.observers]);
  assert.deepEqual(told, [[1, 1], [2, 1], [2, 0], [1, 0]], 'one notice per change, in order');
  assert.equal(second.messages.filter((m) => m.type === 'clients').length, 1, 'a newcomer is not told about itself');
  owner.close();
});

test('reattaching with last_seq replays exactly the missed events, none twice', async () => {
  const { owner, id } = await ownerSession();
  owner.send({ type: 'execute', code: 'import time\nfor i in range(60):\n    print("line", i)\n    time.sleep(0.01)' });
  await owner.next((m) => m.type === 'output');
  const lastSeen = Math.max(...owner.events().map((e) => e.seq));
  owner.ws.terminate(); // drop mid-stream
  const seen = owner.events().filter((e) => e.seq <= lastSeen);
  await new Promise((r) => setTimeout(r, 300));
  const again = await srv.ws(`?session_id=${id}&last_seq=${lastSeen}`);
  const attached = await again.next(isType('session_attached'));
  assert.equal(attached.replay_from, lastSeen + 1);
  await again.next((m) => m.type === 'status' && m.state === 'idle', 30_000, 'idle');
  const all = [...seen, ...again.events()];
  assert.deepEqual(all.map((e) => e.seq), all.map((_, i) => i + 1), 'no gap and no duplicate');
  const text = all.filter(isType('output')).map((e) => e.data).join('');
  assert.equal(text, Array.from({ length: 60 }, (_, i) => `line ${i}\n`).join(''));
  assert.equal(again.messages.some(isType('replay_gap')), false);
});

test('a reattaching owner gets the pending input request again and can answer it', async () => {
  const { owner, id } = await ownerSession();
  owner.send({ type: 'execute', code: 'answer = input("? ")\nanswer.upper()' });
  const req = await owner.next(isType('input_request'));
  const lastSeq = Math.max(...owner.events().map((e) => e.seq));
  owner.close();
  await owner.closed();
  const back = await srv.ws(`?session_id=${id}&last_seq=${lastSeq}`);
  const attached = await back.next(isType('session_attached'));
  assert.equal(attached.pending_input.token, req.token);
  assert.equal(attached.state, 'waiting_input');
  back.send({ type: 'input_response', token: req.token, data: 'yes' });
  assert.equal((await back.next(isType('result'))).repr, "'YES'");
});

test('a gap older than the replay buffer is reported explicitly', async () => {
  const small = await TestServer.start({ replayBufferBytes: 4096, minIdle: 1 });
  try {
    const owner = await small.ws();
    const { session_id: id } = await owner.next(isType('session_created'));
    owner.send({ type: 'execute', code: 'for i in range(2000):\n    print("x" * 50)' });
    await owner.next(isType('execute_reply'), 30_000);
    owner.close();
    const back = await small.ws(`?session_id=${id}&last_seq=1`);
    const gap = await back.next(isType('replay_gap'));
    assert.equal(gap.missed_from, 2);
    assert.ok(gap.missed_events > 0);
    const first = back.events()[0];
    assert.equal(first.seq, gap.missed_to + 1);
  } finally {
    await small.close();
  }
});

test('10 sessions waiting on input at once each get their own answer', async () => {
  const owners = await Promise.all(Array.from({ length: 10 }, () => ownerSession()));
  for (const [i, { owner }] of owners.entries()) owner.send({ type: 'execute', code: `v = input("session ${i}? ")\nf"{v}-${i}"` });
  const requests = await Promise.all(owners.map(({ owner }) => owner.next(isType('input_request'))));
  // Answer in reverse order, each with its own token; a token sent to the wrong session is refused there.
  owners[0]!.owner.send({ type: 'input_response', token: requests[1]!.token, data: 'wrong', request_id: 'cross' });
  assert.equal((await owners[0]!.owner.next((m) => m.type === 'request_error' && m.request_id === 'cross')).error.code, 'unknown_input_token');
  for (let i = 9; i >= 0; i--) owners[i]!.owner.send({ type: 'input_response', token: requests[i]!.token, data: `answer${i}` });
  const results = await Promise.all(owners.map(({ owner }) => owner.next(isType('result'))));
  results.forEach((r, i) => assert.equal(r.repr, `'answer${i}-${i}'`));
  await Promise.all(owners.map(({ id }) => srv.request('DELETE', `/sessions/${id}`)));
});

test('a session outlives its socket, and sessions nobody uses are culled after idle_timeout', async () => {
  const quick = await TestServer.start({ idleTimeout: 0.5, minIdle: 0 });
  try {
    const detached = (await quick.request('POST', '/sessions')).json.session_id;
    const watched = await quick.ws();
    const { session_id: kept } = await watched.next(isType('session_created'));
    const busy = (await quick.request('POST', '/sessions')).json.session_id;
    await quick.request('POST', `/sessions/${busy}/jobs`, { code: 'import time\ntime.sleep(2.5)' });
    await new Promise((r) => setTimeout(r, 1800));
    assert.equal((await quick.request('GET', `/sessions/${detached}`)).json.error?.code, 'session_closed');
    assert.equal((await quick.request('GET', `/sessions/${kept}`)).json.state, 'idle', 'an attached client keeps it');
    assert.equal((await quick.request('GET', `/sessions/${busy}`)).json.state, 'busy', 'a running session is not culled');
  } finally {
    await quick.close();
  }
});
