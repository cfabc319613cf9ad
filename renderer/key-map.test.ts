import { test } from 'node:test';
import assert from 'node:assert/strict';
import { KeyParser, type KeyAction } from './key-map.js';

const keys = (data: string) => new KeyParser().parse(data);
const key = (name: string): KeyAction => ({ type: 'key', name } as KeyAction);

test('what xterm sends for each bound key', () => {
  const table: [string, string][] = [
    ['\r', 'enter'],
    ['\x1b\r', 'newline'],
    ['\t', 'tab'],
    ['\x1b[Z', 'shift-tab'],
    ['\x7f', 'backspace'],
    ['\b', 'backspace'],
    ['\x1b[3~', 'delete'],
    ['\x1b[D', 'left'],
    ['\x1b[C', 'right'],
    ['\x1b[A', 'up'],
    ['\x1b[B', 'down'],
    ['\x1bOD', 'left'], // application cursor mode
    ['\x1b[H', 'home'],
    ['\x1b[F', 'end'],
    ['\x1b[1~', 'home'],
    ['\x1b[4~', 'end'],
    ['\x01', 'home'], // Ctrl+A
    ['\x05', 'end'], // Ctrl+E
    ['\x1b[1;3D', 'word-left'], // Alt+←
    ['\x1b[1;3C', 'word-right'], // Alt+→
    ['\x1b[1;5D', 'word-left'], // Ctrl+←
    ['\x1b[1;5C', 'word-right'],
    ['\x1bb', 'word-left'], // Alt+B (macOptionIsMeta)
    ['\x1bf', 'word-right'],
    ['\x1b\x7f', 'delete-word-back'], // Alt+Backspace
    ['\x17', 'kill-word-back'], // Ctrl+W
    ['\x1bd', 'delete-word-forward'], // Alt+D
    ['\x15', 'kill-line-start'], // Ctrl+U
    ['\x0b', 'kill-line-end'], // Ctrl+K
    ['\x19', 'yank'], // Ctrl+Y
    ['\x12', 'reverse-search'], // Ctrl+R
    ['\x07', 'cancel'], // Ctrl+G
    ['\x03', 'interrupt'], // Ctrl+C
    ['\x04', 'eof'], // Ctrl+D
    ['\x0c', 'clear-screen'], // Ctrl+L
    ['\x1b[5~', 'page-up'],
    ['\x1b[6~', 'page-down'],
    ['\x1b', 'escape'],
  ];
  for (const [data, name] of table) assert.deepEqual(keys(data), [key(name)], JSON.stringify(data));
});

test('printable runs are one insert; keys inside a chunk keep their order', () => {
  assert.deepEqual(keys('print(1)'), [{ type: 'insert', text: 'print(1)' }]);
  assert.deepEqual(keys('ab\x1b[Dc\r'), [{ type: 'insert', text: 'ab' }, key('left'), { type: 'insert', text: 'c' }, key('enter')]);
  assert.deepEqual(keys('中文😀'), [{ type: 'insert', text: '中文😀' }]);
});

test('unbound control characters and sequences are ignored', () => {
  assert.deepEqual(keys('\x1b[15~\x1bz\x1e'), []); // F5, Alt+Z, Ctrl+^
});

test('a bracketed paste is one action with \\n line ends, even when split across calls', () => {
  assert.deepEqual(keys('\x1b[200~def f():\r    return 1\r\x1b[201~'), [{ type: 'paste', text: 'def f():\n    return 1\n' }]);
  const parser = new KeyParser();
  assert.deepEqual(parser.parse('\x1b[200~line 1\r'), []);
  assert.deepEqual(parser.parse('line 2\x1b[201~x'), [{ type: 'paste', text: 'line 1\nline 2' }, { type: 'insert', text: 'x' }]);
});

test('a paste keeps control characters and escapes as text', () => {
  assert.deepEqual(keys('\x1b[200~a\tb\x1b[Dc\x1b[201~'), [{ type: 'paste', text: 'a\tb\x1b[Dc' }]);
});
