/**
 * A persistent Python session: one worker process, a FIFO of executions (a new one never cancels the running one),
 * input routing by token, interrupts with a kill after the grace period, and a state machine:
 *
 *   starting → idle ⇄ busy ⇄ waiting_input;  any → dead (worker died) ;  any → closed (close() or exit())
 *
 * Death of the worker is final for the running execution (it ends with an error saying how the worker died) and the
 * queued ones (aborted); `restart()` brings the session back with a fresh namespace.
 */
import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { PyreplError } from '../../protocol/errors.js';
import type {
  ErrorEvent,
  ExecutionEvent,
  IsCompleteReplyEvent,
  CompleteReplyEvent,
  NamespaceVariable,
  OutputEvent,
  ReadyEvent,
  WorkerEvent,
} from '../../protocol/worker-messages.js';
import { Execution, type ExecuteRequest } from './execution.js';
import { describeExit, workerStartError, WorkerProcess, type WorkerExit } from './worker-process.js';
import { ExecutionTimers } from './execution-timers.js';
import { FlowControl } from './flow-control.js';
import { PendingRequests } from './pending-requests.js';
import { resolveSessionOptions, type ResolvedSessionOptions, type SessionOptions } from './session-options.js';

export type SessionState = 'starting' | 'idle' | 'busy' | 'waiting_input' | 'dead' | 'closed';

export interface PendingInput {
  execution_id: string;
  token: string;
  prompt: string;
  password: boolean;
}

export interface SessionInfo {
  session_id: string;
  state: SessionState;
  created_at: string;
  last_activity: string;
  execution_count: number;
  queue_length: number;
  pending_input: PendingInput | null;
  pid: number | null;
  python_version: string | null;
  python: string;
}

interface SessionEvents {
  /** Every execution event as it arrives, plus output written between executions (execution_id null). */
  event: [ExecutionEvent | OutputEvent];
  state: [SessionState, SessionState];
}

export class Session extends EventEmitter<SessionEvents> {
  readonly id: string;
  readonly createdAt = new Date();
  /** Date.now() of the last activity; a number, since every event touches it and only info() needs a Date. */
  private lastActivity = Date.now();
  private _state: SessionState = 'starting';
  private readonly options: ResolvedSessionOptions;
  private worker: WorkerProcess | null = null;
  private ready: ReadyEvent | null = null;
  private running: Execution | null = null;
  private readonly queue: Execution[] = [];
  private pendingInput: PendingInput | null = null;
  private readonly requests = new PendingRequests();
  private executionCount = 0;
  private readonly timers: ExecutionTimers;
  private readonly flow: FlowControl;
  private userExited = false;

  private constructor(options: ResolvedSessionOptions) {
    super();
    this.id = options.sessionId ?? randomUUID();
    this.options = options;
    this.timers = new ExecutionTimers(options.interruptGraceMs);
    // One count for the session's life: events buffered before a restart are still consumed after it.
    this.flow = new FlowControl(options.highWatermarkBytes, options.lowWatermarkBytes, {
      pause: () => this.worker?.pause(),
      resume: () => this.worker?.resume(),
    });
  }

  /** Starts a session and resolves once its worker is ready (worker_start_failed / python_not_found otherwise). */
  static async create(options: SessionOptions = {}): Promise<Session> {
    const session = new Session(await resolveSessionOptions(options));
    await session.startWorker();
    return session;
  }

  get state(): SessionState {
    return this._state;
  }

  /** Event bytes received from the worker and not yet consumed by the execution's reader (flow control). */
  get bufferedBytes(): number {
    return this.flow.bufferedBytes;
  }

  get pid(): number | null {
    return this.worker?.pid ?? null;
  }

  info(): SessionInfo {
    return {
      session_id: this.id,
      state: this._state,
      created_at: this.createdAt.toISOString(),
      last_activity: new Date(this.lastActivity).toISOString(),
      execution_count: this.executionCount,
      queue_length: this.queue.length,
      pending_input: this.pendingInput,
      pid: this.pid,
      python_version: this.ready?.python_version ?? null,
      python: this.options.python,
    };
  }

