// SessionSocket against a real server: both auth modes, every send helper, observers, reconnect without duplicates.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, type RunningServer } from '../server/app.js';
import { resolveConfig } from '../server/config.js';
import { PyreplClient, SessionSocket, isPyreplApiError, type SessionSocketOptions, type WsServerMessage } from './index.js';

let server: RunningServer;
let rest: PyreplClient;

before(async () => {
  server = await startServer(resolveConfig({}, {}, { port: 0, token: 'test-token-123', minIdle: 1, logLevel: 'silent' }));
  rest = new PyreplClient({ baseUrl: server.url, token: server.token });
});

after(() => server.close());

function connect(options: Partial<SessionSocketOptions> = {}): Promise<SessionSocket> {
  return SessionSocket.connect({ baseUrl: server.url, token: server.token, WebSocket, auth: 'header', ...options });
}

/** Records every message of a socket; until() finds the first recorded one that matches, or waits for it. */
function record(socket: SessionSocket) {
  const seen: WsServerMessage[] = [];
  const waiters: { match: (m: WsServerMessage) => boolean; resolve: (m: WsServerMessage) => void }[] = [];
  socket.on((message) => {
    seen.push(message);
    for (const w of [...waiters]) if (w.match(message)) waiters.splice(waiters.indexOf(w), 1) && w.resolve(message);
  });
  return {
    seen,
    until<T extends WsServerMessage>(match: (m: WsServerMessage) => m is T): Promise<T> {
      const found = seen.find(match);
      return found ? Promise.resolve(found as T) : new Promise((resolve) => waiters.push({ match, resolve: resolve as never }));
    },
  };
}

const is =
  <K extends WsServerMessage['type']>(type: K, executionId?: string) =>
  (m: WsServerMessage): m is Extract<WsServerMessage, { type: K }> =>
    m.type === type && (executionId === undefined || ('execution_id' in m && m.execution_id === executionId));

async function rejectsWith(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(() => assert.fail(`expected ${code}`), (err: unknown) => err);
  assert.ok(isPyreplApiError(error, code), `expected ${code}, got ${String(error)}`);
}

test('header auth creates a session; execute, complete, is_complete and ping are answered', async () => {
  const socket = await connect();
  const log = record(socket);
  assert.equal(socket.hello?.type, 'session_created');
  assert.equal(socket.role, 'owner');
  const accepted = await socket.execute('print("hello")\n6 * 7');
  const reply = await log.until(is('execute_reply', accepted.execution_id));
  assert.equal(reply.status, 'ok');
  assert.equal((await log.until(is('output', accepted.execution_id))).data, 'hello\n');
  assert.equal((await log.until(is('result', accepted.execution_id))).repr, '42');
  assert.ok((await socket.complete('pri')).matches.includes('print('));
  assert.equal((await socket.isComplete('for i in x:')).status, 'incomplete');
  assert.equal((await socket.ping()).type, 'pong');
  await socket.closeSession();
});

test('first-message auth attaches to an existing session and replays its transcript', async () => {
  const { session_id } = await rest.createSession();
  await rest.execute(session_id, { code: 'print("before")' });
  const socket = await connect({ sessionId: session_id, auth: 'message' });
  const log = record(socket);
  assert.equal(socket.hello?.type, 'session_attached');
  assert.equal((await log.until(is('output'))).data, 'before\n', 'the transcript so far is replayed');
  assert.ok(socket.lastSeq > 0);
  await socket.closeSession();
});

test('input requests are answered with answerInput; a wrong token is refused', async () => {
  const socket = await connect();
  const log = record(socket);
  const { execution_id } = await socket.execute('name = input("name? ")\nprint("hi", name)');
  const request = await log.until(is('input_request', execution_id));
  assert.equal(request.prompt, 'name? ');
  await rejectsWith(socket.answerInput('not-the-token', 'x'), 'unknown_input_token');
  await socket.answerInput(request.token, 'Ada');
  await log.until(is('execute_reply', execution_id));
  assert.equal((await log.until(is('output', execution_id))).data, 'hi Ada\n');
  await socket.closeSession();
});

test('interrupt ends the running code with KeyboardInterrupt', async () => {
  const socket = await connect();
  const log = record(socket);
  const { execution_id } = await socket.execute('import time\nprint("started", flush=True)\ntime.sleep(60)');
  await log.until(is('output', execution_id));
  assert.match(socket.interrupt(), /./, 'returns the request id a refusal would carry');
  assert.equal((await log.until(is('error', execution_id))).exception, 'KeyboardInterrupt');
  assert.equal((await log.until(is('execute_reply', execution_id))).status, 'error');
  await socket.closeSession();
});

