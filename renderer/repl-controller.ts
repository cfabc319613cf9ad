/**
 * The REPL: what each key does in each mode, and what the session's events change. It owns the line editor and the
 * mode; it draws only through the OutputWriter (the region it describes, output it appends).
 *
 * Modes: `prompt` (>>> editing a cell), `busy` (code runs; typing goes to a type-ahead line, as in a terminal),
 * `input` (answering input()/getpass()), `search` (Ctrl+R), `confirm` (Ctrl+D's y/n), `observer` (read-only),
 * `dead` (the worker died; Enter restarts), `closed` (Enter starts a new session), `starting` (not attached yet).
 */
import type { Role, SessionState } from '../protocol/api-messages.js';
import { applyEditKey, toCodePoints, toUtf16 } from './edit-keys.js';
import type { History } from './history.js';
import { KeyParser, type KeyAction, type KeyName } from './key-map.js';
import type { RegionSpec } from './layout.js';
import { LineEditor } from './line-editor.js';
import { codeToCheck, decideEnter, decideLocally, type EnterDecision } from './multiline.js';
import type { OutputWriter } from './output-writer.js';
import { isRefusal, type ReplBackend } from './repl-backend.js';
import { ReverseSearch } from './reverse-search.js';
import { showCompletions } from './completion-flow.js';
import { buildRegion, type InputRequest, type Mode } from './prompt-region.js';
import { noticeText, streamText } from './transcript.js';
import type { WidthFn } from './unicode-width.js';

/**
 * How long Tab or Enter waits for the server's answer (complete, is_complete) before going on without it, so that a
 * reply that never comes cannot freeze the prompt (keys typed meanwhile are held until the answer). Above the
 * server's own limit for a silent worker (5 s, then a request_timeout error), which normally answers first.
 */
export const REPLY_DEADLINE_MS = 8000;

export interface ControllerDeps {
  writer: OutputWriter;
  backend: ReplBackend;
  history: History;
  role: Role;
  width: WidthFn;
  cols(): number;
  /** A short message outside the transcript (the read-only notice). */
  notify(message: string): void;
  /** Scroll the terminal by pages (PageUp/PageDown). */
  scrollPages(pages: number): void;
  /** Enter after the session closed: start over in a new session. */
  newSession(): void;
  /** REPLY_DEADLINE_MS unless given (tests). */
  replyDeadlineMs?: number;
}

export class ReplController {
  readonly editor = new LineEditor();
  mode: Mode;
  state: SessionState = 'starting';
  inputRequest: InputRequest | null = null;
  /** Cells this page sent whose execute_input has not come back yet (so their echo is not printed twice). */
  readonly ownCode: string[] = [];
  /** input() answers this page sent (their input_response event is not echoed). */
  readonly ownTokens = new Set<string>();
  private readonly parser = new KeyParser();
  search: ReverseSearch | null = null;
  /**
   * Keys that must wait: typed while a request (is_complete, complete) decides what the previous key did, or typed
   * after an Enter while code runs (type-ahead lines, replayed one by one at the next prompt or input(), as a
   * terminal's line discipline does).
   */
  private readonly queued: KeyAction[] = [];
  private waiting = false;
  private parked = false;

  constructor(readonly deps: ControllerDeps) {
    this.mode = deps.role === 'observer' ? 'observer' : 'starting';
    deps.writer.setRegion(() => this.region());
  }

  // ------------------------------------------------------------------ keys

  /** Everything xterm.js reports as typed or pasted. */
  handleData(data: string): void {
    for (const action of this.parser.parse(data)) {
      if (this.parked && action.type === 'key' && action.name === 'interrupt') {
        this.queued.length = 0; // Ctrl+C flushes type-ahead, as in a terminal
        this.parked = false;
        this.handle(action);
      } else if (this.waiting || this.parked) this.queued.push(action);
      else this.handle(action);
    }
  }

  /** Runs a request whose answer decides the next step, holding later keys until it is done. */
  private async hold(task: () => Promise<void>): Promise<void> {
    this.waiting = true;
    try {
      await task();
    } finally {
      this.waiting = false;
      this.drain();
    }
  }