  /**
   * Queues code to run and returns its events. Throws session_dead / session_closed / queue_full at once, so nothing
   * is queued on a session that cannot run it.
   */
  execute(request: ExecuteRequest): Execution {
    this.assertUsable();
    if (this.queue.length >= this.options.maxQueuedExecutions) {
      throw new PyreplError('queue_full', `Session ${this.id} already has ${this.queue.length} executions queued.`, {
        max_queued: this.options.maxQueuedExecutions,
      });
    }
    const execution = new Execution(request.execution_id ?? randomUUID(), request, (delta) => this.onBuffered(delta));
    this.queue.push(execution);
    this.touch();
    this.pump();
    return execution;
  }

  /** Answers the pending input request; refused (unknown_input_token) unless `token` is the pending one. */
  async sendInput(token: string, data: string): Promise<void> {
    await this.answerInput(token, { type: 'input_response', token, data });
  }

  /** Cancels the pending input request: user code gets EOFError. */
  async cancelInput(token: string): Promise<void> {
    await this.answerInput(token, { type: 'input_cancel', token });
  }

  private async answerInput(
    token: string,
    command: { type: 'input_response'; token: string; data: string } | { type: 'input_cancel'; token: string },
  ): Promise<void> {
    this.assertUsable();
    if (!this.pendingInput || this.pendingInput.token !== token) {
      throw new PyreplError('unknown_input_token', 'No pending input request of this session has that token.');
    }
    const delivered = this.request({ ...command, request_id: randomUUID() });
    this.touch();
    // Answered as of now: the worker takes the first response with this token and refuses any later one, and a
    // token it refuses was not pending there either. Waiting for its ack here would keep the session
    // waiting_input for a round trip after the code has moved on (and the worker sends that ack along with the
    // code's next event). A second answer with this token is now refused here, without a round trip.
    this.pendingInput = null;
    if (this._state === 'waiting_input') this.setState('busy');
    await delivered;
  }

  /** Interrupts the running execution (KeyboardInterrupt); kills the worker if it does not stop within the grace. */
  interrupt(): boolean {
    const running = this.running;
    if (!running || !this.worker) return false;
    this.timers.interrupt('user', this.timerActions(running, this.worker));
    return true;
  }

  async complete(code: string, cursor: number = code.length): Promise<Omit<CompleteReplyEvent, 'type' | 'request_id'>> {
    const reply = (await this.request({ type: 'complete', request_id: randomUUID(), code, cursor })) as CompleteReplyEvent;
    return { matches: reply.matches, cursor_start: reply.cursor_start, cursor_end: reply.cursor_end };
  }

  async isComplete(code: string): Promise<Omit<IsCompleteReplyEvent, 'type' | 'request_id'>> {
    const reply = (await this.request({ type: 'is_complete', request_id: randomUUID(), code })) as IsCompleteReplyEvent;
    return { status: reply.status, indent: reply.indent };
  }

  async inspect(maxRepr?: number): Promise<NamespaceVariable[]> {
    const reply = await this.request({
      type: 'inspect',
      request_id: randomUUID(),
      ...(maxRepr ? { max_repr: maxRepr } : {}),
    });
    return reply.type === 'inspect_reply' ? reply.variables : [];
  }

  /** True when the worker's command thread answered within the timeout. */
  async heartbeat(timeoutMs?: number): Promise<boolean> {
    if (this._state === 'dead' || this._state === 'closed' || !this.worker) return false;
    try {
      await this.request({ type: 'heartbeat', request_id: randomUUID() }, timeoutMs);
      return true;
    } catch {
      return false;
    }
  }

  /** Ends the worker (running and queued executions are aborted) and starts a fresh one: same id, empty namespace. */
  async restart(): Promise<void> {
    if (this._state === 'closed') throw new PyreplError('session_closed', `Session ${this.id} is closed.`);
    const old = this.worker;
    this.worker = null;
    this.abortAll('SessionRestarted', 'The session was restarted before this execution finished.');
    this.setState('starting');
    if (old) await old.shutdown(this.options.shutdownGraces);
    this.executionCount = 0;
    await this.startWorker();
  }

