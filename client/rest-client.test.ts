// PyreplClient against a real server (real Python workers): every method once, and the errors a caller branches on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, type RunningServer } from '../server/app.js';
import { resolveConfig } from '../server/config.js';
import { PyreplApiError, PyreplClient, isPyreplApiError, type JobInfo } from './index.js';

let server: RunningServer;
let client: PyreplClient;

before(async () => {
  server = await startServer(resolveConfig({}, {}, { port: 0, token: 'test-token-123', minIdle: 1, logLevel: 'silent' }));
  client = new PyreplClient({ baseUrl: server.url, token: server.token });
});

after(() => server.close());

/** Polls a job until `done` holds: the job runs in another process, so its progress is observed, not timed. */
async function jobUntil(jobId: string, done: (job: JobInfo) => boolean): Promise<JobInfo> {
  for (let i = 0; i < 1000; i++) {
    const job = await client.getJob(jobId);
    if (done(job)) return job;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${jobId} never reached the expected state`);
}

async function rejectsWith(promise: Promise<unknown>, code: string, status: number): Promise<PyreplApiError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}`),
    (err: unknown) => err,
  );
  assert.ok(isPyreplApiError(error), `expected a PyreplApiError, got ${String(error)}`);
  assert.equal(error.code, code);
  assert.equal(error.status, status);
  return error;
}

test('health and metrics', async () => {
  const health = await client.health();
  assert.equal(health.status, 'ok');
  assert.ok(health.pool.max >= 1);
  assert.match(await client.metricsText(), /^# HELP /m);
});

test('a session: create, list, describe, execute with stdin, introspect, restart, close', async () => {
  const created = await client.createSession();
  assert.equal(created.state, 'idle');
  assert.ok((await client.listSessions()).some((s) => s.session_id === created.session_id));
  assert.equal((await client.getSession(created.session_id)).session_id, created.session_id);

  const run = await client.execute(created.session_id, { code: 'name = input("name? ")\nprint("hi", name)\nlen(name)', stdin: ['Ada'] });
  assert.equal(run.status, 'ok');
  assert.equal(run.stdout, 'name? hi Ada\n');
  assert.equal(run.result?.repr, '3');

  const noStdin = await client.execute(created.session_id, { code: 'input()' });
  assert.equal(noStdin.status, 'error');
  assert.equal(noStdin.error?.exception, 'EOFError', 'without stdin lines input() sees a closed stdin');

  const ns = await client.namespace(created.session_id);
  assert.deepEqual(ns.variables.find((v) => v.name === 'name'), { name: 'name', type: 'str', repr: "'Ada'", truncated: false });
  const completions = await client.complete(created.session_id, 'na');
  assert.ok(completions.matches.includes('name'));
  assert.equal(completions.cursor_end, 2);
  assert.deepEqual(await client.isComplete(created.session_id, 'def f():'), { status: 'incomplete', indent: '    ' });

  const restarted = await client.restart(created.session_id);
  assert.equal(restarted.session_id, created.session_id);
  assert.equal((await client.namespace(created.session_id)).variables.length, 0, 'a restart empties the namespace');

  assert.deepEqual(await client.closeSession(created.session_id), { session_id: created.session_id, state: 'closed' });
  await rejectsWith(client.getSession(created.session_id), 'session_closed', 409);
});

test('an async job waits for its input, answered through the job', async () => {
  const { session_id } = await client.createSession();
  const accepted = await client.startJob(session_id, { code: 'x = input("x? ")\nprint(x * 2)' });
  assert.equal(accepted.session_id, session_id);
  const waiting = await jobUntil(accepted.job_id, (j) => j.pending_input !== null);
  assert.equal(waiting.state, 'waiting_input');
  assert.equal(waiting.pending_input?.prompt, 'x? ');
  assert.deepEqual(await client.answerJobInput(accepted.job_id, waiting.pending_input!.token, 'ab'), { ok: true });
  const finished = await jobUntil(accepted.job_id, (j) => j.state === 'finished');
  assert.equal(finished.response?.stdout, 'x? abab\n');
  assert.equal(finished.response?.execution_id, accepted.execution_id);
  await client.closeSession(session_id);
});

test("the session's pending input can be answered through the session", async () => {
  const { session_id } = await client.createSession();
  const { job_id } = await client.startJob(session_id, { code: 'print(input())' });
  const waiting = await jobUntil(job_id, (j) => j.pending_input !== null);
  await client.answerInput(session_id, waiting.pending_input!.token, 'via session');
  assert.equal((await jobUntil(job_id, (j) => j.state === 'finished')).response?.stdout, 'via session\n');
  await rejectsWith(client.answerInput(session_id, waiting.pending_input!.token, 'again'), 'unknown_input_token', 409);
  await client.closeSession(session_id);
});

test('interrupt stops the running code with KeyboardInterrupt', async () => {
  const { session_id } = await client.createSession();
  assert.deepEqual(await client.interrupt(session_id), { interrupted: false }, 'nothing to interrupt yet');
  const { job_id } = await client.startJob(session_id, { code: 'import time\nprint("started", flush=True)\ntime.sleep(60)' });
  await jobUntil(job_id, (j) => j.outputs.some((o) => o.data.includes('started')));
  assert.deepEqual(await client.interrupt(session_id), { interrupted: true });
  const finished = await jobUntil(job_id, (j) => j.state === 'finished');
  assert.equal(finished.response?.error?.exception, 'KeyboardInterrupt');
  await client.closeSession(session_id);
});

test('executeOnce runs in a fresh session each time', async () => {
  const first = await client.executeOnce({ code: 'secret = 1\nprint("one")' });
  assert.equal(first.stdout, 'one\n');
  const second = await client.executeOnce({ code: 'secret' });
  assert.equal(second.error?.exception, 'NameError', 'nothing survives between one-shot calls');
});

test('refusals throw PyreplApiError with the code, status and details of the error body', async () => {
  const unknown = await rejectsWith(client.getSession('no-such-session'), 'session_not_found', 404);
  assert.equal(unknown.details.session_id, 'no-such-session');
  assert.match(unknown.message, /no-such-session/);
  await rejectsWith(client.getJob('no-such-job'), 'job_not_found', 404);
  await rejectsWith(new PyreplClient({ baseUrl: server.url, token: 'wrong-token' }).listSessions(), 'unauthorized', 401);
  const { session_id } = await client.createSession();
  const bad = await rejectsWith(client.execute(session_id, { code: 'pass', timeout: -1 }), 'invalid_argument', 400);
  assert.match(bad.message, /timeout/);
  await client.closeSession(session_id);
});
