import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { SessionEventApi, UnsequencedEvent } from '../../protocol/api-messages.js';
import { binaryOutputData, binaryOutputFrame, jsonFrame, numbered } from './event-frame.js';
import { QuotedIds } from './event-json.js';
import { frameBytes } from './frame.js';

const samples = [
  '',
  'hello\n',
  'quote " backslash \\ tab \t cr \r nul \u0000 esc \u001b bell \u0007 del \u007f',
  'é ü ß — “curly” € 日本語 \u2028 \u2029 🐍🎉',
  'x'.repeat(99) + '\n',
  ('x'.repeat(99) + '\n').repeat(3000),
  'é'.repeat(5000),
  '🐍'.repeat(3000) + 'tail',
  'a'.repeat(5000) + '日'.repeat(200),
  '\u0001'.repeat(6000),
  // Large enough for the quick quoting: plain lines, and one character at the very end that JSON escapes after all.
  ...['', '"', '\\', '\t', '\r', '\u001b[0m', '\u0000', '\u001f', '\ud800', '\udc00x', '\u007f', '\u2028', 'é日🐍'].map(
    (last) => ('line of output ' + 'x'.repeat(84) + '\n').repeat(50) + last,
  ),
  'é日🐍\n'.repeat(2000),
];

test('an output frame is exactly JSON.stringify of the event, with its data size in UTF-8 bytes', () => {
  for (const data of samples) {
    for (const execution_id of ['e-1', null]) {
      const partial: UnsequencedEvent = { type: 'output', execution_id, stream: 'stdout', data };
      const expected = { ...partial, seq: 42, session_id: 'sess' };
      const event = numbered(partial, 42, 'sess');
      const { frame, dataBytes } = jsonFrame(event);
      assert.equal(frameBytes(frame).toString('utf8'), JSON.stringify(expected), `data of ${data.length} chars`);
      assert.equal(frame.length, frameBytes(frame).length);
      assert.deepEqual(event, expected);
      // Decoded worker output is always well-formed; a lone surrogate has no UTF-8 size to compare with.
      if (data.isWellFormed()) assert.equal(dataBytes, Buffer.byteLength(data));
    }
  }
});

test('other events are their JSON with seq and session_id, and no data bytes', () => {
  const partial: UnsequencedEvent = { type: 'result', execution_id: 'e', repr: '2', value: { a: [1, 'é'] }, execution_time: 0.5 };
  const expected = { ...partial, seq: 7, session_id: 's' };
  const event = numbered(partial, 7, 's');
  const { frame, dataBytes } = jsonFrame(event);
  assert.equal(frameBytes(frame).toString('utf8'), JSON.stringify(expected));
  assert.deepEqual(event, expected);
  assert.equal(dataBytes, 0);
});

test('a binary output frame has the event without its data as its header, then the data, with or without quoted ids', () => {
  for (const execution_id of ['e-"1"', null]) {
    for (const ids of [undefined, new QuotedIds('sess')]) {
      const event = numbered({ type: 'output', execution_id, stream: 'stderr', data: 'é\n' }, 9, 'sess') as SessionEventApi & { type: 'output' };
      const { frame, dataBytes } = binaryOutputFrame(event, ids);
      const bytes = frameBytes(frame);
      const headerLength = bytes.readUInt32BE(0);
      assert.deepEqual(JSON.parse(bytes.toString('utf8', 4, 4 + headerLength)), { type: 'output', execution_id, stream: 'stderr', seq: 9, session_id: 'sess' });
      assert.equal(binaryOutputData(frame), 'é\n');
      assert.equal(dataBytes, Buffer.byteLength('é\n'));
    }
  }
});
