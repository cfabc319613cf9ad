import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cachedElectronZip, downloadHosts, electronCacheRoots, findLocalElectron, installedElectronBinary, missingElectronReason, reachable } from './electron-source.js';

function fakeRoot(opts: { pathTxt?: string; binary?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'pyrepl-electron-'));
  const pkg = join(root, 'node_modules', 'electron');
  mkdirSync(join(pkg, 'dist'), { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'electron', version: '45.5.0' }));
  if (opts.pathTxt) writeFileSync(join(pkg, 'path.txt'), opts.pathTxt);
  if (opts.binary && opts.pathTxt) writeFileSync(join(pkg, 'dist', opts.pathTxt), '');
  return root;
}

test('a binary counts only when path.txt names a file that is in dist/', () => {
  assert.equal(installedElectronBinary(fakeRoot(), {}), null);
  assert.match(missingElectronReason(fakeRoot(), {}), /no Electron binary in node_modules\/electron\/dist/);
  assert.equal(installedElectronBinary(fakeRoot({ pathTxt: 'electron' }), {}), null);
  assert.match(missingElectronReason(fakeRoot({ pathTxt: 'electron' }), {}), /not in node_modules\/electron\/dist/);
  const root = fakeRoot({ pathTxt: 'electron', binary: true });
  assert.equal(installedElectronBinary(root, {}), join(root, 'node_modules', 'electron', 'dist', 'electron'));
});

test('ELECTRON_OVERRIDE_DIST_PATH replaces dist/', () => {
  const override = mkdtempSync(join(tmpdir(), 'pyrepl-override-'));
  assert.equal(installedElectronBinary(fakeRoot(), { ELECTRON_OVERRIDE_DIST_PATH: override }), null);
  writeFileSync(join(override, 'electron'), '');
  assert.equal(installedElectronBinary(fakeRoot(), { ELECTRON_OVERRIDE_DIST_PATH: override }), join(override, 'electron'));
});

test('a cached zip is found in a cache root or one folder below (as @electron/get stores it)', () => {
  const cache = mkdtempSync(join(tmpdir(), 'pyrepl-cache-'));
  assert.equal(cachedElectronZip('45.5.0', 'linux', 'x64', [cache]), null);
  mkdirSync(join(cache, 'abc123'));
  writeFileSync(join(cache, 'abc123', 'electron-v45.5.0-linux-x64.zip'), '');
  assert.equal(cachedElectronZip('45.5.0', 'linux', 'x64', [cache]), join(cache, 'abc123', 'electron-v45.5.0-linux-x64.zip'));
  assert.equal(cachedElectronZip('45.5.0', 'linux', 'arm64', [cache]), null);
  assert.equal(electronCacheRoots({ ELECTRON_CACHE: cache }, 'linux')[0], cache);
});

test('local Electron: PYREPL_ELECTRON_DIST, then the installed binary, then the cache', () => {
  const empty = mkdtempSync(join(tmpdir(), 'pyrepl-nocache-'));
  const noCache = { XDG_CACHE_HOME: empty, ELECTRON_CACHE: empty };
  assert.equal(findLocalElectron(fakeRoot(), noCache, 'linux', 'x64'), null);
  assert.equal(findLocalElectron(fakeRoot(), { ...noCache, PYREPL_ELECTRON_DIST: '/x.zip' }, 'linux', 'x64')?.dist, '/x.zip');
  const root = fakeRoot({ pathTxt: 'electron', binary: true });
  assert.equal(findLocalElectron(root, noCache, 'linux', 'x64')?.dist, join(root, 'node_modules', 'electron', 'dist'));
  writeFileSync(join(empty, 'electron-v45.5.0-linux-x64.zip'), '');
  assert.equal(findLocalElectron(fakeRoot(), noCache, 'linux', 'x64')?.how, 'the Electron download cache');
});

test('download hosts follow the mirrors', () => {
  assert.deepEqual(downloadHosts({}), ['https://github.com']);
  assert.deepEqual(downloadHosts({ ELECTRON_MIRROR: 'https://m/' }), ['https://m/', 'https://github.com']);
  assert.deepEqual(downloadHosts({ ELECTRON_MIRROR: 'https://m/', ELECTRON_BUILDER_BINARIES_MIRROR: 'https://b/' }), ['https://m/', 'https://b/']);
});

test('reachable: any HTTP answer counts; a refused connection does not', async () => {
  const server = createServer((_req, res) => res.writeHead(404).end()).listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as { port: number };
  assert.equal(await reachable(`http://127.0.0.1:${port}/`), true);
  server.close();
  await new Promise((resolve) => server.once('close', resolve));
  assert.equal(await reachable(`http://127.0.0.1:${port}/`, 2000), false);
});
