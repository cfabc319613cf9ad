import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLog } from './event-log.js';
import { frameBytes } from './frame.js';

function out(data: string) {
  return { type: 'output' as const, execution_id: 'e', stream: 'stdout' as const, data };
}

test('numbers events from 1, one by one, and stamps the session id', () => {
  const log = new EventLog('s1', { maxEvents: 100, maxBytes: 1e6 });
  const a = log.append(out('a'));
  const b = log.append(out('b'));
  assert.deepEqual([a.seq, b.seq], [1, 2]);
  assert.equal(a.event.session_id, 's1');
  assert.deepEqual(JSON.parse(frameBytes(b.frame('json')).toString('utf8')), { ...out('b'), seq: 2, session_id: 's1' });
});

test('replays exactly what follows last_seq, none twice', () => {
  const log = new EventLog('s', { maxEvents: 100, maxBytes: 1e6 });
  for (let i = 1; i <= 10; i++) log.append(out(String(i)));
  assert.deepEqual(log.since(7).events.map((e) => e.seq), [8, 9, 10]);
  assert.deepEqual(log.since(10).events, []);
  assert.deepEqual(log.since(0).events.map((e) => e.seq), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(log.since(7).gap, null);
  assert.deepEqual(log.since(99).events, [], 'a seq from the future replays nothing');
});

test('a gap older than the buffer is reported with how much was lost', () => {
  const log = new EventLog('s', { maxEvents: 5, maxBytes: 1e6 });
  for (let i = 1; i <= 12; i++) log.append(out(String(i)));
  assert.equal(log.firstSeq, 8);
  const plan = log.since(3);
  assert.deepEqual(plan.gap, { missed_from: 4, missed_to: 7, missed_events: 4 });
  assert.deepEqual(plan.events.map((e) => e.seq), [8, 9, 10, 11, 12]);
});

test('the buffer is bounded by bytes too, and compaction keeps seqs right', () => {
  const log = new EventLog('s', { maxEvents: 1_000_000, maxBytes: 10_000 });
  for (let i = 1; i <= 5000; i++) log.append(out('x'.repeat(50)));
  assert.ok(log.size.bytes <= 10_000);
  const plan = log.since(4990);
  assert.deepEqual(plan.events.map((e) => e.seq), [4991, 4992, 4993, 4994, 4995, 4996, 4997, 4998, 4999, 5000]);
  assert.equal(log.since(log.firstSeq - 1).gap, null);
});

test('evicted events are let go at once (nothing beyond the limit stays referenced)', () => {
  const log = new EventLog('s', { maxEvents: 1_000_000, maxBytes: 1000 });
  for (let i = 0; i < 100; i++) log.append(out('y'.repeat(200)));
  const kept = (log as unknown as { entries: unknown[] }).entries.filter((e) => e !== undefined);
  assert.equal(kept.length, log.size.events);
  assert.ok(kept.length <= 5);
});

test('replayed frames are byte-exact through many wraps of the ring, with events of every size', () => {
  const log = new EventLog('s', { maxEvents: 50, maxBytes: 4000 });
  const sent = new Map<number, string>();
  let state = 7;
  const rand = (n: number) => ((state = (state * 1103515245 + 12345) % 2 ** 31) % n);
  for (let i = 0; i < 3000; i++) {
    const size = [0, 5, 60, 400, 1500, 3900, 6000][rand(7)]!;
    const entry = log.append(out('é'.repeat(rand(3)) + 'x'.repeat(size)));
    sent.set(entry.seq, frameBytes(entry.frame('json')).toString('utf8'));
    const { bytes, events } = log.size;
    assert.ok(events >= 1 && events <= 50);
    assert.ok(bytes <= 4000 || events === 1, `bytes ${bytes} with ${events} events`);
    if (i % 7 === 0) {
      const replay = log.since(0).events;
      assert.equal(replay[replay.length - 1]!.seq, entry.seq);
      for (const e of replay) {
        assert.equal(frameBytes(e.frame('json')).toString('utf8'), sent.get(e.seq), `seq ${e.seq}`);
        assert.equal(e.event.type, 'output');
      }
    }
  }
});

test('a live event carries its data; the replayed copy does not keep a second one', () => {
  const log = new EventLog('s', { maxEvents: 10, maxBytes: 1e6 });
  const live = log.append(out('hello'));
  assert.equal((live.event as { data: string }).data, 'hello');
  const [replayed] = log.since(0).events;
  assert.equal((replayed!.event as { data: string }).data, '');
  assert.equal(JSON.parse(frameBytes(replayed!.frame('json')).toString('utf8')).data, 'hello');
  assert.equal(replayed!.dataBytes, 5);
});

/** A binary output frame, taken apart (protocol/binary-output.ts). */
function unpackBinary(frame: Buffer): { header: Record<string, unknown>; data: string } {
  const n = frame.readUInt32BE(0);
  return { header: JSON.parse(frame.toString('utf8', 4, 4 + n)) as Record<string, unknown>, data: frame.toString('utf8', 4 + n) };
}

test('an output event has a binary frame (header, then the data unescaped) and a JSON one, the same event either way', () => {
  const data = 'naïve "quoted"\tline\n€ 😀\n';
  for (const first of ['json', 'binary'] as const) {
    const log = new EventLog('s1', { maxEvents: 100, maxBytes: 1e6 });
    const entry = log.append(out(data), first);
    const { header, data: raw } = unpackBinary(frameBytes(entry.frame('binary')));
    assert.deepEqual(header, { type: 'output', execution_id: 'e', stream: 'stdout', seq: 1, session_id: 's1' });
    assert.equal(raw, data);
    assert.deepEqual(JSON.parse(frameBytes(entry.frame('json')).toString('utf8')), { ...out(data), seq: 1, session_id: 's1' });
    assert.equal(entry.dataBytes, Buffer.byteLength(data));
    assert.equal(entry.isBinary('binary'), true);
    assert.equal(entry.isBinary('json'), false);
  }
});

test('events other than output are JSON for every client', () => {
  const log = new EventLog('s1', { maxEvents: 100, maxBytes: 1e6 });
  const entry = log.append({ type: 'status', state: 'idle', execution_id: null }, 'binary');
  assert.equal(entry.isBinary('binary'), false);
  assert.deepEqual(JSON.parse(frameBytes(entry.frame('binary')).toString('utf8')), { type: 'status', state: 'idle', execution_id: null, seq: 1, session_id: 's1' });
});

test('the replay buffer keeps one frame per event, and a replay in the other encoding is made from it', () => {
  const lines = Array.from({ length: 5 }, (_, i) => `line ${i} ✓\n`);
  for (const kept of ['json', 'binary'] as const) {
    const log = new EventLog('s', { maxEvents: 100, maxBytes: 1e6 });
    for (const line of lines) log.append(out(line), kept);
    const replay = log.since(0).events;
    assert.deepEqual(replay.map((e) => unpackBinary(frameBytes(e.frame('binary'))).data), lines, `kept ${kept}, replayed binary`);
    assert.deepEqual(replay.map((e) => (JSON.parse(frameBytes(e.frame('json')).toString('utf8')) as { data: string }).data), lines, `kept ${kept}, replayed JSON`);
    assert.deepEqual(replay.map((e) => e.seq), [1, 2, 3, 4, 5]);
  }
});

test('large output is kept and replayed byte for byte, split frames and all, in both encodings', () => {
  const big = `${'naïve € 😀 '.repeat(2000)}\n`; // above the size from which frames are split (frame.ts)
  for (const kept of ['json', 'binary'] as const) {
    const log = new EventLog('s', { maxEvents: 100, maxBytes: 1e6 });
    const live = log.append(out(big), kept);
    const [replayed] = log.since(0).events;
    for (const entry of [live, replayed!]) {
      assert.equal(unpackBinary(frameBytes(entry.frame('binary'))).data, big);
      assert.equal((JSON.parse(frameBytes(entry.frame('json')).toString('utf8')) as { data: string }).data, big);
      assert.equal(entry.dataBytes, Buffer.byteLength(big));
      assert.equal(entry.frame(kept).length, frameBytes(entry.frame(kept)).length, 'a split frame knows its byte length');
    }
  }
});
