import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameHeader } from './frame-header.js';
import { SmallFrames } from './small-frames.js';

test('the batch is each frame header and payload, in order, in one buffer; then it is empty', () => {
  const batch = new SmallFrames();
  const frames = [
    { payload: Buffer.from('{"type":"status"}'), binary: false },
    { payload: Buffer.alloc(126, 0x61), binary: true },
    { payload: Buffer.alloc(0), binary: false },
    { payload: Buffer.alloc(70_000, 0x62), binary: false },
  ];
  for (const f of frames) batch.add(f.payload, f.binary);
  const expected = Buffer.concat(frames.flatMap((f) => [frameHeader(f.payload.length, f.binary), f.payload]));
  assert.equal(batch.bytes, expected.length);
  assert.deepEqual(batch.take(), expected);
  assert.equal(batch.isEmpty, true);
  assert.equal(batch.bytes, 0);
  batch.add(Buffer.from('x'), false);
  assert.deepEqual(batch.take(), Buffer.concat([frameHeader(1), Buffer.from('x')]), 'nothing of the earlier batch is left');
});
