import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ws from 'ws';
import { textFrameHeader } from './text-frame.js';

test('the header is what ws itself writes for an unmasked final text frame', () => {
  const Sender = (ws as unknown as { Sender: unknown }).Sender as { frame(data: Buffer, options: Record<string, unknown>): Buffer[] };
  for (const length of [0, 1, 125, 126, 127, 65_535, 65_536, 70_000, 5_000_000]) {
    const [header] = Sender.frame(Buffer.alloc(length), { fin: true, opcode: 1, mask: false, readOnly: true, rsv1: false });
    assert.deepEqual(textFrameHeader(length), header, `length ${length}`);
  }
});
