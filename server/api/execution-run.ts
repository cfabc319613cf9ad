/**
 * One execution as the API runs it: takes the runtime Execution's events in order, as they arrive, and logs them as the
 * session's API events (output through the batcher; result held back until execute_reply gives its time), answers
 * input() from the record's plan (REST stdin lines, then EOF or a wait for an owner), and, while an owner's socket is
 * congested, pauses the Execution until it drains: the Execution's buffer then fills, the Session stops reading the
 * worker, and the worker blocks in its write, so nothing an owner asked for is dropped.
 *
 * Events are taken in the call that delivers them (Execution.deliverTo), not by iterating: an async iteration cost a
 * promise and two microtask hops per event, which were a good part of a short execution's time in the server.
 */
import type { UnsequencedEvent } from '../../protocol/api-messages.js';
import type { ExecutionEvent, ResultEvent } from '../../protocol/worker-messages.js';
import type { Execution, ExecutionSink } from '../session/execution.js';
import type { Session } from '../session/session.js';
import type { ExecutionRecord } from './execution-record.js';
import type { OutputBatcher } from './output-batcher.js';

export interface RunContext {
  readonly session: Session;
  readonly output: OutputBatcher;
  append(event: UnsequencedEvent): void;
  /** The execution waits (for input): what the clients hold back can go now. */
  flushClients(): void;
  ownersCongested(): boolean;
  /** Resolves when an owner that was congested can take more (the caller looks at ownersCongested() again). */
  ownersUncongested(): Promise<void>;
  /** The code ended the session with exit(): close it (before its record finishes, so no caller sees it open). */
  exited(code: number | string | null): void;
}

export class ExecutionRun implements ExecutionSink {
  /** The result, held back until execute_reply gives its time. */
  private stashedResult: ResultEvent | null = null;
  private execution: Execution | null = null;
  private onEnd: (() => void) | null = null;

  constructor(
    private readonly ctx: RunContext,
    readonly record: ExecutionRecord,
  ) {}

  /**
   * Logs the execution's events until it ends; the record is finished by then, whatever happened. `onEnd` is called
   * in a microtask after the end, once the session has settled the state the end left it in (idle, dead, closed).
   */
  consume(execution: Execution, onEnd: () => void): void {
    this.execution = execution;
    this.onEnd = onEnd;
    if (this.ctx.ownersCongested()) this.holdBack(execution);
    execution.deliverTo(this);
  }

  event(event: ExecutionEvent): void {
    this.stashedResult = this.onEvent(event, this.stashedResult);
    if (this.execution && this.ctx.ownersCongested()) this.holdBack(this.execution);
  }

  end(): void {
    const { ctx, record } = this;
    ctx.output.flush();
    if (this.stashedResult) this.appendResult(this.stashedResult, 0);
    this.stashedResult = null;
    if (!record.isFinished) record.finish('error', 0);
    const onEnd = this.onEnd;
    this.onEnd = null;
    if (onEnd) queueMicrotask(onEnd);
  }

  /** No next event until every owner can take more. */
  private holdBack(execution: Execution): void {
    execution.pause();
    void this.resumeWhenUncongested(execution);
  }

  private async resumeWhenUncongested(execution: Execution): Promise<void> {
    while (this.ctx.ownersCongested()) await this.ctx.ownersUncongested();
    execution.resume();
  }

  /**
   * Sends the answer, then logs it for observers: nothing the worker does after reading it can reach us before this
   * turn of the event loop ends, so the echo still precedes whatever the code prints next, and the worker starts on
   * the answer while we log. `data` null cancels the request (EOFError in user code).
   */
  async deliverInput(token: string, data: string | null, echo: string | null): Promise<void> {
    const { ctx, record } = this;
    const delivered = ctx.session.answerInput(token, data);
    record.pendingInput = null;
    record.phase = 'running';
    ctx.append({ type: 'input_response', execution_id: record.executionId, token, data: echo });
    ctx.append({ type: 'status', state: 'busy', execution_id: record.executionId });
    await delivered;
  }

  /** Handles one event; returns the result held back until execute_reply gives its time. */
  private onEvent(event: ExecutionEvent, stashed: ResultEvent | null): ResultEvent | null {
    const { ctx, record } = this;
    switch (event.type) {
      case 'output':
        record.addOutput(event.stream, event.data);
        ctx.output.add(event);
        return stashed;
      case 'input_request': {
        ctx.output.flush();
        const pending = { execution_id: event.execution_id, token: event.token, prompt: event.prompt, password: event.password };
        // The REST view reads like Python reading a pipe: input() wrote its prompt to stdout (getpass() to stderr), and
        // the answer is not echoed. WebSocket clients get the prompt in input_request and show it themselves.
        if (event.prompt) record.addOutput(event.password ? 'stderr' : 'stdout', event.prompt);
        record.pendingInput = pending;
        record.phase = 'waiting_input';
        ctx.append({ type: 'input_request', ...pending });
        ctx.append({ type: 'status', state: 'waiting_input', execution_id: record.executionId });
        this.autoAnswer(event.token, event.password);
        ctx.flushClients();
        return stashed;
      }
      case 'result':
        ctx.output.flush();
        record.result = event;
        return event;
      case 'error':
        ctx.output.flush();
        record.error = event;
        ctx.append({
          type: 'error',
          execution_id: event.execution_id,
          exception: event.exception,
          message: event.message,
          traceback: event.traceback,
          ...(event.limit ? { limit: event.limit } : {}),
        });
        return stashed;
      case 'execute_reply':
        ctx.output.flush();
        if (stashed) this.appendResult(stashed, event.execution_time);
        ctx.append({
          type: 'execute_reply',
          execution_id: event.execution_id,
          status: event.status,
          execution_count: event.execution_count,
          execution_time: event.execution_time,
        });
        record.finish(event.status, event.execution_time);
        return null;
      case 'exit': {
        // exit()/sys.exit(): the execution is over like any other (execute_reply, with the code it exited with), and
        // the session closes right after it.
        ctx.output.flush();
        if (stashed) this.appendResult(stashed, 0);
        record.exitCode = event.code;
        const count = ctx.session.info().execution_count + 1; // the worker counted this cell; no reply told us
        ctx.append({
          type: 'execute_reply',
          execution_id: record.executionId,
          status: 'ok',
          execution_count: count,
          execution_time: 0,
          exit_code: event.code,
        });
        ctx.exited(event.code);
        record.finish('ok', 0);
        return null;
      }
    }
  }

  /** REST stdin lines answer input() in order; then EOF (synchronous REST) or wait (jobs, WebSocket). */
  private autoAnswer(token: string, password: boolean): void {
    const { record } = this;
    const line = record.input.lines.shift();
    const answer =
      line !== undefined
        ? this.deliverInput(token, line, password ? null : line)
        : record.input.whenExhausted === 'eof'
          ? this.deliverInput(token, null, null)
          : null;
    // A failure means the execution ended meanwhile (interrupt, death): there is nothing left to answer.
    answer?.catch(() => undefined);
  }

  private appendResult(result: ResultEvent, executionTime: number): void {
    const event: UnsequencedEvent & { type: 'result' } = {
      type: 'result',
      execution_id: result.execution_id,
      repr: result.repr,
    };
    if (result.value !== undefined) event.value = result.value;
    if (result.execution_count !== undefined) event.execution_count = result.execution_count;
    event.execution_time = executionTime;
    this.ctx.append(event);
  }
}