  /** Closes the session for good: executions are aborted and the worker shut down (shutdown → SIGTERM → SIGKILL). */
  async close(): Promise<WorkerExit | null> {
    if (this._state === 'closed' && !this.worker) return null;
    const worker = this.worker;
    this.abortAll('SessionClosed', 'The session was closed before this execution finished.');
    this.setState('closed');
    if (!worker) return null;
    return worker.shutdown(this.options.shutdownGraces);
  }

  // ------------------------------------------------------------------------------------------------ internals

  private async startWorker(): Promise<void> {
    const worker = new WorkerProcess({
      python: this.options.python,
      runtimeDir: this.options.runtimeDir,
      env: this.options.env,
      cwd: this.options.cwd,
      memoryLimitMb: this.options.memoryLimitMb,
      argsOverride: this.options.workerArgsOverride,
    });
    this.worker = worker;
    this.ready = null;
    this.userExited = false;
    worker.on('event', (event) => {
      if (this.worker === worker) this.onWorkerEvent(event);
    });
    const ready = await new Promise<ReadyEvent>((resolve, reject) => {
      const timer = setTimeout(() => {
        worker.kill(`not ready within ${this.options.startTimeoutMs} ms`);
      }, this.options.startTimeoutMs);
      const onEvent = (event: WorkerEvent): void => {
        if (event.type !== 'ready') return;
        clearTimeout(timer);
        worker.off('event', onEvent);
        resolve(event);
      };
      worker.on('event', onEvent);
      worker.once('exit', (exit) => {
        clearTimeout(timer);
        if (this.worker === worker) this.onWorkerExit(exit);
        reject(workerStartError(exit));
      });
    });
    if (this.worker !== worker) return; // closed or restarted while starting
    this.ready = ready;
    this.setState('idle');
    this.pump();
  }

  private onWorkerEvent(event: WorkerEvent): void {
    switch (event.type) {
      case 'output':
      case 'input_request':
      case 'result':
      case 'error':
      case 'execute_reply':
      case 'exit':
        this.onExecutionEvent(event);
        return;
      case 'complete_reply':
      case 'is_complete_reply':
      case 'inspect_reply':
      case 'heartbeat_reply':
      case 'ack':
        this.requests.resolve(event.request_id, event);
        return;
      case 'request_error':
        this.requests.reject(event.request_id, requestError(event.code, event.message));
        return;
      case 'ready':
      case 'log':
        return;
    }
  }

  private onExecutionEvent(event: ExecutionEvent): void {
    this.touch();
    const running = this.running;
    const mine = running !== null && event.execution_id === running.executionId;
    if (event.type === 'output' && !mine) {
      // Written between executions (a background thread, a leftover subprocess): the session's, not a caller's.
      this.emit('event', { ...event, execution_id: null });
      return;
    }
    if (!mine || !running) return; // a late event of an execution that was already ended here
    this.emit('event', event);
    running.push(event);
    if (event.type === 'input_request') {
      this.pendingInput = {
        execution_id: event.execution_id,
        token: event.token,
        prompt: event.prompt,
        password: event.password,
      };
      this.setState('waiting_input');
    } else if (event.type === 'execute_reply') {
      this.executionCount = event.execution_count;
      this.finishRunning();
      this.setState('idle');
      this.pump();
    } else if (event.type === 'exit') {
      this.userExited = true;
      running.end(syntheticReply(running, 'ok', this.executionCount));
      this.finishRunning();
    }
  }

  private onWorkerExit(exit: WorkerExit): void {
    this.worker = null;
    this.timers.clear();
    this.requests.rejectAll(new PyreplError('session_dead', `Session ${this.id}: ${describeExit(exit)}.`));
    if (this.userExited || this._state === 'closed') {
      this.abortAll('SessionClosed', 'The session ended (exit() was called) before this execution ran.');
      this.setState('closed');
      return;
    }
    const running = this.running;
    if (running) {
      const diagnostics = exit.diagnostics.trim();
      const error: ErrorEvent = {
        type: 'error',
        execution_id: running.executionId,
        exception: exit.cause ? 'WorkerKilled' : 'WorkerDied',
        message: `${describeExit(exit)}${diagnostics ? `\n${diagnostics.split('\n').slice(-10).join('\n')}` : ''}`,
        traceback: '',
        exit_code: exit.code,
        signal: exit.signal,
      };
      this.emit('event', error);
      running.push(error);
      const reply = syntheticReply(running, 'error', this.executionCount);
      this.emit('event', reply);
      running.push(reply);
      this.finishRunning();
    }
    this.abortAll('SessionDead', `The session's worker died before this execution ran: ${describeExit(exit)}.`);
    this.setState('dead');
  }

