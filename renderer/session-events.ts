/**
 * What the session's WebSocket messages do to the REPL: the transcript they add (code someone else ran, output,
 * results, tracebacks, input prompts and answers) and the mode changes they cause (busy → input → prompt). Owners
 * and observers share this; an owner skips the echo of what it typed itself (already on screen).
 */
import type { SessionState, WsServerMessage } from '../protocol/api-messages.js';
import type { InputRequest } from './prompt-region.js';
import type { ReplController } from './repl-controller.js';
import { codeEcho, errorText, inputEcho, noticeText, resultText, streamText } from './transcript.js';

const ANSI = /\x1b\[[0-9;?]*[ -/]*[@-~]/g;

export class SessionEvents {
  private bannerShown = false;
  private seenSeq = 0;
  /** After a re-attach to an idle session: the seq where its replay ends (see checkLostCells). */
  private replayEnd: number | null = null;

  constructor(private readonly repl: ReplController) {}

  private get writer() {
    return this.repl.deps.writer;
  }

  handle(m: WsServerMessage): void {
    if ('seq' in m) this.seenSeq = Math.max(this.seenSeq, m.seq);
    this.dispatch(m);
    if (this.replayEnd !== null && this.seenSeq >= this.replayEnd) this.checkLostCells();
  }

  private dispatch(m: WsServerMessage): void {
    const repl = this.repl;
    const writer = this.writer;
    switch (m.type) {
      case 'session_created':
      case 'session_attached':
        this.banner(m.python_version, m.session_id);
        if (m.type === 'session_attached' && m.pending_input && repl.deps.role === 'owner') this.startInput(m.pending_input);
        if (m.type === 'session_attached' && m.state === 'idle') this.replayEnd = m.last_seq;
        return this.setState(m.state);
      case 'execute_input': {
        const own = m.source === 'ws' ? repl.ownCode.indexOf(m.code) : -1;
        if (own >= 0) return void repl.ownCode.splice(own, 1);
        writer.lineStart();
        return writer.output(codeEcho(m.code, m.source === 'ws' ? '' : `(${m.source})`));
      }
      case 'output':
        return writer.output(streamText(m.stream, m.data));
      case 'input_request':
        if (repl.deps.role === 'owner') return this.startInput(m);
        return writer.output(m.prompt);
      case 'input_response':
        if (repl.ownTokens.delete(m.token)) return;
        if (this.inputAnsweredElsewhere(m.token, m.data)) return;
        return writer.output(inputEcho(m.data));
      case 'result':
        writer.lineStart();
        return writer.output(resultText(m.repr));
      case 'error':
        writer.lineStart();
        return writer.output(errorText(m));
      case 'status':
        return this.setState(m.state);
      case 'session_closed':
        return this.closed(m.exit_code !== undefined ? `exit code ${m.exit_code}` : m.reason);
      case 'replay_gap':
        writer.lineStart();
        return writer.output(noticeText(`[${m.missed_events} earlier events are no longer buffered: the transcript has a gap]`));
      case 'output_dropped':
        writer.lineStart();
        return writer.output(noticeText(`[${m.bytes} bytes of output skipped: this observer fell behind]`));
      case 'request_error':
        if (m.request_id) return; // the request's own promise reports it
        writer.lineStart();
        return writer.output(streamText('stderr', `${m.error.message}\n`));
      default:
        return;
    }
  }

  /**
   * A cell sent just as the connection dropped may never have reached the server. Once the replay after a
   * re-attach to an idle session is through, a cell still not seen did not run: it goes back into the prompt.
   */
  private checkLostCells(): void {
    this.replayEnd = null;
    const repl = this.repl;
    if (repl.ownCode.length === 0 || repl.state !== 'idle') return;
    const lost = repl.ownCode.splice(0);
    this.writer.lineStart();
    this.writer.output(noticeText('The connection dropped before the cell reached Python; it did not run (it is back in the prompt).'));
    repl.editor.set(lost.join('\n'));
    repl.toPrompt();
  }

  private banner(version: string | null, sessionId: string): void {
    if (this.bannerShown) return;
    this.bannerShown = true;
    const observer = this.repl.deps.role === 'observer';
    const lines = [
      `Python ${version ?? '(version unknown)'} · PyREPL3 session ${sessionId.slice(0, 8)}`,
      observer
        ? noticeText('Observing (read-only): you see everything this session runs, live.').trimEnd()
        : '\x1b[2mCtrl+Shift+P sessions · Ctrl+R history search · Ctrl+Shift+F find · Ctrl+D close\x1b[0m',
    ];
    this.writer.output(`${lines.join('\n')}\n`);
  }

  /** The session's state changed (status events, session_attached). */
  setState(state: SessionState): void {
    const repl = this.repl;
    repl.state = state;
    if (repl.mode === 'observer' || repl.mode === 'closed') return;
    if (state === 'dead') {
      if (repl.mode !== 'dead') {
        this.writer.lineStart();
        this.writer.output(noticeText('The Python process died. Press Enter to restart it (the namespace starts empty).'));
      }
      repl.mode = 'dead';
    } else if (state === 'closed') return this.closed('closed');
    else if (state === 'idle') {
      // Not while a cell we sent has yet to start: this idle is the end of the one before.
      if (repl.ownCode.length === 0 && !['prompt', 'search', 'confirm'].includes(repl.mode)) return repl.toPrompt();
    } else if (state === 'busy' && ['prompt', 'search', 'confirm', 'starting', 'dead'].includes(repl.mode)) {
      if (repl.search) repl.editor.set(repl.search.original.text);
      repl.search = null;
      repl.mode = 'busy';
    }
    repl.redraw();
  }

  /** The code waits in input(): the answer is typed inline after its prompt. */
  private startInput(request: InputRequest): void {
    const repl = this.repl;
    if (repl.mode === 'observer' || repl.mode === 'closed' || repl.inputRequest?.token === request.token) return;
    const nl = request.prompt.lastIndexOf('\n');
    if (nl >= 0) this.writer.output(request.prompt.slice(0, nl + 1));
    repl.inputRequest = { token: request.token, password: request.password, prompt: request.prompt.slice(nl + 1).replace(ANSI, '') };
    repl.search = null;
    repl.mode = 'input';
    repl.redraw();
    repl.releaseTypeAhead(); // a line typed ahead answers it
  }

  /** Someone else (another owner, a REST call) answered the input() this page shows: leave it as answered. */
  private inputAnsweredElsewhere(token: string, data: string | null): boolean {
    const repl = this.repl;
    if (repl.inputRequest?.token !== token) return false;
    const typed = repl.editor.text;
    repl.editor.set(data ?? '');
    const final = repl.region();
    repl.editor.set(typed);
    repl.inputRequest = null;
    repl.mode = 'busy';
    this.writer.commit(final);
    return true;
  }

  closed(reason: string): void {
    const repl = this.repl;
    if (repl.mode === 'closed') return;
    repl.mode = 'closed';
    repl.inputRequest = null;
    this.writer.lineStart();
    const more = repl.deps.role === 'owner' ? ' Press Enter to start a new session.' : '';
    this.writer.output(noticeText(`Session closed (${reason}).${more}`));
    repl.redraw();
  }
}
