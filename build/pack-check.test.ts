import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { prepareBundledPython } from './bundle-python.js';
import { ROOT } from './electron-builder.config.js';
import { checkBundledPython, checkConfigLoads, checkEntryPoints, checkShellLayout, checkSources, PRELOAD, WORKER_FILES } from './pack-check.js';
import { checkPackagedApp, packageWithStandIn, type StandInPackage } from './stand-in-package.js';
import { makeInstallOnlyTree, SOURCE_PYTHON } from './testing/install-only-tree.js';

const work = mkdtempSync(join(tmpdir(), 'pyrepl-packcheck-'));
after(() => rmSync(work, { recursive: true, force: true }));

function fakeRoot(files: Record<string, string>): string {
  const root = mkdtempSync(join(work, 'root-'));
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), content);
  }
  return root;
}

test('this repository passes the static checks (after npm run build)', async () => {
  assert.deepEqual(checkSources(ROOT).problems, []);
  assert.deepEqual(checkEntryPoints(ROOT).problems, []);
  assert.deepEqual((await checkConfigLoads(ROOT)).problems, []);
  assert.deepEqual((await checkShellLayout(ROOT)).problems, []);
});

test('a missing files/extraResources path is reported, and a worker folder without the worker', () => {
  const bare = checkSources(fakeRoot({ 'package.json': '{}' }));
  assert.ok(bare.problems.some((p) => /^files: dist\/\*\*\/\*: dist does not exist/.test(p)), bare.problems.join('\n'));
  assert.ok(bare.problems.some((p) => /^extraResources: python-runtime\/pyrepl_worker → python-runtime\/pyrepl_worker: not a directory/.test(p)));
  const noMain = checkSources(fakeRoot({ 'python-runtime/pyrepl_worker/__init__.py': '' }));
  assert.ok(noMain.problems.includes('extraResources: python-runtime/pyrepl_worker lacks main.py'), noMain.problems.join('\n'));
  const noPython = checkSources(ROOT, join(work, 'no-such-python'));
  assert.deepEqual(noPython.problems, [`extraResources: ${join(work, 'no-such-python')} → python: not a directory`]);
});

test('a missing main entry or preload is reported', () => {
  assert.deepEqual(checkEntryPoints(fakeRoot({ 'package.json': '{}' })).problems, [
    'package.json has no "main" (the Electron main process, dist/electron/main.js)',
    `the preload ${PRELOAD} does not exist (npm run build?)`,
  ]);
  const root = fakeRoot({ 'package.json': JSON.stringify({ main: 'dist/electron/main.js' }), [PRELOAD]: '' });
  assert.deepEqual(checkEntryPoints(root).problems, ['package.json main dist/electron/main.js does not exist (npm run build?)']);
});

const LAYOUT_JS = (runtime: string) => `
import { join } from 'node:path';
export const RUNTIME_RESOURCE_DIR = '${runtime}';
export const PYTHON_RESOURCE_DIR = 'python';
export const packagedRuntimeDir = (r) => join(r, '${runtime}');
export const bundledPythonExecutable = (r, p) => p === 'win32' ? join(r, 'python', 'python.exe') : join(r, 'python', 'bin', 'python3');
`;
// A lookup that checks PYREPL_PYTHON before the bundled interpreter: the order the app must not have.
const WRONG_ORDER_JS = `
export async function choosePython(i) {
  if (i.env.PYREPL_PYTHON) return { ok: true, source: 'PYREPL_PYTHON', path: i.env.PYREPL_PYTHON };
  if (i.bundled && i.exists(i.bundled)) return { ok: true, source: 'bundled', path: i.bundled };
  if (i.preferences.pythonPath) return { ok: true, source: 'preferences', path: i.preferences.pythonPath };
  return { ok: true, source: 'PATH', path: 'python3' };
}
`;

test('the shell\'s layout and Python order are checked against the config: a wrong order or folder is reported', async () => {
  const root = fakeRoot({ 'dist/electron/shell/resource-layout.js': LAYOUT_JS('worker'), 'dist/electron/shell/python-choice.js': WRONG_ORDER_JS });
  const { problems } = await checkShellLayout(root);
  assert.ok(problems.includes('shell expects resources/worker, the config ships resources/python-runtime'), problems.join('\n'));
  assert.ok(problems.some((p) => /^packagedRuntimeDir gives /.test(p)));
  assert.ok(problems.includes('Python order: with resources/python: chose PYREPL_PYTHON, expected bundled'), problems.join('\n'));
  const missing = await checkShellLayout(fakeRoot({}));
  assert.match(missing.problems[0] ?? '', /cannot load the shell's modules/);
});

test('PYREPL_BUNDLE_PYTHON: skipped when unset, layout problems when set', () => {
  assert.match(checkBundledPython({}).skipped ?? '', /not set/);
  assert.match(checkBundledPython({ PYREPL_BUNDLE_PYTHON: join(work, 'nowhere') }).problems[0] ?? '', /is not a directory/);
});

test('a packaged app missing a dependency, carrying source maps, or a stray python/ is reported', () => {
  const resources = join(work, 'pkg', 'resources');
  mkdirSync(join(resources, 'python-runtime', 'pyrepl_worker'), { recursive: true });
  mkdirSync(join(resources, 'python'));
  const pkg: StandInPackage = { appDir: join(work, 'pkg'), resources, asar: ['package.json', 'dist/electron/main.js', 'dist/server/app.js.map', 'node_modules/koa/package.json'] };
  const problems = checkPackagedApp(pkg, { main: 'dist/electron/main.js', preload: PRELOAD, dependencies: ['koa', 'ws'], workerFiles: WORKER_FILES });
  for (const expected of [`app.asar lacks ${PRELOAD}`, 'app.asar lacks the dependency ws', 'app.asar carries build leftovers: dist/server/app.js.map', 'resources/python-runtime/pyrepl_worker lacks main.py', 'resources/python exists in a package built without PYREPL_BUNDLE_PYTHON']) {
    assert.ok(problems.includes(expected), `${expected}\nin:\n${problems.join('\n')}`);
  }
});

test('electron-builder ships a prepared bundled Python as resources/python: executable, symlinks and .pyc kept', { skip: (process.platform !== 'linux' || !existsSync(SOURCE_PYTHON)) && `needs Linux and ${SOURCE_PYTHON}` }, async () => {
  const tree = makeInstallOnlyTree(join(work, 'python-src'));
  const staged = prepareBundledPython(tree.dir, join(work, 'python-staged'));
  assert.deepEqual(staged.problems, []);
  const manifest = (await import(join(ROOT, 'package.json'), { with: { type: 'json' } })).default as { main: string; dependencies: Record<string, string> };
  const pkg = await packageWithStandIn({ root: ROOT, bundledPythonDir: staged.dir, outDir: join(work, 'packaged') });
  const problems = checkPackagedApp(pkg, { main: manifest.main, preload: PRELOAD, dependencies: Object.keys(manifest.dependencies), workerFiles: WORKER_FILES, bundledExecutable: 'bin/python3' });
  assert.deepEqual(problems, []);
  assert.ok(lstatSync(join(pkg.resources, 'python', 'bin', 'python3')).isSymbolicLink());
  assert.ok(readdirSync(join(pkg.resources, 'python', 'lib', `python${tree.version}`, '__pycache__')).length > 10);
});