  private pump(): void {
    if (this.running || this._state !== 'idle' || !this.worker) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    // Sent before the state change, whose listeners (the API layer's) then run while the worker already works.
    this.worker.send({
      type: 'execute',
      execution_id: next.executionId,
      code: next.request.code,
      transaction_policy: next.request.transaction_policy ?? 'commit_always',
      output_limit: next.request.output_limit === undefined ? this.options.outputLimitBytes : next.request.output_limit,
    });
    this.setState('busy');
    const timeoutMs = next.request.timeout_ms ?? this.options.defaultTimeoutMs;
    if (timeoutMs) this.timers.startTimeout(timeoutMs, this.timerActions(next, this.worker));
  }

  /** What the timers do, bound to this execution on this worker (a no-op once either has moved on). */
  private timerActions(execution: Execution, worker: WorkerProcess) {
    const current = () => this.running === execution && this.worker === worker;
    return {
      interrupt: (reason: 'user' | 'timeout') => {
        if (current()) worker.send({ type: 'interrupt', execution_id: execution.executionId, reason });
      },
      kill: (reason: string) => {
        if (current()) worker.kill(reason);
      },
    };
  }

  private finishRunning(): void {
    this.running = null;
    this.pendingInput = null;
    this.timers.clear();
  }

  /** Ends the running execution (error) and every queued one (aborted); used by close, restart and death. */
  private abortAll(exception: string, message: string): void {
    const running = this.running;
    if (running) {
      const error: ErrorEvent = { type: 'error', execution_id: running.executionId, exception, message, traceback: '' };
      running.push(error);
      running.push(syntheticReply(running, 'error', this.executionCount));
      this.finishRunning();
    }
    for (const queued of this.queue.splice(0)) {
      queued.push({ type: 'error', execution_id: queued.executionId, exception, message, traceback: '' });
      queued.push(syntheticReply(queued, 'aborted', this.executionCount));
    }
    this.requests.rejectAll(new PyreplError('session_closed', message));
  }

  private async request(command: Parameters<WorkerProcess['send']>[0] & { request_id: string }, timeoutMs?: number) {
    this.assertUsable();
    const worker = this.worker;
    if (!worker) throw new PyreplError('session_dead', `Session ${this.id} has no running worker.`);
    // Sent first: its reply cannot arrive before this returns to the event loop, and the bookkeeping below then
    // overlaps with the worker's work instead of delaying it.
    worker.send(command);
    return this.requests.add(command.request_id, timeoutMs ?? this.options.requestTimeoutMs, command.type);
  }

  private onBuffered(delta: number): void {
    this.flow.add(delta);
  }

  private assertUsable(): void {
    if (this._state === 'dead') {
      throw new PyreplError('session_dead', `Session ${this.id}'s worker has died; restart it or create a new session.`);
    }
    if (this._state === 'closed') throw new PyreplError('session_closed', `Session ${this.id} is closed.`);
  }

  private setState(next: SessionState): void {
    const prev = this._state;
    if (prev === next) return;
    this._state = next;
    this.emit('state', next, prev);
  }

  private touch(): void {
    this.lastActivity = Date.now();
  }
}

function syntheticReply(execution: Execution, status: 'ok' | 'error' | 'aborted', count: number) {
  return {
    type: 'execute_reply' as const,
    execution_id: execution.executionId,
    status,
    execution_count: count,
    execution_time: 0,
  };
}

function requestError(code: string, message: string): PyreplError {
  return new PyreplError(code === 'unknown_input_token' ? 'unknown_input_token' : 'invalid_argument', message);
}
