import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { pidAlive, waitFor } from './session/testing/helpers.js';

const CLI = fileURLToPath(new URL('../bin/pyrepl.mjs', import.meta.url));
const run = promisify(execFile);

test('pyrepl serve: prints the URL, writes a user-only runtime file that `pyrepl info` reads, and SIGTERM leaves nothing behind', async () => {
  const stateDir = mkdtempSync(join(tmpdir(), 'pyrepl-cli-'));
  const env = { ...process.env, PYREPL_STATE_DIR: stateDir, PYREPL_LOG_LEVEL: 'silent', PYREPL_MIN_IDLE: '2' };
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  await waitFor(() => /Press Ctrl\+C/.test(out), 30_000, 'the server banner');
  const url = /API server: (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
  assert.match(out, /token: in .*server-\d+\.json/);

  const [file] = readdirSync(stateDir);
  assert.ok(file, 'runtime file written');
  assert.equal(statSync(join(stateDir, file)).mode & 0o777, 0o600, 'readable only by the user');

  const info = JSON.parse((await run(process.execPath, [CLI, 'info', '--json'], { env })).stdout);
  assert.equal(info[0].url, url);
  assert.equal(info[0].pid, child.pid);
  const token: string = info[0].token;

  const health = (await (await fetch(`${url}/health`)).json()) as { pool: { idle: number } };
  assert.equal(health.pool.idle, 2);
  const created = (await (await fetch(`${url}/sessions`, { method: "POST", headers: { authorization: `Bearer ${token}` } })).json()) as { session_id: string };
  const sessions = (await (await fetch(`${url}/sessions`, { headers: { authorization: `Bearer ${token}` } })).json()) as { session_id: string }[];
  assert.equal(sessions[0]?.session_id, created.session_id);

  // Worker pids: the pool's Python children of the server process.
  const { stdout: ps } = await run('ps', ['-o', 'pid=', '--ppid', String(child.pid)]);
  const workers = ps.split('\n').map((s) => Number(s.trim())).filter(Boolean);
  assert.ok(workers.length >= 2, `workers: ${workers}`);

  child.kill('SIGTERM');
  const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
  assert.equal(code, 0);
  assert.deepEqual(readdirSync(stateDir), [], 'runtime file removed on exit');
  for (const pid of workers) assert.equal(pidAlive(pid), false, `worker ${pid} is gone`);
  await assert.rejects(run(process.execPath, [CLI, 'info'], { env }), /no running server/);
});

test('pyrepl serve refuses a non-loopback host without --allow-remote, and bad values name the option', async () => {
  const env = { ...process.env, PYREPL_LOG_LEVEL: 'silent' };
  await assert.rejects(run(process.execPath, [CLI, 'serve', '--host', '0.0.0.0', '--port', '0'], { env }), /--allow-remote/);
  await assert.rejects(run(process.execPath, [CLI, 'serve', '--port', 'eighty'], { env }), /--port/);
  await assert.rejects(run(process.execPath, [CLI, 'serve'], { env: { ...env, PYREPL_MAX_SESSIONS: '-3' } }), /PYREPL_MAX_SESSIONS/);
});

test('pyrepl exec runs code in a fresh session; pyrepl help lists every serve option', async () => {
  const { stdout } = await run(process.execPath, [CLI, 'exec', 'print("hi"); 6 * 7']);
  assert.equal(stdout, 'hi\n42\n');
  await assert.rejects(run(process.execPath, [CLI, 'exec', '1/0']), (err: { code?: number; stderr?: string }) => err.code === 1 && /ZeroDivisionError/.test(err.stderr ?? ''));
  const help = (await run(process.execPath, [CLI, 'help'])).stdout;
  for (const flag of ['--host', '--port', '--token', '--min-idle', '--max-sessions', '--idle-timeout']) assert.match(help, new RegExp(flag));
});
