/**
 * The clocks around the running execution: its wall-clock timeout (which sends an interrupt with reason "timeout"), and
 * the grace period after any interrupt, past which the worker is killed, as jupyter_client escalates a shutdown. Only
 * one execution runs at a time, so there is one of each.
 */
export interface TimerActions {
  interrupt(reason: 'user' | 'timeout'): void;
  /** The execution did not stop within the grace period. */
  kill(reason: string): void;
}

export class ExecutionTimers {
  private timeout: NodeJS.Timeout | null = null;
  private grace: NodeJS.Timeout | null = null;

  constructor(private readonly graceMs: number) {}

  /** Starts the wall-clock limit of an execution that just began. */
  startTimeout(ms: number, actions: TimerActions): void {
    this.timeout = setTimeout(() => {
      this.timeout = null;
      this.interrupt('timeout', actions);
    }, ms);
  }

  /** Sends the interrupt and, unless one is already counting, starts the grace period. */
  interrupt(reason: 'user' | 'timeout', actions: TimerActions): void {
    actions.interrupt(reason);
    if (this.grace) return;
    this.grace = setTimeout(() => {
      this.grace = null;
      actions.kill(`the execution did not stop within ${this.graceMs} ms of an interrupt`);
    }, this.graceMs);
  }

  /** The execution ended (or the worker did): nothing is counting any more. */
  clear(): void {
    if (this.timeout) clearTimeout(this.timeout);
    if (this.grace) clearTimeout(this.grace);
    this.timeout = null;
    this.grace = null;
  }
}