test('an observer sees the owner\'s events and may not drive the session', async () => {
  const owner = await connect();
  const observer = await connect({ sessionId: owner.sessionId!, role: 'observer' });
  const watched = record(observer);
  assert.equal(observer.role, 'observer');
  await rejectsWith(observer.execute('1'), 'read_only');
  const { execution_id } = await owner.execute('print("seen")');
  assert.equal((await watched.until(is('output', execution_id))).data, 'seen\n');
  assert.ok((await observer.complete('pri')).matches.length > 0, 'observers may still ask for completions');
  await owner.closeSession();
  await observer.closed;
});

test('reconnect resumes after the last seen event: what happened meanwhile arrives once, nothing twice', async () => {
  const socket = await connect();
  const log = record(socket);
  const first = await socket.execute('print("one")');
  await log.until(is('execute_reply', first.execution_id));
  await socket.close();
  const seenBefore = socket.lastSeq;
  const sessionId = socket.sessionId!;
  await rest.execute(sessionId, { code: 'print("while away")' });
  const hello = await socket.reconnect();
  assert.equal(hello.type, 'session_attached');
  assert.equal(hello.type === 'session_attached' && hello.replay_from, seenBefore + 1, 'asks only for what followed');
  const away = await log.until((m): m is Extract<WsServerMessage, { type: 'output' }> => m.type === 'output' && m.data === 'while away\n');
  assert.ok(away.seq > 0);
  const seqs = log.seen.flatMap((m) => ('seq' in m ? [m.seq] : []));
  assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'every event once, in order');
  assert.equal(seqs[0], 1);
  assert.equal(seqs.at(-1), socket.lastSeq);
  await socket.closeSession();
});

test('the async iterator yields the session\'s messages and ends when the session closes', async () => {
  const socket = await connect();
  await socket.execute('print("it")');
  const types: string[] = [];
  for await (const message of socket) {
    types.push(message.type);
    if (message.type === 'execute_reply') void socket.closeSession();
  }
  assert.equal(types[0], 'session_created', 'messages that came before the loop started are not lost');
  assert.ok(types.includes('output'));
  assert.equal(types.at(-1), 'session_closed');
  assert.equal((await socket.closed).code, 4000);
});

test('refused connections reject with the API error, in both auth modes', async () => {
  await assert.rejects(connect({ sessionId: 'no-such-session' }), (e) => isPyreplApiError(e, 'session_not_found') && e.status === 404);
  await assert.rejects(connect({ sessionId: 'no-such-session', auth: 'message' }), (e) => isPyreplApiError(e, 'session_not_found'));
  await assert.rejects(connect({ token: 'wrong-token', auth: 'message' }), (e) => isPyreplApiError(e, 'unauthorized'));
  await assert.rejects(connect({ token: 'wrong-token' }), (e) => isPyreplApiError(e, 'unauthorized') && e.status === 401);
});

test("output: 'binary' brings the same output messages, carried in binary frames", async () => {
  const code = 'print("naïve € 😀")\nprint("é" * 70000)';
  const seen: Record<string, string> = {};
  const binaryMessages: Record<string, number> = { json: 0, binary: 0 };
  for (const output of ['json', 'binary'] as const) {
    class Counting extends WebSocket {
      constructor(...args: ConstructorParameters<typeof WebSocket>) {
        super(...args);
        this.addEventListener('message', (event) => {
          if (typeof event.data !== 'string') binaryMessages[output]! += 1;
        });
      }
    }
    const socket = await connect({ output, WebSocket: Counting });
    const log = record(socket);
    const accepted = await socket.execute(code);
    await log.until(is('execute_reply', accepted.execution_id));
    seen[output] = log.seen.filter(is('output', accepted.execution_id)).map((m) => m.data).join('');
    await socket.closeSession();
  }
  assert.equal(seen.binary, `naïve € 😀\n${'é'.repeat(70000)}\n`);
  assert.equal(seen.binary, seen.json);
  assert.equal(binaryMessages.json, 0);
  assert.ok(binaryMessages.binary! >= 2, `output came in binary frames (${binaryMessages.binary})`);
});
