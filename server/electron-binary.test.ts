import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultExecutable, findElectronBinary, planStart, type LookupFs } from './electron-binary.js';
import { PACKAGE_ROOT } from './paths.js';
import { waitFor } from './session/testing/helpers.js';

const CLI = fileURLToPath(new URL('../bin/pyrepl.mjs', import.meta.url));

function fakeFs(files: Record<string, string>): LookupFs {
  return { exists: (p) => p in files || Object.keys(files).some((f) => f.startsWith(`${p}/`)), read: (p) => files[p] ?? '' };
}

test('finds the binary the electron package downloaded: path.txt names it inside dist/', () => {
  const fs = fakeFs({ '/app/node_modules/electron/path.txt': 'electron\n', '/app/node_modules/electron/dist/electron': '' });
  assert.deepEqual(findElectronBinary('/app', {}, 'linux', fs), { found: true, binary: '/app/node_modules/electron/dist/electron', source: 'node_modules/electron' });
  const mac = fakeFs({ '/app/node_modules/electron/path.txt': 'Electron.app/Contents/MacOS/Electron', '/app/node_modules/electron/dist/Electron.app/Contents/MacOS/Electron': '' });
  assert.equal(findElectronBinary('/app', {}, 'darwin', mac).found, true);
});

test('no binary: the package without a download, a half download, or no package at all, each says why', () => {
  const noDownload = findElectronBinary('/app', {}, 'linux', fakeFs({ '/app/node_modules/electron/electron.d.ts': '' }));
  assert.equal(noDownload.found, false);
  assert.match(!noDownload.found ? noDownload.reason : '', /path\.txt/);
  const half = findElectronBinary('/app', {}, 'linux', fakeFs({ '/app/node_modules/electron/path.txt': 'electron' }));
  assert.match(!half.found ? half.reason : "", /names electron, which is not in node_modules\/electron\/dist/);
  const none = findElectronBinary('/app', {}, 'linux', fakeFs({}));
  assert.match(!none.found ? none.reason : '', /not installed/);
});

test('ELECTRON_OVERRIDE_DIST_PATH wins, and must hold the executable', () => {
  const fs = fakeFs({ '/opt/electron/electron': '' });
  assert.deepEqual(findElectronBinary('/app', { ELECTRON_OVERRIDE_DIST_PATH: '/opt/electron' }, 'linux', fs), {
    found: true, binary: '/opt/electron/electron', source: 'ELECTRON_OVERRIDE_DIST_PATH',
  });
  const missing = findElectronBinary('/app', { ELECTRON_OVERRIDE_DIST_PATH: '/opt/empty' }, 'linux', fs);
  assert.match(!missing.found ? missing.reason : '', /ELECTRON_OVERRIDE_DIST_PATH is set, but \/opt\/empty\/electron does not exist/);
  assert.equal(defaultExecutable('win32'), 'electron.exe');
});

test('the start plan: the app when the binary and the built shell exist, else the server with the reason', () => {
  const found = { found: true as const, binary: '/x/electron', source: 'node_modules/electron' as const };
  assert.deepEqual(planStart(found, true), { kind: 'app', binary: '/x/electron' });
  assert.match((planStart(found, false) as { why: string }).why, /npm run build/);
  assert.deepEqual(planStart({ found: false, reason: 'no binary' }, true), { kind: 'serve', why: 'Electron is not available here: no binary.' });
});

test('pyrepl start with an Electron binary: spawns it on the app folder and returns its exit code', async () => {
  const dist = mkdtempSync(join(tmpdir(), 'pyrepl-fake-electron-'));
  const record = join(dist, 'record.txt');
  const fake = join(dist, 'electron');
  writeFileSync(fake, `#!/bin/sh\necho "args=$*" > "${record}"\necho "run_as_node=\${ELECTRON_RUN_AS_NODE:-unset}" >> "${record}"\nexit 3\n`);
  chmodSync(fake, 0o755);
  const child = spawn(process.execPath, [CLI, 'start'], { env: { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: dist, ELECTRON_RUN_AS_NODE: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 3, 'the app\'s exit code');
  assert.match(out, /Opening the PyREPL3 desktop app \(Electron: .*electron\)/);
  assert.equal(readFileSync(record, 'utf8'), `args=${PACKAGE_ROOT}\nrun_as_node=unset\n`);
});

test('pyrepl start without one: runs the server, says why and prints the URL to open', async () => {
  const empty = mkdtempSync(join(tmpdir(), 'pyrepl-no-electron-'));
  const env = { ...process.env, ELECTRON_OVERRIDE_DIST_PATH: empty, PYREPL_PORT: '0', PYREPL_LOG_LEVEL: 'silent', PYREPL_STATE_DIR: empty };
  const child = spawn(process.execPath, [CLI, 'start'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor(() => /Press Ctrl\+C/.test(out), 30_000, 'the server banner');
  child.kill('SIGTERM');
  assert.equal(await new Promise<number | null>((resolve) => child.once('exit', resolve)), 0);
  assert.match(out, /Electron is not available here: ELECTRON_OVERRIDE_DIST_PATH is set, but .* does not exist\./);
  assert.match(out, /Running the API server headless instead/);
  assert.match(out, /open the terminal: http:\/\/127\.0\.0\.1:\d+\/#token=/);
});
