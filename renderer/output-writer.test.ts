import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RegionSpec } from './layout.js';
import { OutputWriter, type TerminalSink } from './output-writer.js';
import { HeadlessScreen } from './testing/headless-screen.js';
import { stringWidth } from './unicode-width.js';

function promptRegion(text: string): RegionSpec {
  return { lines: [{ prompt: '>>> ', text }], cursor: { line: 0, offset: text.length }, newlineFirst: true };
}

function setup(cols = 30, rows = 8) {
  const screen = new HeadlessScreen(cols, rows);
  const writer = new OutputWriter(screen, stringWidth, { chunkChars: 64 });
  let region: RegionSpec | null = null;
  writer.setRegion(() => region);
  const settle = async () => {
    await writer.whenIdle();
    await screen.flush();
  };
  return { screen, writer, settle, setRegion: (r: RegionSpec | null) => ((region = r), writer.redraw()) };
}

test('output goes above the prompt, which follows it down with what is typed', async () => {
  const { screen, writer, settle, setRegion } = setup();
  setRegion(promptRegion('x'));
  writer.output('one\ntwo\n');
  await settle();
  assert.deepEqual(screen.lines(), ['one', 'two', '>>> x']);
  setRegion(promptRegion('xy'));
  writer.output('three\n');
  await settle();
  assert.deepEqual(screen.lines(), ['one', 'two', 'three', '>>> xy']);
  assert.deepEqual(screen.cursor(), { x: 6, y: 3 });
});

test('an unfinished output line is kept and type-ahead continues it', async () => {
  const { screen, writer, settle, setRegion } = setup();
  writer.output('50%');
  setRegion({ lines: [{ prompt: '', text: 'ab' }], cursor: { line: 0, offset: 2 } });
  await settle();
  assert.deepEqual(screen.lines(), ['50%ab']);
  writer.output('\r75%');
  await settle();
  assert.deepEqual(screen.lines(), ['75%ab']);
  writer.output(' done\nnext\n');
  await settle();
  assert.deepEqual(screen.lines(), ['75% done', 'next', 'ab']);
});

test('lineStart() starts a new line only after an unfinished one; commit() leaves the region in the transcript', async () => {
  const { screen, writer, settle, setRegion } = setup();
  writer.output('\x1b[31mred\n\x1b[0m'); // a colour reset after the newline is not a started line
  writer.lineStart();
  writer.output('a');
  writer.lineStart();
  writer.output('b\n');
  writer.lineStart();
  writer.output('c\n');
  setRegion(promptRegion('1 + 1'));
  await settle();
  writer.commit(promptRegion('1 + 1'));
  setRegion(null);
  writer.output('2\n');
  await settle();
  assert.deepEqual(screen.lines(), ['red', 'a', 'b', 'c', '>>> 1 + 1', '2']);
});

test('a stream much larger than a chunk arrives whole and in order, the prompt below it', async () => {
  const { screen, writer, settle, setRegion } = setup(30, 5);
  setRegion(promptRegion(''));
  const lines = Array.from({ length: 300 }, (_, i) => `line ${i}`);
  for (const line of lines) writer.output(`${line}\n`);
  await settle();
  assert.deepEqual(screen.lines(), [...lines, '>>>']);
});

test('flow control: at most two chunks unparsed; a redraw is written at once, not after the backlog', async () => {
  const written: string[] = [];
  const callbacks: (() => void)[] = [];
  const sink: TerminalSink = { cols: 40, rows: 10, write: (data, cb) => (written.push(data), callbacks.push(cb)) };
  const writer = new OutputWriter(sink, stringWidth, { chunkChars: 100 });
  let text = '';
  writer.setRegion(() => (text ? { lines: [{ prompt: '', text }], cursor: { line: 0, offset: text.length } } : null));
  writer.output('x'.repeat(99) + '\n'.repeat(1) + 'y'.repeat(10_000));
  assert.equal(written.length, 2); // two chunks handed over, the rest waits
  assert.ok(writer.pending > 9000);
  text = 'k';
  writer.redraw();
  assert.equal(written.length, 3);
  assert.match(written[2]!, /k\x1b\[\d+G$/); // the keystroke's echo, queued right behind two chunks
  callbacks.shift()!();
  assert.equal(written.length, 4); // one parsed → one more handed over, with the region redrawn below it
  assert.ok(written[3]!.includes('k'));
});

test('whileErased: the region is erased before a resize and drawn again after, at the new width', async () => {
  const { screen, writer, settle, setRegion } = setup(20, 6);
  writer.output('hello\n');
  setRegion(promptRegion('abcdefghijklmnopqrstu')); // 25 cells: two rows at 20 columns
  await settle();
  assert.deepEqual(screen.lines(), ['hello', '>>> abcdefghijklmnop', 'qrstu']);
  await new Promise<void>((resolve) =>
    writer.whileErased(() => {
      assert.deepEqual(screen.lines(), ['hello']); // nothing of the region left to reflow
      screen.term.resize(40, 6);
      resolve();
    }),
  );
  await settle();
  assert.deepEqual(screen.lines(), ['hello', '>>> abcdefghijklmnopqrstu']);
});

test('clearScreen keeps only the region', async () => {
  const { screen, writer, settle, setRegion } = setup();
  writer.output('old output\n');
  setRegion(promptRegion('x'));
  await settle();
  writer.clearScreen();
  await settle();
  assert.deepEqual(screen.screen().filter(Boolean), ['>>> x']);
});

test('backlog watermarks: output piling up asks the server to hold back, draining asks it to go on, once each', () => {
  const callbacks: (() => void)[] = [];
  const sink: TerminalSink = { cols: 40, rows: 10, write: (_data, cb) => void callbacks.push(cb) };
  const signals: boolean[] = [];
  const writer = new OutputWriter(sink, stringWidth, {
    chunkChars: 100,
    backlogHigh: 1000,
    backlogLow: 300,
    onBacklog: (full) => signals.push(full),
  });
  for (let i = 0; i < 5; i++) writer.output('z'.repeat(99) + '\n'); // 2 chunks handed over, 300 chars wait
  assert.deepEqual(signals, []);
  for (let i = 0; i < 10; i++) writer.output('z'.repeat(99) + '\n');
  assert.deepEqual(signals, [true]);
  assert.equal(writer.isBacklogFull, true);
  writer.output('more\n'); // still above: not said twice
  assert.deepEqual(signals, [true]);
  while (writer.pending >= 300) callbacks.shift()!(); // xterm parses chunks; the backlog drains
  assert.deepEqual(signals, [true, false]);
  assert.equal(writer.isBacklogFull, false);
  while (callbacks.length) callbacks.shift()!();
  assert.deepEqual(signals, [true, false]);
  assert.equal(writer.pending, 0);
});
