import { test } from 'node:test';
import assert from 'node:assert/strict';
import { History, historyKey, type StorageLike } from './history.js';

class FakeStorage implements StorageLike {
  readonly data = new Map<string, string>();
  getItem(key: string): string | null {
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.data.set(key, value);
  }
}

test('↑ walks back, ↓ forward to the draft that was being typed', () => {
  const h = new History(null, 'k');
  h.add('a = 1');
  h.add('b = 2');
  assert.equal(h.previous('dra'), 'b = 2');
  assert.equal(h.previous('ignored'), 'a = 1');
  assert.equal(h.previous('ignored'), null); // oldest
  assert.equal(h.next(), 'b = 2');
  assert.equal(h.next(), 'dra');
  assert.equal(h.next(), null);
});

test('blank cells and immediate repeats are not added; trailing whitespace is trimmed', () => {
  const h = new History(null, 'k');
  h.add('x');
  h.add('x  \n');
  h.add('   ');
  h.add('y');
  h.add('x');
  assert.deepEqual(h.entries, ['x', 'y', 'x']);
});

test('a multi-line cell is one entry', () => {
  const h = new History(null, 'k');
  h.add('def f():\n    return 1\n');
  assert.equal(h.previous(''), 'def f():\n    return 1');
});

test('persisted per role: owners and observers never share entries', () => {
  const storage = new FakeStorage();
  const owner = new History(storage, historyKey('owner'));
  owner.add('secret = 1');
  const observer = new History(storage, historyKey('observer'));
  observer.add('observed');
  assert.notEqual(historyKey('owner'), historyKey('observer'));
  assert.deepEqual(new History(storage, historyKey('owner')).entries, ['secret = 1']);
  assert.deepEqual(new History(storage, historyKey('observer')).entries, ['observed']);
});

test('entries added by another tab of the same role are kept', () => {
  const storage = new FakeStorage();
  const tab1 = new History(storage, 'k');
  const tab2 = new History(storage, 'k');
  tab1.add('from tab 1');
  tab2.add('from tab 2');
  assert.deepEqual(new History(storage, 'k').entries, ['from tab 1', 'from tab 2']);
});

test('bounded, and tolerant of broken storage', () => {
  const storage = new FakeStorage();
  const h = new History(storage, 'k', 3);
  for (const e of ['1', '2', '3', '4']) h.add(e);
  assert.deepEqual(h.entries, ['2', '3', '4']);
  storage.setItem('bad', '{not json');
  assert.deepEqual(new History(storage, 'bad').entries, []);
  const throwing: StorageLike = {
    getItem: () => {
      throw new Error('denied');
    },
    setItem: () => {
      throw new Error('denied');
    },
  };
  const memoryOnly = new History(throwing, 'k');
  memoryOnly.add('still works');
  assert.deepEqual(memoryOnly.entries, ['still works']);
});

test('search finds the newest entry containing the query, then older ones', () => {
  const h = new History(null, 'k');
  for (const e of ['import os', 'x = 1', 'os.getcwd()', 'print(x)']) h.add(e);
  assert.deepEqual(h.search('os'), { index: 2, entry: 'os.getcwd()', at: 0 });
  assert.deepEqual(h.search('os', 1), { index: 0, entry: 'import os', at: 7 });
  assert.equal(h.search('os', -1), null);
  assert.equal(h.search('nothing'), null);
});
