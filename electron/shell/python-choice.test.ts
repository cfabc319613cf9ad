import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { choosePython, pythonCandidates, type ProbeResult } from './python-choice.js';
import { probePython } from './python-probe.js';
import { bundledPythonExecutable, packagedRuntimeDir } from './resource-layout.js';

const works = (version = '3.12.1') => (): ProbeResult => ({ ok: true, version });

test('the packaged layout: worker sources and the bundled interpreter per platform', () => {
  assert.equal(packagedRuntimeDir('/opt/PyREPL3/resources'), '/opt/PyREPL3/resources/python-runtime');
  assert.equal(bundledPythonExecutable('/opt/PyREPL3/resources', 'linux'), '/opt/PyREPL3/resources/python/bin/python3');
  assert.equal(bundledPythonExecutable('/Applications/PyREPL3.app/Contents/Resources', 'darwin'), '/Applications/PyREPL3.app/Contents/Resources/python/bin/python3');
  assert.equal(bundledPythonExecutable('C:\\Program Files\\PyREPL3\\resources', 'win32'), 'C:\\Program Files\\PyREPL3\\resources\\python\\python.exe');
});

test('order: bundled (when it exists), then PYREPL_PYTHON, then Preferences, then python3 on PATH', async () => {
  const all = { bundled: '/res/python/bin/python3', env: { PYREPL_PYTHON: '/env/python' }, preferences: { pythonPath: '/prefs/python' }, platform: 'linux' as const };
  assert.deepEqual(
    pythonCandidates(all).map((c) => c.source),
    ['bundled', 'PYREPL_PYTHON', 'preferences', 'PATH'],
  );
  const probed: string[] = [];
  const probe = (path: string): ProbeResult => (probed.push(path), { ok: true, version: '3.11.0' });
  assert.deepEqual(await choosePython({ ...all, probe }), {
    ok: true, source: 'bundled', path: '/res/python/bin/python3', version: '3.11.0', candidates: pythonCandidates(all),
  });
  // A package built without a bundled Python: the path is computed but does not exist.
  const noBundle = await choosePython({ ...all, exists: () => false, probe });
  assert.equal(noBundle.ok && noBundle.source, 'PYREPL_PYTHON');
  const prefsOnly = await choosePython({ env: { PYREPL_PYTHON: '  ' }, preferences: { pythonPath: '/prefs/python' }, probe, platform: 'linux' });
  assert.equal(prefsOnly.ok && prefsOnly.path, '/prefs/python');
  const nothing = await choosePython({ env: {}, preferences: { pythonPath: null }, probe, platform: 'linux' });
  assert.deepEqual(nothing.ok && [nothing.source, nothing.path], ['PATH', 'python3']);
  const windows = await choosePython({ env: {}, preferences: {}, probe, platform: 'win32' });
  assert.equal(windows.ok && windows.path, 'python');
  assert.deepEqual(probed, ['/res/python/bin/python3', '/env/python', '/prefs/python', 'python3', 'python']);
});

test('the probe may resolve the command to the real executable', async () => {
  const choice = await choosePython({ env: {}, preferences: {}, probe: () => ({ ok: true, version: '3.10.4', executable: '/usr/bin/python3.10' }), platform: 'linux' });
  assert.deepEqual(choice.ok && [choice.path, choice.version], ['/usr/bin/python3.10', '3.10.4']);
});

test('a broken choice is reported with what was tried and every way to fix it, not replaced by the next one', async () => {
  const probed: string[] = [];
  const choice = await choosePython({
    env: { PYREPL_PYTHON: '/nope/python' },
    preferences: { pythonPath: '/prefs/python' },
    probe: async (path) => (probed.push(path), { ok: false, reason: 'not found' }),
    platform: 'linux',
  });
  assert.equal(choice.ok, false);
  assert.deepEqual(probed, ['/nope/python']);
  if (choice.ok) return;
  assert.equal(choice.source, 'PYREPL_PYTHON');
  assert.match(choice.message, /\/nope\/python \(from the PYREPL_PYTHON environment variable\) cannot be used: not found/);
  assert.match(choice.message, /set PYREPL_PYTHON/);
  assert.match(choice.message, /Preferences → Python interpreter/);
  assert.match(choice.message, /install Python 3\.9 or newer/);
  // No interpreter at all: python3 on PATH is tried and the message says so.
  const none = await choosePython({ env: {}, preferences: {}, probe: () => Promise.reject(new Error('spawn python3 ENOENT')), platform: 'linux' });
  assert.equal(none.ok, false);
  assert.match(!none.ok ? none.message : '', /python3 \(from python3 on PATH\) cannot be used: spawn python3 ENOENT/);
  assert.equal((await choosePython({ env: {}, preferences: {}, probe: works(), platform: 'linux' })).ok, true);
});

test('the real probe: a working python3, a missing one, and one that is too old', async () => {
  const good = await probePython('python3');
  assert.equal(good.ok, true, JSON.stringify(good));
  if (good.ok) {
    assert.match(good.version, /^3\.\d+\.\d+$/);
    assert.ok(good.executable && good.executable.startsWith('/'), 'resolved to an absolute executable');
  }
  assert.deepEqual(await probePython('/definitely/not/python3'), { ok: false, reason: 'not found' });
  const dir = mkdtempSync(join(tmpdir(), 'pyrepl-probe-'));
  const old = join(dir, 'python3.8');
  writeFileSync(old, '#!/bin/sh\necho 3.8.10\necho /usr/bin/python3.8\n');
  chmodSync(old, 0o755);
  const tooOld = await probePython(old);
  assert.equal(tooOld.ok, false);
  assert.match(!tooOld.ok ? tooOld.reason : '', /Python 3\.8\.10; PyREPL3 needs 3\.9 or newer/);
});