  /** The server's answer, or a rejection once the reply deadline has passed without one. */
  private answer<T>(request: Promise<T>): Promise<T> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const deadline = new Promise<never>((_, reject) => {
      const ms = this.deps.replyDeadlineMs ?? REPLY_DEADLINE_MS;
      timer = setTimeout(() => reject(new Error(`no answer from the server within ${ms} ms`)), ms);
    });
    return Promise.race([request, deadline]).finally(() => clearTimeout(timer));
  }

  private drain(): void {
    while (!this.waiting && !this.parked && this.queued.length > 0) this.handle(this.queued.shift()!);
  }

  /** The prompt or an input() is back: replay what was typed ahead. */
  releaseTypeAhead(): void {
    if (!this.parked) return;
    this.parked = false;
    this.drain();
  }

  private handle(action: KeyAction): void {
    const key = action.type === 'key' ? action.name : null;
    if (key === 'clear-screen') return this.deps.writer.clearScreen();
    if (key === 'page-up' || key === 'page-down') return this.deps.scrollPages(key === 'page-up' ? -1 : 1);
    switch (this.mode) {
      case 'observer':
        return this.deps.notify('Read-only: you are observing this session. Open it as owner from the session menu (Ctrl+Shift+P) to type.');
      case 'closed':
        if (key === 'enter') this.deps.newSession();
        return;
      case 'dead':
        if (key !== 'enter') return;
        this.deps.writer.output(noticeText('Restarting Python…'));
        return void this.deps.backend.restart().catch((error: unknown) => this.deps.writer.output(streamText('stderr', `${String(error)}\n`)));
      case 'confirm':
        return this.confirmKey(action);
      case 'search':
        return this.searchKey(action);
      default:
        return this.editKey(action, key);
    }
  }

  private editKey(action: KeyAction, key: KeyName | null): void {
    const editor = this.editor;
    if (action.type !== 'key') {
      const text = action.type === 'paste' && this.mode === 'prompt' ? action.text.replace(/\n+$/, '') : action.text;
      editor.insert(text);
      return this.redraw();
    }
    switch (key) {
      case 'enter':
        if (this.mode === 'prompt') return this.enter();
        if (this.mode === 'input') return this.answerInput();
        this.parked = true; // the line and what follows wait for the prompt (or an input()) to take them
        this.queued.unshift(action); // first in line (when replaying, the rest of the queue follows it)
        return;
      case 'newline':
        if (this.mode !== 'prompt') return;
        editor.insert(`\n${editor.currentIndent}`);
        return this.redraw();
      case 'tab':
        if (this.mode !== 'prompt') return this.insert(this.mode === 'input' ? '\t' : '    ');
        return void this.complete();
      case 'up':
      case 'down':
        return this.upDown(key === 'up' ? -1 : 1);
      case 'interrupt':
        return this.interrupt();
      case 'eof':
        if (this.mode === 'prompt' && editor.isEmpty) {
          this.mode = 'confirm';
          return this.redraw();
        }
        editor.deleteForward();
        return this.redraw();
      case 'reverse-search':
        if (this.mode !== 'prompt') return;
        this.search = new ReverseSearch(this.deps.history, { text: editor.text, cursor: editor.cursor });
        this.mode = 'search';
        return this.redraw();
      default:
        if (key && applyEditKey(editor, key)) this.redraw();
    }
  }

  private insert(text: string): void {
    this.editor.insert(text);
    this.redraw();
  }
  private upDown(direction: -1 | 1): void {
    if (this.mode !== 'prompt') return;
    if (this.editor.verticalMove(direction, this.deps.width)) return this.redraw();
    const entry = direction < 0 ? this.deps.history.previous(this.editor.text) : this.deps.history.next();
    if (entry === null) return;
    // A recalled block comes back whole, cursor at its end: Enter runs it, ↑ walks up through its lines first.
    this.editor.set(entry);
    this.redraw();
  }

  private interrupt(): void {
    if (this.mode === 'prompt') {
      // As the Python REPL: the line stays visible, marked ^C, and a fresh prompt follows.
      const final = this.region();
      if (final) final.lines[final.lines.length - 1]!.text += '^C';
      this.editor.clear();
      this.deps.history.reset();
      return this.deps.writer.commit(final);
    }
    this.deps.backend.interrupt();
  }

  // ------------------------------------------------------------------ Enter at the prompt

  private enter(): void {
    const editor = this.editor;
    const text = editor.text;
    const local = decideLocally(text, editor.onLastLine, editor.currentIndent);
    if (local) return this.apply(local);
    void this.hold(async () => {
      const answer = await this.answer(this.deps.backend.isComplete(codeToCheck(text))).catch(() => ({ status: 'complete' as const, indent: '' }));
      if (this.mode === 'prompt' && editor.text === text) this.apply(decideEnter(text, answer.status, answer.indent));
    });
  }

  private apply(decision: EnterDecision): void {
    if (decision.action === 'newline') return this.insert(`\n${decision.indent}`);
    const final = this.region();
    this.editor.clear();
    this.deps.history.reset();
    if (decision.code === '') return this.deps.writer.commit(final);
    this.deps.history.add(decision.code);
    if (!this.deps.backend.connected) {
      this.deps.writer.commit(final);
      this.deps.writer.output(noticeText('Not connected: the cell was not sent (it is back in the prompt, press Enter again once connected).'));
      this.editor.set(decision.code);
      return this.redraw();
    }
    this.mode = 'busy';
    this.deps.writer.commit(final);
    this.ownCode.push(decision.code);
    this.deps.backend.execute(decision.code).catch((error: unknown) => {
      if (!isRefusal(error)) return; // the connection dropped: the replay after reconnecting tells what happened
      this.ownCode.splice(this.ownCode.indexOf(decision.code), 1);
      this.deps.writer.lineStart();
      this.deps.writer.output(streamText('stderr', `${(error as Error).message}\n`));
      if (this.mode === 'busy' && this.state === 'idle') this.toPrompt();
    });
  }

  private answerInput(): void {
    const request = this.inputRequest!;
    const text = this.editor.text;
    const nl = text.indexOf('\n');
    // input() reads one line; the rest of a pasted block stays typed ahead for the next read.
    this.editor.set(nl < 0 ? text : text.slice(0, nl));
    const final = this.region();
    const data = this.editor.text;
    this.editor.set(nl < 0 ? '' : text.slice(nl + 1), 0);
    this.inputRequest = null;
    this.mode = 'busy';
    this.ownTokens.add(request.token);
    this.deps.writer.commit(final);
    this.deps.backend.answerInput(request.token, data).catch((error: unknown) => {
      if (isRefusal(error)) this.deps.writer.output(streamText('stderr', `${(error as Error).message}\n`));
    });
  }

  private async complete(): Promise<void> {
    const editor = this.editor;
    const before = editor.text.slice(editor.lineStart(), editor.cursor);
    if (before.trim() === '') return this.insert('    '); // Tab in the indentation indents, as in the Python REPL
    const text = editor.text;
    const cursor = editor.cursor;
    await this.hold(async () => {
      const answer = await this.answer(this.deps.backend.complete(text, toCodePoints(text, cursor))).catch(() => null);
      if (!answer || editor.text !== text || editor.cursor !== cursor || this.mode !== 'prompt') return;
      const start = toUtf16(text, answer.cursor_start);
      const end = toUtf16(text, answer.cursor_end);
      showCompletions(this, [...new Set(answer.matches)], start, end);
    });
  }

  // ------------------------------------------------------------------ other modes

  private confirmKey(action: KeyAction): void {
    const yes = action.type === 'insert' && /^y/i.test(action.text);
    const final = this.region();
    if (final) final.lines[0]!.text = yes ? 'y' : 'n';
    this.mode = yes ? 'busy' : 'prompt';
    this.deps.writer.commit(final);
    if (yes) void this.deps.backend.closeSession().catch(() => this.toPrompt());
  }

  private searchKey(action: KeyAction): void {
    const search = this.search!;
    const key = action.type === 'key' ? action.name : null;
    if (action.type !== 'key') search.type(action.text);
    else if (key === 'backspace') search.backspace();
    else if (key === 'reverse-search') search.older();
    else {
      const cancel = key === 'cancel' || key === 'interrupt';
      this.editor.set(cancel ? search.original.text : search.text, cancel ? search.original.cursor : search.cursor);
      this.search = null;
      this.mode = 'prompt';
      if (key === 'enter') return this.enter();
    }
    this.redraw();
  }

  // ------------------------------------------------------------------ back to the prompt

  toPrompt(): void {
    this.inputRequest = null;
    this.mode = 'prompt';
    this.redraw();
    this.releaseTypeAhead();
  }

  redraw(): void {
    this.deps.writer.redraw();
  }

  region(): RegionSpec | null {
    return buildRegion(this);
  }
}
