// `/ws?output=binary`: output events in binary frames (protocol/binary-output.ts), everything else JSON, the same
// events either way; JSON and binary clients on one session; replay across the two; a bad value refused.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { RecordingSocket, TestServer } from '../testing/server-harness.js';

let srv: TestServer;
before(async () => {
  srv = await TestServer.start({ maxSessions: 10, minIdle: 1 });
});
after(() => srv.close());

const isType = (type: string) => (m: { type: string }) => m.type === type;

async function run(ws: RecordingSocket, code: string): Promise<void> {
  const reply = ws.nextNew(isType('execute_reply'), 30_000, 'execute_reply');
  ws.send({ type: 'execute', code });
  await reply;
}

/** The session's events as a client saw them: type, seq and (for output) the data; other clients must see the same. */
function transcript(ws: RecordingSocket, afterSeq = 0): unknown[] {
  return ws.events().filter((e) => e.seq > afterSeq).map((e) => (e.type === 'output' ? [e.seq, e.type, e.stream, e.data] : [e.seq, e.type]));
}

const CODE = 'import sys\nprint("naïve \\"quoted\\"\\ttab € 😀")\nsys.stderr.write("warn\\n")\nprint("é" * 70000)\n6 * 7';

test('output comes in binary frames and everything else in JSON ones, with the same seq and data as in JSON', async () => {
  const owner = await srv.ws('?output=binary');
  const { session_id: id } = await owner.next(isType('session_created'));
  const watcher = await srv.ws(`?session_id=${id}&role=observer`); // JSON, live
  await watcher.next(isType('session_attached'));
  await run(owner, CODE);
  await watcher.next(isType('execute_reply'));
  owner.messages.forEach((m, i) => assert.equal(owner.framing[i], m.type === 'output' ? 'binary' : 'text', `${m.type} frame`));
  assert.ok(owner.framing.includes('binary'));
  const stdout = owner.messages.filter((m) => m.type === 'output' && m.stream === 'stdout').map((m) => m.data).join('');
  assert.equal(stdout, `naïve "quoted"\ttab € 😀\n${'é'.repeat(70000)}\n`, 'multi-byte characters intact across frames');
  assert.equal(owner.messages.filter((m) => m.type === 'output' && m.stream === 'stderr').map((m) => m.data).join(''), 'warn\n');
  assert.equal((await owner.next(isType('result'))).repr, '42');
  const seqs = owner.events().map((e) => e.seq);
  assert.deepEqual(seqs, seqs.map((_, i) => i + 1), 'one seq order across text and binary frames');
  assert.deepEqual(transcript(owner), transcript(watcher), 'the JSON observer saw the same events');
  assert.ok(watcher.framing.every((f) => f === 'text'));
  owner.close();
  watcher.close();
});

test('replay converts between the two: a JSON client gets output logged for binary ones, and the other way round', async () => {
  for (const [first, late] of [['binary', 'json'], ['json', 'binary']] as const) {
    const owner = await srv.ws(first === 'binary' ? '?output=binary' : '');
    const { session_id: id } = await owner.next(isType('session_created'));
    await run(owner, CODE);
    const observer = await srv.ws(`?session_id=${id}&role=observer&last_seq=0${late === 'binary' ? '&output=binary' : ''}`);
    await observer.next(isType('execute_reply'));
    assert.deepEqual(transcript(observer), transcript(owner), `logged for ${first}, replayed to ${late}`);
    assert.equal(observer.framing.includes('binary'), late === 'binary');
    owner.close();
    observer.close();
  }
});

test('a bad output= value is refused before the upgrade', async () => {
  await assert.rejects(srv.ws('?output=xml'), (err: { status?: number; body?: string }) => {
    assert.equal(err.status, 400);
    assert.match(err.body ?? '', /"invalid_argument".*output must be json or binary/);
    return true;
  });
});
