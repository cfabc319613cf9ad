/**
 * A scripted session for controller tests: records what the REPL sends, answers is_complete like Python's codeop
 * (roughly) and completion from a list, and lets the test feed session events back.
 */
import type { WsServerMessage } from '../../protocol/api-messages.js';
import { History } from '../history.js';
import { OutputWriter } from '../output-writer.js';
import type { CompleteAnswer, IsCompleteAnswer, ReplBackend } from '../repl-backend.js';
import { ReplController } from '../repl-controller.js';
import { SessionEvents } from '../session-events.js';
import { stringWidth } from '../unicode-width.js';
import { HeadlessScreen } from './headless-screen.js';

export class FakeBackend implements ReplBackend {
  connected = true;
  sessionId = 'sess-1234abcd';
  readonly executed: string[] = [];
  readonly answers: [string, string][] = [];
  interrupts = 0;
  closed = 0;
  completions: string[] = [];
  /** complete() and isComplete() never answer (a reply lost on the way). */
  silent = false;

  async execute(code: string): Promise<void> {
    this.executed.push(code);
  }
  async answerInput(token: string, data: string): Promise<void> {
    this.answers.push([token, data]);
  }
  interrupt(): void {
    this.interrupts++;
  }
  async complete(code: string, cursor: number): Promise<CompleteAnswer> {
    if (this.silent) return new Promise(() => undefined);
    const before = [...code].slice(0, cursor).join('');
    const word = /[\w.]*$/.exec(before)![0];
    return { matches: this.completions.filter((c) => c.startsWith(word)), cursor_start: cursor - [...word].length, cursor_end: cursor };
  }
  async isComplete(code: string): Promise<IsCompleteAnswer> {
    if (this.silent) return new Promise(() => undefined);
    const lines = code.split('\n');
    const last = lines[lines.length - 1]!;
    if (code.endsWith('\n')) return { status: 'complete', indent: '' };
    if (last.trimEnd().endsWith(':')) return { status: 'incomplete', indent: `${/^ */.exec(last)![0]}    ` };
    if (lines.length > 1) return { status: 'incomplete', indent: /^ */.exec(last)![0] };
    return { status: 'complete', indent: '' };
  }
  async closeSession(): Promise<void> {
    this.closed++;
  }
  async restart(): Promise<void> {}
}

/** A controller on a headless terminal with a fake backend; `events()` feeds session events with increasing seq. */
export function replHarness(role: 'owner' | 'observer' = 'owner', cols = 100, replyDeadlineMs?: number) {
  const screen = new HeadlessScreen(cols, 20);
  const writer = new OutputWriter(screen, stringWidth);
  const backend = new FakeBackend();
  const notices: string[] = [];
  const repl = new ReplController({
    writer,
    backend,
    history: new History(null, 'test'),
    role,
    width: stringWidth,
    cols: () => cols,
    notify: (m) => notices.push(m),
    scrollPages: () => undefined,
    newSession: () => undefined,
    ...(replyDeadlineMs !== undefined ? { replyDeadlineMs } : {}),
  });
  const events = new SessionEvents(repl);
  let seq = 0;
  const base = { session_id: backend.sessionId };
  const feed = (...messages: Record<string, unknown>[]) => {
    for (const m of messages) events.handle({ ...base, ...('type' in m && needsSeq(m.type as string) ? { seq: ++seq } : {}), ...m } as WsServerMessage);
  };
  feed({ type: 'session_created', role, state: 'idle', last_seq: 0, python_version: '3.12.1' });
  const settle = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0)); // pending is_complete / complete answers
    await writer.whenIdle();
    await screen.flush();
  };
  /** Everything after the two banner lines. */
  const transcript = () => screen.lines().slice(2);
  return { screen, writer, backend, repl, events, feed, settle, transcript, notices };
}

function needsSeq(type: string): boolean {
  return ['execute_input', 'status', 'output', 'input_request', 'input_response', 'result', 'error', 'execute_reply', 'session_closed'].includes(type);
}

/** The events of one execution the page itself sent, from start to idle. */
export function ranOwn(code: string, id: string, body: Record<string, unknown>[] = []): Record<string, unknown>[] {
  return [
    { type: 'execute_input', execution_id: id, code, source: 'ws' },
    { type: 'status', state: 'busy', execution_id: id },
    ...body,
    { type: 'execute_reply', execution_id: id, status: 'ok', execution_count: 1, execution_time: 0.01 },
    { type: 'status', state: 'idle', execution_id: null },
  ];
}
