/**
 * A session as the API sees it: the runtime Session plus its numbered event log, its attached clients (owners and
 * observers) and its own FIFO of executions. Executions run one at a time through here (each one an ExecutionRun),
 * so the log's order is the order things happened: execute_input, status busy, output…, input_request,
 * input_response, result, error, execute_reply, status idle.
 *
 * Flow control: the running execution holds back while an owner's socket is congested (execution-run.ts), so nothing
 * an owner asked for is dropped. Observers never hold anything back (they get output_dropped instead).
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { SessionSummary, UnsequencedEvent } from '../../protocol/api-messages.js';
import { PyreplError } from '../../protocol/errors.js';
import type { TransactionPolicy } from '../../protocol/worker-messages.js';
import type { ExecuteRequest } from '../session/execution.js';
import type { Session, SessionState } from '../session/session.js';
import { AttachedClients, type SessionClient } from './attached-clients.js';
import { EventLog, type EventLogLimits, type LoggedEvent } from './event-log.js';
import { ExecutionRecord, type ExecutionSource, type InputPlan } from './execution-record.js';
import { ExecutionRun, type RunContext } from './execution-run.js';
import { OutputBatcher } from './output-batcher.js';

export interface ApiSessionOptions {
  log: EventLogLimits;
  /** Output events arriving within this window are merged into one event (fewer frames, one seq). */
  outputFlushMs: number;
  /** A merged output event is sent at once when it reaches this size. */
  outputBatchBytes: number;
  maxQueued: number;
  /** While an owner is congested, look again after this long even if it did not say it drained (a backstop). */
  congestionRecheckMs: number;
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
  readonly clients: AttachedClients;
  private readonly queue: ExecutionRecord[] = [];
  private readonly queuedRequests = new Map<ExecutionRecord, RunRequest>();
  private run: ExecutionRun | null = null;
  private readonly output: OutputBatcher;
  private readonly runContext: RunContext;
  private closedReason: string | null = null;
  private closing: Promise<void> | null = null;
  /** Date.now() of the last thing a client or the code did here (a Date per touch cost more than the rest of it). */
  private lastActivity = Date.now();

  constructor(
    readonly session: Session,
    private readonly options: ApiSessionOptions,
    private readonly release: (session: Session) => Promise<void>,
  ) {
    super();
    this.id = session.id;
    this.log = new EventLog(session.id, options.log);
    this.clients = new AttachedClients(session.id, options.congestionRecheckMs);
    this.output = new OutputBatcher({ flushMs: options.outputFlushMs, batchChars: options.outputBatchBytes }, (event) => this.append(event));
    this.runContext = {
      session,
      output: this.output,
      append: (event) => this.append(event),
      flushClients: () => this.clients.flush(),
      ownersCongested: () => this.clients.ownersCongested(),
      ownersUncongested: () => this.clients.ownersUncongested(),
      exited: (code) => void this.close('exit', 4000, code),
    };
    session.on('event', (event) => {
      if (event.type === 'output' && event.execution_id === null) this.output.add(event);
    });
    session.on('state', (state) => this.onSessionState(state));
  }

  get state(): SessionState {
    return this.session.state;
  }

  get isClosed(): boolean {
    return this.closedReason !== null;
  }

  /** Why it closed (or is closing); null while open. */
  get closeReason(): string | null {
    return this.closedReason;
  }

  get queueLength(): number {
    return this.queue.length;
  }

  /** How many executions run before the one submitted last: the running one (if any) and those queued ahead of it. */
  get aheadOfNewest(): number {
    return Math.max(0, this.queue.length - 1) + (this.run ? 1 : 0);
  }

  get runningRecord(): ExecutionRecord | null {
    return this.run?.record ?? null;
  }

  get lastActivityAt(): Date {
    const sessionInfo = new Date(this.session.info().last_activity);
    return sessionInfo.getTime() > this.lastActivity ? sessionInfo : new Date(this.lastActivity);
  }

  summary(): SessionSummary {
    const info = this.session.info();
    return {
      session_id: this.id,
      state: info.state,
      created_at: info.created_at,
      last_activity: this.lastActivityAt.toISOString(),
      execution_count: info.execution_count,
      queue_length: this.queue.length,
      clients: this.clients.counts(),
      pending_input: this.run?.record.pendingInput ?? null,
      python_version: info.python_version,
      last_seq: this.log.lastSeq,
    };
  }

  attach(client: SessionClient): void {
    if (!this.clients.add(client)) return;
    this.touch();
    this.clients.announce(client); // the new client's own session_attached already says who is here
  }

  detach(client: SessionClient): void {
    if (!this.clients.delete(client)) return;
    this.touch();
    if (!this.closedReason) this.clients.announce(null); // closing: everyone is being disconnected anyway
  }

  /**
   * Queues an execution, or starts it at once when nothing runs; its events go to the log (and every client) as they
   * happen. `acknowledge` is called before any event of the execution is logged, with the number of executions that
   * run before it, so a client's acknowledgement precedes its execute_input.
   */
  submit(request: RunRequest, acknowledge?: (record: ExecutionRecord, ahead: number) => void): ExecutionRecord {
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
    this.touch();
    if (this.run || this.queue.length > 0) {
      this.queue.push(record);
      this.queuedRequests.set(record, request);
      acknowledge?.(record, this.aheadOfNewest);
    } else {
      this.start(record, request, acknowledge);
    }
    return record;
  }

  /** Answers the running execution's pending input request; the answer is logged for observers. */
  async answerInput(token: string, data: string): Promise<void> {
    this.assertOpen();
    const run = this.run;
    const pending = run?.record.pendingInput;
    if (!run || !pending || pending.token !== token) {
      throw new PyreplError('unknown_input_token', 'No pending input request of this session has that token.');
    }
    await run.deliverInput(token, data, pending.password ? null : data);
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

  /**
   * Closes for good: queued executions are aborted, clients told and disconnected, the worker ended. From the call on
   * the session counts as closed (isClosed); a second call waits for the same close.
   */
  close(reason: string, closeCode = 4000, exitCode?: number | string | null): Promise<void> {
    this.closing ??= this.closeNow(reason, closeCode, exitCode);
    return this.closing;
  }

  private async closeNow(reason: string, closeCode: number, exitCode: number | string | null | undefined): Promise<void> {
    this.closedReason = reason;
    this.abortQueued('SessionClosed', 'The session was closed before this execution ran.');
    this.output.flush();
    this.append({ type: 'session_closed', reason, ...(exitCode !== undefined ? { exit_code: exitCode } : {}) });
    this.clients.closeAll(closeCode, reason);
    await this.release(this.session);
    this.emit('closed', reason);
  }

  // ------------------------------------------------------------------------------------------------ internals

  /** Starts the next queued execution, if nothing runs. */
  private startNext(): void {
    if (this.run || this.closedReason) return;
    const record = this.queue.shift();
    if (!record) return;
    const request = this.queuedRequests.get(record)!;
    this.queuedRequests.delete(record);
    this.start(record, request);
  }

  /**
   * Hands the code to the worker first, so that the logging below overlaps the worker's own work: nothing the worker
   * answers can be read before this turn of the event loop ends, so execute_input still precedes the execution's events.
   */
  private start(record: ExecutionRecord, request: RunRequest, acknowledge?: (record: ExecutionRecord, ahead: number) => void): void {
    const run = new ExecutionRun(this.runContext, record);
    this.run = run;
    record.phase = 'running';
    let execution;
    let failure: PyreplError | null = null;
    try {
      const command: ExecuteRequest = { code: record.code, execution_id: record.executionId };
      if (request.transaction_policy) command.transaction_policy = request.transaction_policy;
      if (request.timeout_s !== undefined) command.timeout_ms = Math.round(request.timeout_s * 1000);
      execution = this.session.execute(command);
    } catch (err) {
      failure = err instanceof PyreplError ? err : new PyreplError('internal_error', String(err));
    }
    acknowledge?.(record, 0);
    this.append({ type: 'execute_input', execution_id: record.executionId, code: record.code, source: record.source });
    if (!execution) {
      const error = failure!;
      this.append({ type: 'error', execution_id: record.executionId, exception: error.code, message: error.message, traceback: '' });
      this.append({ type: 'execute_reply', execution_id: record.executionId, status: 'aborted', execution_count: 0, execution_time: 0 });
      record.finish('aborted', 0);
      this.run = null;
      this.startNext();
      return;
    }
    this.append({ type: 'status', state: 'busy', execution_id: record.executionId });
    run.consume(execution, () => this.finish());
  }

  private finish(): void {
    this.run = null;
    const state = this.session.state;
    if (state === 'idle' || state === 'busy') {
      if (this.queue.length === 0) this.append({ type: 'status', state: 'idle', execution_id: null });
    }
    this.clients.flush();
    this.startNext();
  }

  private append(event: UnsequencedEvent): LoggedEvent {
    const entry = this.log.append(event, this.clients.outputEncoding());
    this.clients.deliver(entry);
    this.emit('logged', entry);
    return entry;
  }

  private onSessionState(state: SessionState): void {
    this.touch();
    if (state === 'dead') {
      // The running execution's consumer logs its death; what waits behind it can never run.
      this.abortQueued('SessionDead', "The session's worker died before this execution ran.");
      queueMicrotask(() => {
        if (!this.run) this.append({ type: 'status', state: 'dead', execution_id: null });
      });
    } else if (state === 'closed' && !this.closedReason && !this.run) {
      // The worker ended the session with no execution running (one that runs closes it on its exit event, after its
      // execute_reply: RunContext.exited).
      void this.close('exit');
    } else if (state === 'idle' && !this.run && this.queue.length === 0) {
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

  private assertOpen(): void {
    if (this.closedReason) throw new PyreplError('session_closed', `Session ${this.id} is closed (${this.closedReason}).`);
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }
}
