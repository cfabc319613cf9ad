import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { TEST_TOKEN, TestServer } from '../testing/server-harness.js';

// Debian's python3-aiohttp (installed by .ci/run) lives with Debian's interpreter.
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./testing/seed_websocket_full_flow.py', import.meta.url));
const hasAiohttp = spawnSync(PYTHON, ['-c', 'import aiohttp'], { stdio: 'ignore' }).status === 0;

let srv: TestServer;
before(async () => {
  srv = await TestServer.start();
});
after(() => srv.close());

test("the seed's test_websocket_full_flow passes as written (aiohttp client, plus the auth header)", {
  skip: hasAiohttp || process.env.CI ? false : 'python3-aiohttp is not installed (apt-get install python3-aiohttp; .ci/run does)',
}, async () => {
  // Asynchronously: the server under test runs in this process and must keep answering.
  const run = await promisify(execFile)(PYTHON, [SCRIPT], {
    env: { ...process.env, PYREPL_URL: srv.url, PYREPL_TOKEN: TEST_TOKEN },
    timeout: 90_000,
  });
  assert.match(run.stdout, /test_websocket_full_flow passed/);
});
