/**
 * A session's executions: the FIFO (a new one never cancels the running one), the one running on the worker, its
 * pending input request, its clocks (timeout, and the kill after an interrupt's grace period), and how each ends,
 * also when the worker cannot say so itself (death, restart, close). The session owns the worker and the state
 * machine; this tells it when an execution starts, waits for input and finishes.
 */
import type { ErrorEvent, ExecutionEvent, OutputEvent, WorkerCommand } from '../../protocol/worker-messages.js';
import type { Execution } from './execution.js';
import { ExecutionTimers } from './execution-timers.js';
import type { PendingInput } from './session-types.js';
import { describeExit, type WorkerExit, type WorkerProcess } from './worker-process.js';

export interface SchedulerHost {
  /** The worker executions go to now; null while none runs. */
  worker(): WorkerProcess | null;
  /** True when the session is idle with a worker, so the next execution may start. */
  canStart(): boolean;
  started(): void;
  waitingForInput(): void;
  /** The running execution ended normally (execute_reply). */
  finished(): void;
  /** User code called exit(): the worker is about to end. */
  exited(): void;
  /** Every execution event, plus output written between executions (execution_id null). */
  emit(event: ExecutionEvent | OutputEvent): void;
}

export interface SchedulerOptions {
  outputLimitBytes: number | null;
  defaultTimeoutMs: number | null;
  interruptGraceMs: number;
}

export class ExecutionScheduler {
  readonly queue: Execution[] = [];
  running: Execution | null = null;
  pendingInput: PendingInput | null = null;
  executionCount = 0;
  private readonly timers: ExecutionTimers;

  constructor(
    private readonly host: SchedulerHost,
    private readonly options: SchedulerOptions,
  ) {
    this.timers = new ExecutionTimers(options.interruptGraceMs);
  }

  enqueue(execution: Execution): void {
    this.queue.push(execution);
    this.pump();
  }

  /** Starts the next queued execution when the session can run one. */
  pump(): void {
    const worker = this.host.worker();
    if (this.running || !worker || !this.host.canStart()) return;
    const next = this.queue.shift();
    if (!next) return;
    this.running = next;
    const timeoutMs = next.request.timeout_ms ?? this.options.defaultTimeoutMs;
    // Sent before the state change, whose listeners (the API layer's) then run while the worker already works.
    const command: Extract<WorkerCommand, { type: 'execute' }> = {
      type: 'execute',
      execution_id: next.executionId,
      code: next.request.code,
      transaction_policy: next.request.transaction_policy ?? 'commit_always',
      output_limit: next.request.output_limit === undefined ? this.options.outputLimitBytes : next.request.output_limit,
    };
    if (timeoutMs) command.timeout = timeoutMs / 1000;
    worker.send(command);
    this.host.started();
    if (timeoutMs) this.timers.startTimeout(timeoutMs, this.timerActions(next, worker));
  }

  onEvent(event: ExecutionEvent): void {
    const running = this.running;
    const mine = running !== null && event.execution_id === running.executionId;
    if (event.type === 'output' && !mine) {
      // Written between executions (a background thread, a leftover subprocess): the session's, not a caller's.
      this.host.emit({ ...event, execution_id: null });
      return;
    }
    if (!mine || !running) return; // a late event of an execution that was already ended here
    this.host.emit(event);
    // The scheduler's own state is settled before the execution's consumer sees the event: a consumer that takes
    // events as they come (Execution.deliverTo) may call back into the session from push(), to answer an input
    // request or to close the session after exit().
    switch (event.type) {
      case 'input_request':
        this.pendingInput = { execution_id: event.execution_id, token: event.token, prompt: event.prompt, password: event.password };
        this.host.waitingForInput();
        running.push(event);
        return;
      case 'execute_reply':
        this.executionCount = event.execution_count;
        this.finishRunning();
        this.host.finished();
        running.push(event);
        this.pump();
        return;
      case 'exit':
        this.host.exited();
        this.finishRunning();
        running.push(event);
        running.end(syntheticReply(running, 'ok', this.executionCount));
        return;
      default:
        running.push(event);
    }
  }

  /** Interrupts the running execution (KeyboardInterrupt); kills the worker if it does not stop within the grace. */
  interrupt(): boolean {
    const running = this.running;
    const worker = this.host.worker();
    if (!running || !worker) return false;
    this.timers.interrupt('user', this.timerActions(running, worker));
    return true;
  }

  /** The worker is gone: nothing it runs can time out or be interrupted any more. */
  stopClocks(): void {
    this.timers.clear();
  }

  /** The worker died under the running execution: it ends with an error saying how. */
  failRunning(exit: WorkerExit): void {
    const running = this.running;
    if (!running) return;
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
    this.finishRunning();
    this.host.emit(error);
    running.push(error);
    const reply = syntheticReply(running, 'error', this.executionCount);
    this.host.emit(reply);
    running.push(reply);
  }

  /** Ends the running execution (error) and every queued one (aborted); used by close, restart and death. */
  abortAll(exception: string, message: string): void {
    const running = this.running;
    if (running) {
      this.finishRunning();
      running.push({ type: 'error', execution_id: running.executionId, exception, message, traceback: '' });
      running.push(syntheticReply(running, 'error', this.executionCount));
    }
    for (const queued of this.queue.splice(0)) {
      queued.push({ type: 'error', execution_id: queued.executionId, exception, message, traceback: '' });
      queued.push(syntheticReply(queued, 'aborted', this.executionCount));
    }
  }

  private finishRunning(): void {
    this.running = null;
    this.pendingInput = null;
    this.timers.clear();
  }

  /** What the timers do, bound to this execution on this worker (a no-op once either has moved on). */
  private timerActions(execution: Execution, worker: WorkerProcess) {
    const current = () => this.running === execution && this.host.worker() === worker;
    return {
      interrupt: (reason: 'user' | 'timeout') => {
        if (current()) worker.send({ type: 'interrupt', execution_id: execution.executionId, reason });
      },
      kill: (reason: string) => {
        if (current()) worker.kill(reason);
      },
    };
  }
}

/** The execute_reply of an execution the worker could not finish itself. */
function syntheticReply(execution: Execution, status: 'ok' | 'error' | 'aborted', count: number) {
  return {
    type: 'execute_reply' as const,
    execution_id: execution.executionId,
    status,
    execution_count: count,
    execution_time: 0,
  };
}
