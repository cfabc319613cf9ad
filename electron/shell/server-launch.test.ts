import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { PyreplClient } from '../../client/index.js';
import { startServer } from '../../server/app.js';
import { pidAlive, waitFor } from '../../server/session/testing/helpers.js';
import { CHANNEL_GET_CONNECTION, type HandedConnection } from './connection-handoff.js';
import { probePython } from './python-probe.js';
import { launchServer } from './server-launch.js';
import { harness, settle } from './testing/harness.js';

const silent = pino({ level: 'silent' });

/** Python children of this test process (the pool's workers). */
function workerPids(): number[] {
  const out = execFileSync('ps', ['-o', 'pid=,args=', '--ppid', String(process.pid)], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes('python'))
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((pid) => pid > 0);
}

test('the app\'s server: 127.0.0.1, a free port, a fresh token whatever the environment says, and a runtime file', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'pyrepl-app-state-'));
  const env = { PYREPL_STATE_DIR: stateDir, PYREPL_TOKEN: 'from-the-environment', PYREPL_PORT: '8080', PYREPL_HOST: '0.0.0.0', PYREPL_ALLOW_REMOTE: '1', PYREPL_MIN_IDLE: '1' };
  const a = await launchServer({ python: 'python3', env, version: '9.9.9', logger: silent, start: startServer });
  // Its own state dir: the runtime file is named by pid, and both run in this one process.
  const b = await launchServer({ python: 'python3', env: { ...env, PYREPL_STATE_DIR: mkdtempSync(join(tmpdir(), 'pyrepl-app-state-')) }, version: '9.9.9', logger: silent, start: startServer });
  try {
    assert.match(a.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.notEqual(new URL(a.url).port, '8080');
    assert.notEqual(a.url, b.url, 'each launch gets its own free port');
    assert.match(a.token, /^[0-9a-f]{64}$/);
    assert.notEqual(a.token, b.token);
    assert.notEqual(a.token, 'from-the-environment');

    assert.ok(a.runtimeFile && a.runtimeFile.startsWith(stateDir));
    assert.equal(statSync(a.runtimeFile).mode & 0o777, 0o600);
    const info = JSON.parse(readFileSync(a.runtimeFile, 'utf8'));
    assert.deepEqual([info.url, info.token, info.pid, info.version], [a.url, a.token, process.pid, '9.9.9']);

    const client = new PyreplClient({ baseUrl: a.url, token: a.token });
    const session = await client.createSession();
    assert.equal((await client.listSessions())[0]?.session_id, session.session_id);
    assert.equal((await fetch(`${a.url}/sessions`)).status, 401, 'the token is required');
  } finally {
    await a.stop();
    await b.stop();
  }
});

test('the whole start-up and quit with the real server: window on the renderer, hand-off, no Python process left', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'pyrepl-app-state-'));
  const env = { PYREPL_STATE_DIR: stateDir, PYREPL_MIN_IDLE: '2' };
  const h = harness({
    env,
    probe: probePython,
    launch: (python, runtimeDir) => launchServer({ python, runtimeDir, env, version: '0.1.0', logger: silent, start: startServer }),
    api: (server) => new PyreplClient({ baseUrl: server.url, token: server.token }),
  });
  assert.equal(h.app.register(), true);
  await h.app.start();
  assert.equal(h.app.state, 'running', h.logs.join('\n'));
  const server = h.app.server!;
  const win = h.host.windows[0]!;
  assert.deepEqual(win.loaded, [`${server.url}/`]);
  const page = await fetch(`${server.url}/`);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i, 'the renderer is served at /');

  const connection = h.host.syncHandlers.get(CHANNEL_GET_CONNECTION)!({ frameUrl: `${server.url}/`, contentsId: win.webContents.id }) as HandedConnection;
  assert.deepEqual({ ...connection, token: '…' }, { baseUrl: server.url, token: '…', role: 'owner', theme: 'dark' });
  const created = await new PyreplClient({ baseUrl: connection.baseUrl, token: connection.token }).createSession();
  await h.app.refreshSessions();
  assert.ok(h.host.item(`session-${created.session_id}`), 'the new session is in the Sessions menu');

  assert.equal(readdirSync(stateDir).length, 1, 'runtime file written');
  await waitFor(() => workerPids().length >= 2, 20_000, 'warm workers');
  const workers = workerPids();

  assert.equal(h.host.fireBeforeQuit(), true);
  await waitFor(() => h.app.state === 'done', 20_000, 'the quit sequence');
  await settle();
  assert.equal(h.host.quits, 1);
  assert.deepEqual(readdirSync(stateDir), [], 'runtime file removed');
  await assert.rejects(fetch(`${server.url}/health`), 'the server no longer listens');
  for (const pid of workers) assert.equal(pidAlive(pid), false, `worker ${pid} is gone`);
  assert.equal(existsSync(join(h.host.userDataDir, 'settings.json')), true);
});
