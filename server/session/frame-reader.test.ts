import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FrameReader } from './frame-reader.js';

function frames(chunks: Buffer[], max = 1 << 20): [unknown, string | null][] {
  const reader = new FrameReader(max);
  const out: [unknown, string | null][] = [];
  for (const c of chunks) reader.push(c, (m, p) => out.push([m, p === null ? null : p.toString('utf8')]));
  return out;
}

const header = (n: number) => `{"type":"output","execution_id":"e","stream":"stdout","bytes":${n}}\n`;

test('JSON lines, and output headers followed by their raw payload', () => {
  const stream = Buffer.from(`{"type":"ready"}\n${header(6)}a\nb\n"}{"type":"execute_reply"}\n`);
  const got = frames([stream]);
  assert.deepEqual(got.map(([m]) => (m as { type: string }).type), ['ready', 'output', 'execute_reply']);
  assert.equal(got[1]![1], 'a\nb\n"}', 'payload bytes are not parsed, even newlines and braces');
  assert.equal(got[0]![1], null);
});

test('any split across chunks: byte by byte gives the same frames', () => {
  const text = `${header(Buffer.byteLength("é€\n"))}é€\n{"type":"x"}\n${header(0)}{"type":"y"}\n`;
  const whole = frames([Buffer.from(text)]);
  const bytes = Buffer.from(text);
  const split = frames([...bytes].map((b) => Buffer.from([b])));
  assert.deepEqual(split.map(([m]) => m), whole.map(([m]) => m));
  assert.deepEqual(
    Buffer.concat(split.filter(([, p]) => p !== null).map(([, p]) => Buffer.from(p!))),
    Buffer.concat(whole.filter(([, p]) => p !== null).map(([, p]) => Buffer.from(p!))),
  );
});

test('garbage and oversized lines throw (the worker is broken)', () => {
  assert.throws(() => frames([Buffer.from('not json\n')]), SyntaxError);
  assert.throws(() => frames([Buffer.from('x'.repeat(100))], 50), RangeError);
  assert.throws(() => frames([Buffer.from(header(1000))], 50), RangeError);
});

test('payloads put together from several reads stay right when the next one reuses the space', () => {
  const first = 'a'.repeat(300);
  const second = 'b'.repeat(100);
  const stream = Buffer.from(`${header(300)}${first}${header(100)}${second}`);
  const chunks: Buffer[] = [];
  for (let at = 0; at < stream.length; at += 64) chunks.push(stream.subarray(at, at + 64)); // every payload spans reads
  const got = frames(chunks);
  assert.deepEqual(got.map(([, p]) => p), [first, second]);
});
