import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPyreplError } from '../../protocol/errors.js';
import { findPython, pythonCandidates } from './python-discovery.js';

function fakePython(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pyrepl-fakepy-'));
  const path = join(dir, 'python3');
  writeFileSync(path, `#!/bin/sh\necho ${version}\n`);
  chmodSync(path, 0o755);
  return path;
}

test('lookup order: explicit, PYREPL_PYTHON, bundled, python3 on PATH', () => {
  const onPath = fakePython('3.11.0');
  const dir = onPath.slice(0, -'/python3'.length);
  const all = pythonCandidates({ explicit: '/opt/x/python', bundled: '/app/python/bin/python3', env: { PYREPL_PYTHON: '/env/python3', PATH: dir } });
  assert.deepEqual(all.map((c) => c.source), ['explicit', 'PYREPL_PYTHON', 'bundled', 'PATH']);
  assert.equal(all[3]?.path, onPath);
  assert.deepEqual(pythonCandidates({ env: { PATH: '/nonexistent' } }), []);
});

test('the real python3 on PATH is found with its version', async () => {
  const info = await findPython({ env: { PATH: process.env.PATH } });
  assert.equal(info.source, 'PATH');
  assert.ok(info.version[0] === 3 && info.version[1] >= 9);
});

test('a launcher (a shim that execs python) is resolved to the interpreter itself, which runs the workers', async () => {
  const real = await findPython({ env: { PATH: process.env.PATH } });
  const dir = mkdtempSync(join(tmpdir(), 'pyrepl-shim-'));
  const shim = join(dir, 'python3');
  writeFileSync(shim, `#!/bin/sh\nexec "${real.path}" "$@"\n`);
  chmodSync(shim, 0o755);
  const info = await findPython({ explicit: shim });
  assert.equal(info.via, shim);
  assert.notEqual(info.path, shim);
  assert.deepEqual(info.version, real.version);
  const direct = await findPython({ explicit: real.path });
  assert.equal(direct.path, real.path, 'an interpreter given by its own path is kept as given');
  assert.equal(direct.via, undefined);
});

test('no interpreter at all is a clear python_not_found', async () => {
  await assert.rejects(findPython({ env: { PATH: '/nonexistent' } }), (err) => {
    assert.ok(isPyreplError(err, 'python_not_found'));
    assert.match(err.message, /PYREPL_PYTHON/);
    return true;
  });
});

test('a PYREPL_PYTHON that cannot run is reported, not silently skipped', async () => {
  await assert.rejects(findPython({ env: { PYREPL_PYTHON: '/nonexistent/python3', PATH: '' } }), (err) => {
    assert.ok(isPyreplError(err, 'python_not_found'));
    assert.match(err.message, /nonexistent\/python3.*PYREPL_PYTHON/);
    return true;
  });
});

test('a Python older than 3.9 is refused with python_too_old', async () => {
  await assert.rejects(findPython({ explicit: fakePython('3.8.18') }), (err) => {
    assert.ok(isPyreplError(err, 'python_too_old'));
    assert.match(err.message, /3\.8\.18.*needs 3\.9/);
    return true;
  });
});
