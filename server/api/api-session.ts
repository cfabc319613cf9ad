/**
 * A session as the API sees it: the runtime Session plus its numbered event log, its attached clients (owners and
 * observers) and its own FIFO of executions. Executions run one at a time through here, so the log's order is the
 * order things happened: execute_input, status busy, output…, input_request, input_response, result, error,
 * execute_reply, status idle.
 *
 * Flow control: before taking the next event of the running execution, wait while an owner's socket is congested.
 * The execution's buffer then fills, the Session stops reading the worker, and the worker blocks in its write: nothing
 * an owner asked for is dropped. Observers never hold anything back (they get output_dropped instead).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { Role, SessionSummary, UnsequencedEvent } from '../../protocol/api-messages.js';
import { PyreplError } from '../../protocol/errors.js';
import type { ExecutionEvent, OutputEvent, ResultEvent, Stream, TransactionPolicy } from '../../protocol/worker-messages.js';
import type { Session, SessionState } from '../session/session.js';
import { EventLog, type EventLogLimits, type LoggedEvent } from './event-log.js';
import { ExecutionRecord, type ExecutionSource, type InputPlan } from './execution-record.js';

/** One attached client, as the session sees it (a WebSocket connection in practice). */
export interface SessionClient {
  readonly role: Role;
  deliver(entry: LoggedEvent): void;
  /** True while this client cannot take more right now (its socket buffer is above the high watermark). */
  congested(): boolean;
  close(code: number, reason: string): void;
}

export interface ApiSessionOptions {
  log: EventLogLimits;
  /** Output events arriving within this window are merged into one event (fewer frames, one seq). */
  outputFlushMs: number;
  /** A merged output event is sent at once when it reaches this size. */
  outputBatchBytes: number;
  maxQueued: number;
  /** While an owner is congested, how often to look again. */
  congestionPollMs: number;
}

export interface RunRequest {
  code: string;
  source: ExecutionSource;
  input: InputPlan;
  transaction_policy?: TransactionPolicy;
  timeout_s?: number;
}

interface ApiSessionEvents {
  closed: [string];
  logged: [LoggedEvent];
}

export class ApiSession extends EventEmitter<ApiSessionEvents> {
  readonly id: string;
  readonly log: EventLog;
  readonly clients = new Set<SessionClient>();
  private readonly queue: ExecutionRecord[] = [];
  private readonly queuedRequests = new Map<ExecutionRecord, RunRequest>();
  private running: ExecutionRecord | null = null;
  private pendingOutput: { executionId: string | null; stream: Stream; parts: string[]; size: number } | null = null;
  private flushTimer: NodeJS.Timeout | null = null;
  private closedReason: string | null = null;
  private lastActivity = new Date();

  constructor(
    readonly session: Session,
    private readonly options: ApiSessionOptions,
    private readonly release: (session: Session) => Promise<void>,
  ) {
    super();
    this.id = session.id;
    this.log = new EventLog(session.id, options.log);
    session.on('event', (event) => {
      if (event.type === 'output' && event.execution_id === null) this.addOutput(event);
    });
    session.on('state', (state) => this.onSessionState(state));
  }

  get state(): SessionState {
    return this.session.state;
  }

