import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ws from 'ws';
import { frameHeader, headerLength, writeFrameHeader } from './frame-header.js';

test('the header is what ws itself writes for an unmasked final text or binary frame', () => {
  const Sender = (ws as unknown as { Sender: unknown }).Sender as { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  for (const binary of [false, true]) {
    for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000, 5_000_000]) {
      const [header] = Sender.frame(Buffer.alloc(length), { fin: true, opcode: binary ? 2 : 1, mask: false, readOnly: true, rsv1: false });
      assert.deepEqual(frameHeader(length, binary), header, `length ${length}, ${binary ? 'binary' : 'text'}`);
    }
  }
});

test('writeFrameHeader writes that header at an offset and returns where the payload starts', () => {
  for (const length of [0, 125, 126, 65_535, 65_536, 5_000_000]) {
    const header = frameHeader(length, true);
    const target = Buffer.alloc(3 + header.length, 0xee);
    assert.equal(writeFrameHeader(target, 3, length, true), 3 + header.length);
    assert.deepEqual(target.subarray(3), header);
    assert.equal(headerLength(length), header.length);
  }
});
