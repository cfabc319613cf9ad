/**
 * What the API remembers of one execution: its outputs in order, result, error, pending input request and final
 * status. REST's synchronous execute waits for it; an async job is one of these kept for a while.
 */
import type { ExecuteResponse, PendingInput } from '../../protocol/api-messages.js';
import type { ErrorEvent, ResultEvent, Stream } from '../../protocol/worker-messages.js';

export type ExecutionSource = 'ws' | 'rest' | 'job';
export type ExecutionPhase = 'queued' | 'running' | 'waiting_input' | 'finished';

/** How input() requests of this execution are answered. */
export interface InputPlan {
  /** Lines answered in order. */
  lines: string[];
  /** When the lines run out: raise EOFError in user code, or wait for someone to answer (WS owner, job input). */
  whenExhausted: 'eof' | 'wait';
}

export class ExecutionRecord {
  readonly createdAt = new Date();
  finishedAt: Date | null = null;
  phase: ExecutionPhase = 'queued';
  readonly outputs: { stream: Stream; data: string }[] = [];
  stdout = '';
  stderr = '';
  result: ResultEvent | null = null;
  error: ErrorEvent | null = null;
  pendingInput: PendingInput | null = null;
  status: 'ok' | 'error' | 'aborted' | null = null;
  executionTime = 0;
  /** Set when the code ended the session with exit()/sys.exit(). */
  exitCode: number | string | null | undefined = undefined;
  /** Who waits for the end (REST, jobs); most executions (WebSocket ones) have nobody, and no promise is made. */
  private finishWaiters: (() => void)[] | null = null;

  constructor(
    readonly executionId: string,
    readonly code: string,
    readonly source: ExecutionSource,
    readonly input: InputPlan,
  ) {}

  /** The response, once finished (built only for the callers that wait for it: REST, jobs). */
  get done(): Promise<ExecuteResponse> {
    const finished =
      this.phase === 'finished' ? Promise.resolve() : new Promise<void>((resolve) => (this.finishWaiters ??= []).push(resolve));
    return finished.then(() => this.toResponse());
  }

  get isFinished(): boolean {
    return this.phase === 'finished';
  }

  /**
   * Output is kept for the callers that read it back (REST, jobs); a WebSocket execution's output lives in the session's
   * event log only, so a long stream does not pile up here too.
   */
  addOutput(stream: Stream, data: string): void {
    if (this.source === 'ws') return;
    const last = this.outputs[this.outputs.length - 1];
    if (last && last.stream === stream) last.data += data;
    else this.outputs.push({ stream, data });
    this[stream] += data;
  }

  finish(status: 'ok' | 'error' | 'aborted', executionTime: number): void {
    if (this.phase === 'finished') return;
    this.phase = 'finished';
    this.status = status;
    this.executionTime = executionTime;
    this.pendingInput = null;
    this.finishedAt = new Date();
    const waiters = this.finishWaiters;
    this.finishWaiters = null;
    if (waiters) for (const resolve of waiters) resolve();
  }

  toResponse(): ExecuteResponse {
    return {
      execution_id: this.executionId,
      status: this.status ?? 'aborted',
      outputs: this.outputs.map((o) => ({ ...o })),
      stdout: this.stdout,
      stderr: this.stderr,
      result: this.result
        ? {
            repr: this.result.repr,
            ...(this.result.value !== undefined ? { value: this.result.value } : {}),
            ...(this.result.execution_count !== undefined ? { execution_count: this.result.execution_count } : {}),
          }
        : null,
      error: this.error
        ? {
            exception: this.error.exception,
            message: this.error.message,
            traceback: this.error.traceback,
            ...(this.error.limit ? { limit: this.error.limit } : {}),
          }
        : null,
      execution_time: this.executionTime,
      ...(this.exitCode !== undefined ? { exit_code: this.exitCode } : {}),
    };
  }
}
