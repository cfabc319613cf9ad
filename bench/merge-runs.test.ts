import assert from 'node:assert/strict';
import test from 'node:test';
import { row, type Row } from './compare.js';
import { median, mergeRuns } from './merge-runs.js';

test('median: odd, even, missing values', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([null, 5]), 5);
  assert.equal(median([null]), null);
});

test('a target is judged on the medians of both sides, and each run keeps its ratio', () => {
  const rule = { kind: 'ratio_max', max: 1.5 } as const;
  const runs: Row[][] = [
    [row('b', 'rtt', 0.3, 0.1, rule)], // 3x: a bad spell for ours
    [row('b', 'rtt', 0.12, 0.1, rule)],
    [row('b', 'rtt', 0.13, 0.1, rule)],
  ];
  const [merged] = mergeRuns(runs);
  assert.equal(merged!.ours, 0.13);
  assert.equal(merged!.floor, 0.1);
  assert.ok(Math.abs(merged!.ratio! - 1.3) < 1e-9);
  assert.equal(merged!.pass, true);
  assert.deepEqual(merged!.runRatios!.map((r) => Math.round(r! * 10) / 10), [3, 1.2, 1.3]);
});

test('the medians can fail a target that one run passed', () => {
  const rule = { kind: 'ratio_min', min: 0.5 } as const;
  const [merged] = mergeRuns([[row('c', 'MB/s', 300, 400, rule)], [row('c', 'MB/s', 150, 400, rule)], [row('c', 'MB/s', 160, 400, rule)]]);
  assert.equal(merged!.pass, false);
});

test('a forced failure (bytes missing in one run) survives the merge', () => {
  const rule = { kind: 'ratio_min', min: 0.5 } as const;
  const bad = { ...row('c', 'MB/s', 300, 400, rule), pass: false, forcedFail: true };
  const [merged] = mergeRuns([[row('c', 'MB/s', 300, 400, rule)], [bad]]);
  assert.equal(merged!.pass, false);
});

test('verdicts in words hold only if they held in every run', () => {
  const words = (ours: string, pass: boolean): Row => ({ id: 'bytes', metric: 'every byte', ours, floor: null, ratio: null, target: 'all reps', pass });
  const [ok] = mergeRuns([[words('2/2 reps', true)], [words('2/2 reps', true)]]);
  assert.deepEqual([ok!.ours, ok!.pass], ['2/2 reps', true]);
  const [failed] = mergeRuns([[words('2/2 reps', true)], [words('1/2 reps', false)]]);
  assert.deepEqual([failed!.ours, failed!.pass], ['2/2 reps ; 1/2 reps', false]);
});

test('one run is returned as it is', () => {
  const only = [row('a', 'cold', 1, 1, { kind: 'none' })];
  assert.equal(mergeRuns([only]), only);
});
