import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventLog } from './event-log.js';

function out(data: string) {
  return { type: 'output' as const, execution_id: 'e', stream: 'stdout' as const, data };
}

test('numbers events from 1, one by one, and stamps the session id', () => {
  const log = new EventLog('s1', { maxEvents: 100, maxBytes: 1e6 });
  const a = log.append(out('a'));
  const b = log.append(out('b'));
  assert.deepEqual([a.seq, b.seq], [1, 2]);
  assert.equal(a.event.session_id, 's1');
  assert.deepEqual(JSON.parse(b.frame.toString('utf8')), { ...out('b'), seq: 2, session_id: 's1' });
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
    sent.set(entry.seq, entry.frame.toString('utf8'));
    const { bytes, events } = log.size;
    assert.ok(events >= 1 && events <= 50);
    assert.ok(bytes <= 4000 || events === 1, `bytes ${bytes} with ${events} events`);
    if (i % 7 === 0) {
      const replay = log.since(0).events;
      assert.equal(replay[replay.length - 1]!.seq, entry.seq);
      for (const e of replay) {
        assert.equal(e.frame.toString('utf8'), sent.get(e.seq), `seq ${e.seq}`);
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
  assert.equal(JSON.parse(replayed!.frame.toString('utf8')).data, 'hello');
  assert.equal(replayed!.dataBytes, 5);
});
