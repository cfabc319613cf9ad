import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const HARNESS = fileURLToPath(new URL('./testing/main-harness.ts', import.meta.url));
const MAIN = fileURLToPath(new URL('../dist/electron/main.js', import.meta.url));

test('main.ts, the adapter itself, over a fake electron module: start-up, hand-off, policies, quit', { skip: !existsSync(MAIN) && 'not built (npm run build)' }, async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'pyrepl-main-state-'));
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', HARNESS], {
    env: { ...process.env, PYREPL_STATE_DIR: stateDir, PYREPL_LOG_LEVEL: 'silent', PYREPL_MIN_IDLE: '1' },
    timeout: 60_000,
  });
  const r = JSON.parse(stdout.trim().split('\n').at(-1)!);
  assert.match(r.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  assert.equal(r.webPreferences.contextIsolation, true);
  assert.equal(r.webPreferences.sandbox, true);
  assert.equal(r.webPreferences.nodeIntegration, false);
  assert.match(r.webPreferences.preload, /dist\/electron\/preload\.cjs$/);
  assert.deepEqual(r.connection, { baseUrl: r.url.replace(/\/$/, ''), token: 64, role: 'owner', theme: 'dark' });
  assert.equal(r.foreign, null, 'another origin gets no connection');
  assert.equal(r.sessionsStatus, 200, 'the handed-over token works');
  assert.equal(r.navPrevented, true);
  assert.equal(r.samePrevented, false);
  assert.deepEqual(r.openAnswer, { action: 'deny' });
  assert.equal(r.granted, false);
  assert.deepEqual(r.menuTop, ['&File', '&Edit', '&View', '&Session', 'windowMenu', '&Help']);
  assert.equal(r.runtimeFilesBefore, 1);
  assert.equal(r.runtimeFilesAfter, 0, 'runtime file removed on quit');
  assert.equal(r.health, 'down', 'the server is closed on quit');
  assert.match(r.userData, /PyREPL3$/);
  assert.equal(r.settingsSaved, true);
  assert.match(r.logsDir, /PyREPL3\/logs$/);
  assert.deepEqual(r.exits, []);
});
