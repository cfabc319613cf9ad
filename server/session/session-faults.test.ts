import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { isPyreplError } from '../../protocol/errors.js';
import { collect } from './execution.js';
import { Session } from './session.js';
import { brokenWorker, failOnUnhandledRejections, pidAlive, remaining, SessionTracker, waitFor } from './testing/helpers.js';

const sessions = new SessionTracker();
const unhandled = failOnUnhandledRejections();
after(async () => {
  await sessions.closeAll();
  assert.deepEqual(unhandled.errors, [], 'no unhandled rejections');
});

function errorOf(run: Awaited<ReturnType<typeof collect>>) {
  const error = run.events.find((e) => e.type === 'error');
  assert.ok(error && error.type === 'error', `expected an error event, got ${JSON.stringify(run.events)}`);
  return error;
}

for (const [name, code, expect] of [
  ['os._exit(3)', 'import os\nos._exit(3)', { exit_code: 3, signal: null, text: /exited with code 3/ }],
  ['a segfault through ctypes', 'import ctypes\nctypes.string_at(0)', { exit_code: null, signal: 'SIGSEGV', text: /SIGSEGV/ }],
] as const) {
  test(`a worker that dies by ${name}: the running execution ends with how it died, queued ones are aborted`, async () => {
    const s = await sessions.create();
    const running = s.execute({ code });
    const queued = s.execute({ code: '1' });
    const run = await collect(running);
    const error = errorOf(run);
    assert.equal(error.exception, 'WorkerDied');
    assert.equal(error.exit_code, expect.exit_code);
    assert.equal(error.signal, expect.signal);
    assert.match(error.message, expect.text);
    assert.equal(run.reply?.status, 'error');
    assert.equal((await collect(queued)).reply?.status, 'aborted');
    assert.equal(s.state, 'dead');
    await assert.rejects(s.complete('x'), (err) => isPyreplError(err, 'session_dead'));
  });
}

test('a worker killed from outside (SIGKILL) mid-execution is detected at once', async () => {
  const s = await sessions.create();
  const running = s.execute({ code: 'import time\nprint("before")\ntime.sleep(60)' });
  const iterator = running[Symbol.asyncIterator]();
  assert.equal((await iterator.next()).value?.type, 'output');
  process.kill(s.pid!, 'SIGKILL');
  const rest = await remaining(iterator);
  const error = rest.find((e) => e.type === 'error');
  assert.equal(error?.type === 'error' && error.signal, 'SIGKILL');
  assert.equal(s.state, 'dead');
});

test('broken worker: crash at start is a worker_start_failed error carrying its stderr', async () => {
  await assert.rejects(Session.create(brokenWorker('crash_at_start')), (err) => {
    assert.ok(isPyreplError(err, 'worker_start_failed'));
    assert.match(err.message, /exited with code 3/);
    assert.match(err.message, /crashing at start on purpose/);
    return true;
  });
});

test('broken worker: never ready is killed after the start timeout', async () => {
  await assert.rejects(Session.create({ ...brokenWorker('hang_at_start'), startTimeoutMs: 500 }), (err) => {
    assert.ok(isPyreplError(err, 'worker_start_failed'));
    assert.match(err.message, /not ready within 500 ms/);
    return true;
  });
});

test('broken worker: crash mid-output delivers the output, then the death', async () => {
  const s = await sessions.create(brokenWorker('crash_mid_output'));
  const run = await collect(s.execute({ code: 'anything' }));
  assert.equal(run.stdout, 'partial output\n');
  const error = errorOf(run);
  assert.equal(error.exit_code, 7);
  assert.equal(s.state, 'dead');
});

for (const fault of ['garbage', 'invalid_message']) {
  test(`broken worker: ${fault} on the protocol channel kills the worker with a protocol error`, async () => {
    const s = await sessions.create(brokenWorker(fault));
    const run = await collect(s.execute({ code: 'anything' }));
    const error = errorOf(run);
    assert.equal(error.exception, 'WorkerKilled');
    assert.match(error.message, /protocol error/);
    assert.equal(s.state, 'dead');
  });
}

test('broken worker: one that never answers fails its heartbeat', async () => {
  const s = await sessions.create(brokenWorker('no_heartbeat'));
  assert.equal(await s.heartbeat(200), false);
  const healthy = await sessions.create();
  assert.equal(await healthy.heartbeat(), true);
});

test('user code cannot break the protocol channel: garbage on fd 1, a replaced sys.stdout, a closed fd 1', async () => {
  const s = await sessions.create();
  await collect(s.execute({ code: 'import os\nos.write(1, b"\\x00\\xff{not json\\n")' }));
  await collect(s.execute({ code: 'import sys, io\nsys.stdout = io.StringIO()\nprint("swallowed")' }));
  await collect(s.execute({ code: 'import os\nos.close(1)\nos.close(2)' }));
  const run = await collect(s.execute({ code: '6 * 7' }));
  assert.equal((run.events.find((e) => e.type === 'result') as { repr: string }).repr, '42');
  assert.equal(s.state, 'idle');
});

test('flow control: a consumer that does not read keeps Node-side buffering bounded, and no byte is lost', async () => {
  const s = await sessions.create({ highWatermarkBytes: 256 * 1024, lowWatermarkBytes: 64 * 1024 });
  const lines = 100_000;
  const execution = s.execute({ code: `import sys\nfor i in range(${lines}):\n    sys.stdout.write("%09d\\n" % i)` });
  // Do not read for a while: the worker must be held back rather than Node buffering all 1 MB... 10 MB.
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(s.bufferedBytes < 256 * 1024 + 200 * 1024, `buffered ${s.bufferedBytes} bytes`);
  assert.equal(s.state, 'busy');
  const run = await collect(execution);
  const expected = Array.from({ length: lines }, (_, i) => `${String(i).padStart(9, '0')}\n`).join('');
  assert.equal(run.stdout.length, expected.length);
  assert.ok(run.stdout === expected, 'every byte arrives, in order');
});

test('the worker exits by itself when its parent process dies', async () => {
  const script = fileURLToPath(new URL('./testing/orphan-parent.ts', import.meta.url));
  const parent = spawn(process.execPath, ['--import', 'tsx', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve, reject) => {
    let out = '';
    parent.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /worker-pid (\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    parent.once('exit', () => reject(new Error(`parent exited early: ${out}`)));
  });
  assert.ok(pidAlive(pid));
  parent.kill('SIGKILL');
  await waitFor(() => !pidAlive(pid), 10_000, `worker ${pid} to exit after its parent died`);
});
