/** Shared helpers of the session tests: real workers, a broken one, and process checks. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ExecutionEvent, InputRequestEvent } from '../../../protocol/worker-messages.js';
import { Session } from '../session.js';
import type { SessionOptions } from '../session-options.js';

export const BROKEN_WORKER = fileURLToPath(new URL('./broken_worker.py', import.meta.url));

/** Options that run the deliberately broken worker with the given fault instead of the real one. */
export function brokenWorker(fault: string): SessionOptions {
  return {
    workerArgsOverride: [BROKEN_WORKER],
    env: { ...process.env, PYREPL_FAKE_FAULT: fault },
  };
}

/** True while the process exists and is not a zombie (an orphan waiting for init to reap it has ended). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** Polls until `check` is true; fails after `timeoutMs` (a safety net, not a timing assertion). */
export async function waitFor(check: () => boolean, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Starts real sessions and closes them all after the test file. */
export class SessionTracker {
  private readonly sessions: Session[] = [];

  async create(options: SessionOptions = {}): Promise<Session> {
    const session = await Session.create(options);
    this.sessions.push(session);
    return session;
  }

  async closeAll(): Promise<void> {
    await Promise.all(this.sessions.map((s) => s.close()));
  }
}

/** Fails the test run on an unhandled rejection anywhere (a promise the runtime forgot). */
export function failOnUnhandledRejections(): { errors: unknown[] } {
  const seen = { errors: [] as unknown[] };
  process.on('unhandledRejection', (reason) => {
    seen.errors.push(reason);
  });
  return seen;
}

/** Reads an iterator that was already started to its end: the events the test has not looked at yet. */
export async function remaining<T>(iterator: AsyncIterator<T>): Promise<T[]> {
  const rest: T[] = [];
  for (let r = await iterator.next(); !r.done; r = await iterator.next()) rest.push(r.value);
  return rest;
}

/** The iterator's next event, which must be an input request (the test fails otherwise). */
export async function nextInputRequest(iterator: AsyncIterator<ExecutionEvent>): Promise<InputRequestEvent> {
  const event = (await iterator.next()).value as ExecutionEvent | undefined;
  assert.equal(event?.type, 'input_request', `expected an input_request, got ${JSON.stringify(event)}`);
  return event as InputRequestEvent;
}
