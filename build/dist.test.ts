import { test } from 'node:test';
import assert from 'node:assert/strict';
import { planDist, type PlanInput } from './dist.js';

const base: PlanInput = { dirOnly: false, local: null, missingLocal: 'no Electron binary in node_modules/electron/dist', online: false, hosts: ['https://github.com'], version: '45.5.0', env: {} };
const local = { dist: '/e/dist', how: 'the binary npm installed' };

test('online: electron-builder may download what it needs', () => {
  assert.equal(planDist({ ...base, online: true }).ok, true);
  assert.deepEqual(planDist({ ...base, online: true, local }).local, local);
});

test('offline without a local Electron: stops, says why and what to do', () => {
  const plan = planDist(base);
  assert.equal(plan.ok, false);
  assert.match(plan.message ?? '', /https:\/\/github\.com did not answer/);
  assert.match(plan.message ?? '', /Electron 45\.5\.0 itself \(electron-v45\.5\.0-\w+-\w+\.zip\)/);
  assert.match(plan.message ?? '', /no Electron binary in node_modules\/electron\/dist/);
  assert.match(plan.message ?? '', /PYREPL_ELECTRON_DIST=/);
  assert.match(plan.message ?? '', /installer tools/);
  assert.match(plan.message ?? '', /npm run pack:check/);
});

test('offline with a local Electron: installers still need their tools; --dir builds the unpacked app', () => {
  const installers = planDist({ ...base, local });
  assert.equal(installers.ok, false);
  assert.doesNotMatch(installers.message ?? '', /Electron 45\.5\.0 itself/);
  assert.match(installers.message ?? '', /`npm run dist -- --dir`/);
  assert.equal(planDist({ ...base, local, dirOnly: true }).ok, true);
  assert.equal(planDist({ ...base, dirOnly: true }).ok, false);
});

test('PYREPL_DIST_OFFLINE=1 trusts the caches', () => {
  assert.equal(planDist({ ...base, env: { PYREPL_DIST_OFFLINE: '1' } }).ok, true);
});
