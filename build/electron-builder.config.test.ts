import { test } from 'node:test';
import assert from 'node:assert/strict';
import builderConfig, { APP_FILES, makeBuilderConfig, OUTPUT_DIR, PYTHON_RESOURCE, RUNTIME_RESOURCE } from './electron-builder.config.js';

test('targets: AppImage and deb, dmg, nsis; asar on; packages go to release/, never tsc\'s dist/', () => {
  const config = makeBuilderConfig();
  assert.deepEqual(config.linux?.target, ['AppImage', 'deb']);
  assert.deepEqual(config.mac?.target, ['dmg']);
  assert.deepEqual(config.win?.target, ['nsis']);
  assert.equal(config.asar, true);
  assert.equal(config.directories?.output, OUTPUT_DIR);
  assert.notEqual(OUTPUT_DIR, 'dist');
  assert.equal(config.productName, 'PyREPL3');
  assert.equal(builderConfig.productName, 'PyREPL3');
});

test('the worker goes outside app.asar as resources/python-runtime, without tests or bytecode caches', () => {
  const resources = makeBuilderConfig().extraResources as Array<{ from: string; to: string; filter: string[] }>;
  assert.equal(resources.length, 1);
  assert.equal(resources[0]?.from, 'python-runtime/pyrepl_worker');
  assert.equal(resources[0]?.to, `${RUNTIME_RESOURCE}/pyrepl_worker`);
  assert.ok(resources[0]?.filter.includes('!**/__pycache__{,/**/*}'));
});

test('a bundled Python becomes resources/python, .pyc included; the deb then needs no system python3', () => {
  const config = makeBuilderConfig({ bundledPythonDir: '/staged/python' });
  const resources = config.extraResources as Array<{ from: string; to: string; filter: string[] }>;
  assert.deepEqual(resources[1], { from: '/staged/python', to: PYTHON_RESOURCE, filter: ['**/*'] });
  assert.equal(config.deb, undefined);
  const system = makeBuilderConfig();
  assert.ok(system.deb?.depends?.includes('python3'));
  assert.ok(system.deb?.depends?.includes('libnss3'), 'electron-builder\'s own deb dependencies are kept');
});

test('app files: the build output and static pages, without source maps, declarations, tests, the bench or tsc\'s renderer copy', () => {
  for (const pattern of ['package.json', 'dist/**/*', 'server/static/**/*', '!dist/**/*.{map,d.ts,tsbuildinfo}', '!dist/renderer-tsc{,/**/*}', '!dist/bench{,/**/*}']) {
    assert.ok(APP_FILES.includes(pattern), pattern);
  }
});

test('electronDist is passed through; fuses are on unless asked off (stand-in Electron)', () => {
  assert.equal(makeBuilderConfig().electronDist, undefined);
  assert.equal(makeBuilderConfig({ electronDist: '/e' }).electronDist, '/e');
  assert.equal(makeBuilderConfig().electronFuses?.runAsNode, false);
  assert.equal(makeBuilderConfig().electronFuses?.onlyLoadAppFromAsar, true);
  assert.equal(makeBuilderConfig({ fuses: false }).electronFuses, undefined);
  assert.equal(makeBuilderConfig().npmRebuild, false);
});