  get isClosed(): boolean {
    return this.closedReason !== null;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  get runningRecord(): ExecutionRecord | null {
    return this.running;
  }

  get lastActivityAt(): Date {
    const sessionInfo = new Date(this.session.info().last_activity);
    return sessionInfo > this.lastActivity ? sessionInfo : this.lastActivity;
  }

  summary(): SessionSummary {
    const info = this.session.info();
    let owners = 0;
    for (const c of this.clients) if (c.role === 'owner') owners += 1;
    return {
      session_id: this.id,
      state: info.state,
      created_at: info.created_at,
      last_activity: this.lastActivityAt.toISOString(),
      execution_count: info.execution_count,
      queue_length: this.queue.length,
      clients: { owners, observers: this.clients.size - owners },
      pending_input: this.running?.pendingInput ?? null,
      python_version: info.python_version,
      last_seq: this.log.lastSeq,
    };
  }

  attach(client: SessionClient): void {
    this.clients.add(client);
    this.touch();
  }

  detach(client: SessionClient): void {
    this.clients.delete(client);
    this.touch();
  }

  /** Queues code; its events go to the log (and every client) as they happen. */
  submit(request: RunRequest): ExecutionRecord {
    this.assertOpen();
    if (this.session.state === 'dead') {
      throw new PyreplError('session_dead', `Session ${this.id}'s worker has died; restart it or create a new session.`);
    }
    if (this.queue.length >= this.options.maxQueued) {
      throw new PyreplError('queue_full', `Session ${this.id} already has ${this.queue.length} executions queued.`, {
        max_queued: this.options.maxQueued,
      });
    }
    const record = new ExecutionRecord(randomUUID(), request.code, request.source, {
      lines: [...request.input.lines],
      whenExhausted: request.input.whenExhausted,
    });
    this.queue.push(record);
    this.queuedRequests.set(record, request);
    this.touch();
    // On the next microtask, so the caller can acknowledge the submission before the execution's first event.
    queueMicrotask(() => void this.pump());
    return record;
  }

  /** Answers the running execution's pending input request; the answer is logged for observers. */
  async answerInput(token: string, data: string): Promise<void> {
    this.assertOpen();
    const record = this.running;
    const pending = record?.pendingInput;
    if (!record || !pending || pending.token !== token) {
      throw new PyreplError('unknown_input_token', 'No pending input request of this session has that token.');
    }
    await this.deliverInput(record, token, data, pending.password ? null : data);
  }

  interrupt(): boolean {
    this.assertOpen();
    this.touch();
    return this.session.interrupt();
  }

  async restart(): Promise<void> {
    this.assertOpen();
    this.abortQueued('SessionRestarted', 'The session was restarted before this execution ran.');
    await this.session.restart();
  }

  /** Closes for good: queued executions are aborted, clients told and disconnected, the worker ended. */
  async close(reason: string, closeCode = 4000): Promise<void> {
    if (this.closedReason) return;
    this.closedReason = reason;
    this.abortQueued('SessionClosed', 'The session was closed before this execution ran.');
    this.flushOutput();
    this.append({ type: 'session_closed', reason });
    for (const client of this.clients) client.close(closeCode, reason);
    this.clients.clear();
    await this.release(this.session);
    this.emit('closed', reason);
  }

  // ------------------------------------------------------------------------------------------------ internals

  private async pump(): Promise<void> {
    if (this.running || this.closedReason) return;
    const record = this.queue.shift();
    if (!record) return;
    const request = this.queuedRequests.get(record)!;
    this.queuedRequests.delete(record);
    this.running = record;
    record.phase = 'running';
    this.append({ type: 'execute_input', execution_id: record.executionId, code: record.code, source: record.source });
    let execution;
    try {
      execution = this.session.execute({
        code: record.code,
        execution_id: record.executionId,
        ...(request.transaction_policy ? { transaction_policy: request.transaction_policy } : {}),
        ...(request.timeout_s !== undefined ? { timeout_ms: Math.round(request.timeout_s * 1000) } : {}),
      });
    } catch (err) {
      const error = err instanceof PyreplError ? err : new PyreplError('internal_error', String(err));
      this.append({ type: 'error', execution_id: record.executionId, exception: error.code, message: error.message, traceback: '' });
      this.append({ type: 'execute_reply', execution_id: record.executionId, status: 'aborted', execution_count: 0, execution_time: 0 });
      record.finish('aborted', 0);
      this.running = null;
      void this.pump();
      return;
    }
    this.append({ type: 'status', state: 'busy', execution_id: record.executionId });
    let stashedResult: ResultEvent | null = null;
    for await (const event of execution) {
      while (this.ownersCongested()) await sleep(this.options.congestionPollMs);
      stashedResult = this.onExecutionEvent(record, event, stashedResult);
    }
    this.flushOutput();
    if (stashedResult) this.appendResult(stashedResult, 0);
    if (!record.isFinished) record.finish('error', 0);
    this.running = null;
    const state = this.session.state;
    if (state === 'idle' || state === 'busy') {
      if (this.queue.length === 0) this.append({ type: 'status', state: 'idle', execution_id: null });
    }
    void this.pump();
  }

  /** Handles one event of the running execution; returns the result held back until execute_reply gives its time. */
  private onExecutionEvent(record: ExecutionRecord, event: ExecutionEvent, stashed: ResultEvent | null): ResultEvent | null {
    switch (event.type) {
      case 'output':
        record.addOutput(event.stream, event.data);
        this.addOutput(event);
        return stashed;
      case 'input_request': {
        this.flushOutput();
        const pending = { execution_id: event.execution_id, token: event.token, prompt: event.prompt, password: event.password };
        record.pendingInput = pending;
        record.phase = 'waiting_input';
        this.append({ type: 'input_request', ...pending });
        this.append({ type: 'status', state: 'waiting_input', execution_id: record.executionId });
        this.autoAnswer(record, event.token, event.password);
        return stashed;
      }
      case 'result':
        this.flushOutput();
        record.result = event;
        return event;
      case 'error':
        this.flushOutput();
        record.error = event;
        this.append({
          type: 'error',
          execution_id: event.execution_id,
          exception: event.exception,
          message: event.message,
          traceback: event.traceback,
          ...(event.limit ? { limit: event.limit } : {}),
        });
        return stashed;
      case 'execute_reply':
        this.flushOutput();
        if (stashed) this.appendResult(stashed, event.execution_time);
        this.append({
          type: 'execute_reply',
          execution_id: event.execution_id,
          status: event.status,
          execution_count: event.execution_count,
          execution_time: event.execution_time,
        });
        record.finish(event.status, event.execution_time);
        return null;
      case 'exit':
        this.flushOutput();
        if (stashed) this.appendResult(stashed, 0);
        record.finish('ok', 0);
        return null;
    }
  }

  /** REST stdin lines answer input() in order; then EOF (synchronous REST) or wait (jobs, WebSocket). */
  private autoAnswer(record: ExecutionRecord, token: string, password: boolean): void {
    const line = record.input.lines.shift();
    const answer =
      line !== undefined
        ? this.deliverInput(record, token, line, password ? null : line)
        : record.input.whenExhausted === 'eof'
          ? this.deliverInput(record, token, null, null)
          : null;
    // A failure means the execution ended meanwhile (interrupt, death): there is nothing left to answer.
    answer?.catch(() => undefined);
  }

  /**
   * Logs the answer (for observers) before sending it, so it precedes whatever the code prints next; `data` null
   * cancels the request (EOFError in user code).
   */
  private async deliverInput(record: ExecutionRecord, token: string, data: string | null, echo: string | null): Promise<void> {
    record.pendingInput = null;
    record.phase = 'running';
    this.append({ type: 'input_response', execution_id: record.executionId, token, data: echo });
    this.append({ type: 'status', state: 'busy', execution_id: record.executionId });
    if (data === null) await this.session.cancelInput(token);
    else await this.session.sendInput(token, data);
  }

  private appendResult(result: ResultEvent, executionTime: number): void {
    this.append({
      type: 'result',
      execution_id: result.execution_id,
      repr: result.repr,
      ...(result.value !== undefined ? { value: result.value } : {}),
      ...(result.execution_count !== undefined ? { execution_count: result.execution_count } : {}),
      execution_time: executionTime,
    });
  }

  private addOutput(event: OutputEvent): void {
    const pending = this.pendingOutput;
    if (pending && (pending.executionId !== event.execution_id || pending.stream !== event.stream)) this.flushOutput();
    if (!this.pendingOutput) {
      this.pendingOutput = { executionId: event.execution_id, stream: event.stream, parts: [], size: 0 };
      this.flushTimer = setTimeout(() => this.flushOutput(), this.options.outputFlushMs);
    }
    const current = this.pendingOutput!;
    current.parts.push(event.data);
    current.size += event.data.length;
    if (current.size >= this.options.outputBatchBytes) this.flushOutput();
  }

  private flushOutput(): void {
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.flushTimer = null;
    const pending = this.pendingOutput;
    if (!pending) return;
    this.pendingOutput = null;
    this.append({ type: 'output', execution_id: pending.executionId, stream: pending.stream, data: pending.parts.join('') });
  }

  private append(event: UnsequencedEvent): LoggedEvent {
    const entry = this.log.append(event);
    for (const client of this.clients) client.deliver(entry);
    this.emit('logged', entry);
    return entry;
  }

  private onSessionState(state: SessionState): void {
    this.touch();
    if (state === 'dead') {
      // The running execution's consumer logs its death; what waits behind it can never run.
      this.abortQueued('SessionDead', "The session's worker died before this execution ran.");
      queueMicrotask(() => {
        if (!this.running) this.append({ type: 'status', state: 'dead', execution_id: null });
      });
    } else if (state === 'closed' && !this.closedReason) {
      // exit() in user code: the session ended itself.
      void this.close('exit');
    } else if (state === 'idle' && !this.running && this.queue.length === 0) {
      // After a restart.
      this.append({ type: 'status', state: 'idle', execution_id: null });
    }
  }

  private abortQueued(exception: string, message: string): void {
    for (const record of this.queue.splice(0)) {
      this.queuedRequests.delete(record);
      this.append({ type: 'error', execution_id: record.executionId, exception, message, traceback: '' });
      this.append({ type: 'execute_reply', execution_id: record.executionId, status: 'aborted', execution_count: 0, execution_time: 0 });
      record.error = { type: 'error', execution_id: record.executionId, exception, message, traceback: '' };
      record.finish('aborted', 0);
    }
  }

  private ownersCongested(): boolean {
    for (const client of this.clients) if (client.role === 'owner' && client.congested()) return true;
    return false;
  }

  private assertOpen(): void {
    if (this.closedReason) throw new PyreplError('session_closed', `Session ${this.id} is closed (${this.closedReason}).`);
  }

  private touch(): void {
    this.lastActivity = new Date();
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
