import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isPyreplError } from '../../protocol/errors.js';
import { collect } from './execution.js';
import { SessionPool } from './pool.js';
import type { Session } from './session.js';
import { brokenWorker, pidAlive, waitFor } from './testing/helpers.js';

async function withPool(options: ConstructorParameters<typeof SessionPool>[0], body: (pool: SessionPool) => Promise<void>) {
  const pool = new SessionPool(options);
  try {
    await pool.start();
    await body(pool);
  } finally {
    await pool.shutdown();
  }
}

function resultRepr(run: Awaited<ReturnType<typeof collect>>): string | undefined {
  const result = run.events.find((e) => e.type === 'result');
  return result?.type === 'result' ? result.repr : undefined;
}

test('pre-warms min_idle sessions and hands a warm one out at once, then refills', async () => {
  await withPool({ minIdle: 2, maxSessions: 4 }, async (pool) => {
    assert.deepEqual(pool.stats(), { idle: 2, active: 0, starting: 0, total: 2, max: 4, waiting: 0 });
    const session = await pool.acquire();
    assert.equal(session.state, 'idle');
    assert.equal(pool.stats().active, 1);
    await waitFor(() => pool.stats().idle === 2, 10_000, 'refill');
    assert.equal(pool.stats().total, 3);
    await pool.release(session);
  });
});

test('release destroys the session: no namespace reaches a second owner', async () => {
  await withPool({ minIdle: 1, maxSessions: 2 }, async (pool) => {
    const first = await pool.acquire();
    await collect(first.execute({ code: 'secret = "first owner"' }));
    const pid = first.pid!;
    await pool.release(first);
    assert.equal(first.state, 'closed');
    assert.equal(pidAlive(pid), false);
    const second = await pool.acquire();
    assert.notEqual(second.id, first.id);
    assert.equal(resultRepr(await collect(second.execute({ code: "'secret' in dir()" }))), 'False');
    await pool.release(second);
  });
});

test('acquire waits for capacity and then fails with pool_exhausted; a release serves a waiter', async () => {
  await withPool({ minIdle: 0, maxSessions: 2 }, async (pool) => {
    const a = await pool.acquire();
    const b = await pool.acquire();
    await assert.rejects(pool.acquire(200), (err) => isPyreplError(err, 'pool_exhausted'));
    const waiting = pool.acquire(10_000);
    assert.equal(pool.stats().waiting, 1);
    await pool.release(a);
    const c = await waiting;
    assert.equal(c.state, 'idle');
    assert.equal(pool.stats().total, 2);
    await pool.release(b);
    await pool.release(c);
  });
});

test('warmup_code runs in every session before it is handed out', async () => {
  await withPool({ minIdle: 1, warmupCode: 'import json\nWARM = json.dumps([1])' }, async (pool) => {
    const session = await pool.acquire();
    assert.equal(resultRepr(await collect(session.execute({ code: 'WARM' }))), "'[1]'");
    await pool.release(session);
  });
});

test('a dead idle session is replaced', async () => {
  await withPool({ minIdle: 1, maxSessions: 3 }, async (pool) => {
    const replaced: string[] = [];
    pool.on('replaced', (_s, why) => replaced.push(why));
    const idle = (pool as unknown as { idle: Session[] }).idle[0]!;
    process.kill(idle.pid!, 'SIGKILL');
    await waitFor(() => replaced.length === 1 && pool.stats().idle === 1, 10_000, 'replacement');
    const session = await pool.acquire();
    assert.notEqual(session.id, idle.id);
    assert.equal(resultRepr(await collect(session.execute({ code: '1+1' }))), '2');
    await pool.release(session);
  });
});

test('an idle worker that stops answering heartbeats is replaced', async () => {
  await withPool(
    { minIdle: 1, heartbeatIntervalMs: 150, heartbeatTimeoutMs: 100, session: brokenWorker('no_heartbeat') },
    async (pool) => {
      const reasons: string[] = [];
      pool.on('replaced', (_s, why) => reasons.push(why));
      await waitFor(() => reasons.length > 0, 10_000, 'a heartbeat replacement');
      assert.equal(reasons[0], 'no heartbeat');
    },
  );
});

test('a pool whose workers cannot start fails acquire with the reason, not a hang', async () => {
  await withPool({ minIdle: 0, session: brokenWorker('crash_at_start') }, async (pool) => {
    await assert.rejects(pool.acquire(10_000), (err) => isPyreplError(err, 'worker_start_failed'));
  });
});

test('shutdown ends every worker, busy or idle, and their children: no Python process left behind', async () => {
  const pool = new SessionPool({ minIdle: 2, maxSessions: 4, session: { shutdownGraces: { messageMs: 200, termMs: 200 } } });
  await pool.start();
  const stubborn = await pool.acquire();
  // Busy in user code that ignores SIGTERM, with a child process of its own.
  void collect(
    stubborn.execute({
      code: 'import signal, subprocess\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nchild = subprocess.Popen(["sleep", "60"])\nprint(child.pid, flush=True)\nwhile True: pass',
    }),
  );
  let childPid = 0;
  stubborn.on('event', (e) => {
    if (e.type === 'output' && !childPid) childPid = Number(e.data.trim());
  });
  await waitFor(() => childPid > 0, 10_000, 'child pid');
  await waitFor(() => pool.stats().idle === 2, 10_000, 'refill');
  const pids = [stubborn.pid!, ...((pool as unknown as { idle: Session[] }).idle.map((s) => s.pid!))];
  assert.equal(pids.length, 3);
  await pool.shutdown();
  // Workers are the pool's own children, reaped before shutdown() resolves; the grandchild is killed with its
  // worker's process group and reaped by init shortly after.
  for (const pid of pids) assert.equal(pidAlive(pid), false, `worker ${pid} is gone`);
  await waitFor(() => !pidAlive(childPid), 5_000, `the worker's child ${childPid} to be gone`);
  await assert.rejects(pool.acquire(), (err) => isPyreplError(err, 'pool_shut_down'));
});

test('shutdown escalates message → SIGTERM → SIGKILL for a worker that ignores the first two', async () => {
  const pool = new SessionPool({
    minIdle: 2,
    session: { ...brokenWorker('stubborn'), shutdownGraces: { messageMs: 200, termMs: 200 } },
  });
  await pool.start();
  const sessions = (pool as unknown as { idle: Session[] }).idle.slice();
  const pids = sessions.map((s) => s.pid!);
  const closed = await Promise.all(sessions.map((s) => s.close()));
  for (const exit of closed) assert.equal(exit?.signal, 'SIGKILL', 'only SIGKILL ended it');
  await pool.shutdown();
  for (const pid of pids) assert.equal(pidAlive(pid), false, `worker ${pid} is gone`);
});
