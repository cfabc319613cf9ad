import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInstallOnlyLayout, prepareBundledPython, resolveInstallDir } from './bundle-python.js';
import { makeInstallOnlyTree, SOURCE_PYTHON, type TreeInfo } from './testing/install-only-tree.js';

/** The small install_only tree is copied from Linux's /usr/bin/python3 (see testing/install-only-tree.ts). */
const NO_TREE = process.platform !== 'linux' || !existsSync(SOURCE_PYTHON) ? `needs Linux and ${SOURCE_PYTHON}` : false;

let work: string;
let tree: TreeInfo;

before(() => {
  work = mkdtempSync(join(tmpdir(), 'pyrepl-bundle-'));
  if (!NO_TREE) tree = makeInstallOnlyTree(join(work, 'archive', 'python'));
});
after(() => rmSync(work, { recursive: true, force: true }));

test('an install_only tree passes: the executable runs, is 3.9+, and is self-contained', { skip: NO_TREE }, () => {
  const report = checkInstallOnlyLayout(tree.dir);
  assert.deepEqual(report.problems, []);
  assert.match(report.version ?? '', new RegExp(`^${tree.version.replace('.', '\\.')}\\.`));
});

test('the folder the archive unpacks into (holding python/) is accepted too', { skip: NO_TREE }, () => {
  assert.equal(resolveInstallDir(join(work, 'archive')), tree.dir);
  assert.deepEqual(checkInstallOnlyLayout(join(work, 'archive')).problems, []);
});

test('a missing folder, a missing executable or a missing standard library is reported', () => {
  assert.match(checkInstallOnlyLayout(join(work, 'nope')).problems[0] ?? '', /is not a directory/);
  const empty = join(work, 'empty');
  mkdirSync(empty);
  const problems = checkInstallOnlyLayout(empty, 'linux').problems;
  assert.match(problems[0] ?? '', /no bin\/python3 in .*install_only/);
  assert.match(problems[1] ?? '', /no standard library/);
  assert.match(checkInstallOnlyLayout(empty, 'win32').problems[0] ?? '', /no python\.exe/);
});

test('a Windows tree is checked for python.exe and Lib/ without running it on another OS', { skip: process.platform === 'win32' }, () => {
  const win = join(work, 'win');
  mkdirSync(join(win, 'Lib'), { recursive: true });
  writeFileSync(join(win, 'python.exe'), '');
  writeFileSync(join(win, 'Lib', 'os.py'), '');
  assert.deepEqual(checkInstallOnlyLayout(win, 'win32').problems, []);
});

test('a wrapper around another Python (like a venv) is refused: it would not exist on the user\'s machine', { skip: NO_TREE }, () => {
  const wrapper = join(work, 'wrapper');
  mkdirSync(join(wrapper, 'bin'), { recursive: true });
  mkdirSync(join(wrapper, 'lib', `python${tree.version}`), { recursive: true });
  writeFileSync(join(wrapper, 'lib', `python${tree.version}`, 'os.py'), '');
  writeFileSync(join(wrapper, 'bin', 'python3'), `#!/bin/sh\nexec ${SOURCE_PYTHON} "$@"\n`);
  chmodSync(join(wrapper, 'bin', 'python3'), 0o755);
  assert.match(checkInstallOnlyLayout(wrapper).problems.join('\n'), /not self-contained: its sys\.base_prefix is/);
});

test('an executable that does not run is reported with its error', { skip: process.platform === 'win32' }, () => {
  const broken = join(work, 'broken');
  mkdirSync(join(broken, 'bin'), { recursive: true });
  mkdirSync(join(broken, 'lib', 'python3.12'), { recursive: true });
  writeFileSync(join(broken, 'lib', 'python3.12', 'os.py'), '');
  writeFileSync(join(broken, 'bin', 'python3'), '#!/bin/sh\necho "cannot start" >&2\nexit 3\n');
  chmodSync(join(broken, 'bin', 'python3'), 0o755);
  assert.match(checkInstallOnlyLayout(broken).problems[0] ?? '', /-c 'import sys' failed: cannot start/);
});

test('prepare copies the tree (symlinks kept) and precompiles it with unchecked-hash .pyc, skipping CPython\'s broken test files', { skip: NO_TREE }, () => {
  const dest = join(work, 'staged');
  const report = prepareBundledPython(tree.dir, dest);
  assert.deepEqual(report.problems, []);
  assert.equal(report.dir, dest);
  assert.ok(lstatSync(join(dest, 'bin', 'python3')).isSymbolicLink());
  const cache = join(dest, 'lib', `python${tree.version}`, '__pycache__');
  const osPyc = readdirSync(cache).find((f) => /^os\..*\.pyc$/.test(f));
  assert.ok(osPyc, 'os.py is precompiled');
  // PEP 552: the flags word after the magic number; 0b01 = hash-based, source not checked.
  assert.equal(readFileSync(join(cache, osPyc)).readUInt32LE(4), 1);
  assert.ok(!existsSync(join(dest, 'lib', `python${tree.version}`, 'test', '__pycache__')));
  assert.ok(!existsSync(join(tree.dir, 'lib', `python${tree.version}`, '__pycache__')), 'the source tree is left as it was');
});

test('prepare refuses a tree that fails the layout check, before copying anything', () => {
  const dest = join(work, 'never');
  const report = prepareBundledPython(join(work, 'nope'), dest);
  assert.equal(report.problems.length, 1);
  assert.ok(!existsSync(dest));
});
