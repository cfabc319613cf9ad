/**
 * A persistent Python session: one worker process (started, restarted, closed here), its executions (queued, run and
 * ended by execution-scheduler.ts), input routing by token, requests (complete, inspect, heartbeat), and a state
 * machine:
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
  CompleteReplyEvent,
  ExecutionEvent,
  IsCompleteReplyEvent,
  NamespaceVariable,
  OutputEvent,
  ReadyEvent,
  WorkerEvent,
} from '../../protocol/worker-messages.js';
import { Execution, type ExecuteRequest } from './execution.js';
import { ExecutionScheduler } from './execution-scheduler.js';
import { describeExit, workerStartError, WorkerProcess, type WorkerExit } from './worker-process.js';
import { FlowControl } from './flow-control.js';
import { PendingRequests } from './pending-requests.js';
import { resolveSessionOptions, type ResolvedSessionOptions, type SessionOptions } from './session-options.js';
import type { SessionInfo, SessionState } from './session-types.js';

export type { PendingInput, SessionInfo, SessionState } from './session-types.js';

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
  private readonly executions: ExecutionScheduler;
  private readonly requests = new PendingRequests();
  private readonly flow: FlowControl;
  private userExited = false;

  private constructor(options: ResolvedSessionOptions) {
    super();
    this.id = options.sessionId ?? randomUUID();
    this.options = options;
    this.executions = new ExecutionScheduler(
      {
        worker: () => this.worker,
        canStart: () => this._state === 'idle',
        started: () => this.setState('busy'),
        waitingForInput: () => this.setState('waiting_input'),
        finished: () => this.setState('idle'),
        exited: () => (this.userExited = true),
        emit: (event) => this.emit('event', event),
      },
      options,
    );
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
      execution_count: this.executions.executionCount,
      queue_length: this.executions.queue.length,
      pending_input: this.executions.pendingInput,
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
    const queued = this.executions.queue.length;
    if (queued >= this.options.maxQueuedExecutions) {
      throw new PyreplError('queue_full', `Session ${this.id} already has ${queued} executions queued.`, {
        max_queued: this.options.maxQueuedExecutions,
      });
    }
    const execution = new Execution(request.execution_id ?? randomUUID(), request, (delta) => this.onBuffered(delta));
    this.touch();
    this.executions.enqueue(execution);
    return execution;
  }

  /** Answers the pending input request; refused (unknown_input_token) unless `token` is the pending one. */
  async sendInput(token: string, data: string): Promise<void> {
    await this.answerInput(token, data);
  }

  /** Cancels the pending input request: user code gets EOFError. */
  async cancelInput(token: string): Promise<void> {
    await this.answerInput(token, null);
  }

  /**
   * Answers the pending input request (`data` null cancels it: EOFError in user code). Synchronous up to the write to
   * the worker, so a caller knows at once whether the answer went out (it throws if the token is not pending); the
   * returned promise settles when the worker acknowledges it.
   */
  answerInput(token: string, data: string | null): Promise<void> {
    this.assertUsable();
    if (this.executions.pendingInput?.token !== token) {
      throw new PyreplError('unknown_input_token', 'No pending input request of this session has that token.');
    }
    const command = data === null ? { type: 'input_cancel' as const, token } : { type: 'input_response' as const, token, data };
    const delivered = this.request({ ...command, request_id: randomUUID() });
    this.touch();
    // Answered as of now: the worker takes the first response with this token and refuses any later one, and a
    // token it refuses was not pending there either. Waiting for its ack here would keep the session
    // waiting_input for a round trip after the code has moved on (and the worker sends that ack along with the
    // code's next event). A second answer with this token is now refused here, without a round trip.
    this.executions.pendingInput = null;
    if (this._state === 'waiting_input') this.setState('busy');
    return delivered.then(() => undefined);
  }

  /** Interrupts the running execution (KeyboardInterrupt); kills the worker if it does not stop within the grace. */
  interrupt(): boolean {
    return this.executions.interrupt();
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
    this.executions.executionCount = 0;
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
    this.executions.pump();
  }

  private onWorkerEvent(event: WorkerEvent): void {
    switch (event.type) {
      case 'output':
      case 'input_request':
      case 'result':
      case 'error':
      case 'execute_reply':
      case 'exit':
        this.touch();
        this.executions.onEvent(event);
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

  private onWorkerExit(exit: WorkerExit): void {
    this.worker = null;
    this.executions.stopClocks();
    this.requests.rejectAll(new PyreplError('session_dead', `Session ${this.id}: ${describeExit(exit)}.`));
    if (this.userExited || this._state === 'closed') {
      this.abortAll('SessionClosed', 'The session ended (exit() was called) before this execution ran.');
      this.setState('closed');
      return;
    }
    this.executions.failRunning(exit);
    this.abortAll('SessionDead', `The session's worker died before this execution ran: ${describeExit(exit)}.`);
    this.setState('dead');
  }

  /** Ends the running execution (error) and every queued one (aborted), and fails pending requests. */
  private abortAll(exception: string, message: string): void {
    this.executions.abortAll(exception, message);
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

function requestError(code: string, message: string): PyreplError {
  return new PyreplError(code === 'unknown_input_token' ? 'unknown_input_token' : 'invalid_argument', message);
}
