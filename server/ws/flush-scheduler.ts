/**
 * When the WebSocket clients' batched frames leave (ws-client.ts, write()): at the end of the current turn of the event
 * loop, or within a short window for frames that only announce something. One scheduler serves every client of the
 * server, with one setImmediate per turn and one window timer, however many clients and executions there are. A timer
 * per client and execution cost more than the rest of a `1+1`'s batching, and, with many sessions busy at once, the
 * first thousand executions paid V8 for optimizing Node's timer code as well.
 */

export interface Flushable {
  /** Sends what the client holds back. */
  flush(): void;
}

export class FlushScheduler {
  /** Clients to flush at the end of this turn. */
  private readonly dueNow = new Set<Flushable>();
  /** Clients holding only deferrable frames, with the time (performance.now()) by which they must leave. */
  private readonly dueBy = new Map<Flushable, number>();
  private immediate: NodeJS.Immediate | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** `client` flushes at the end of this turn (after the I/O callbacks of this loop iteration, microtasks included). */
  endOfTurn(client: Flushable): void {
    this.dueBy.delete(client);
    this.dueNow.add(client);
    this.immediate ??= setImmediate(this.flushDueNow);
  }

  /** `client` flushes within the window, unless it is flushed sooner; a client already due keeps its earlier time. */
  withinWindow(client: Flushable): void {
    if (this.dueNow.has(client) || this.dueBy.has(client)) return;
    this.dueBy.set(client, this.now() + this.windowMs);
    this.timer ??= setTimeout(this.flushDueBy, this.windowMs);
  }

  /** The client flushed by itself (or closed): nothing is due for it. */
  forget(client: Flushable): void {
    this.dueNow.delete(client);
    this.dueBy.delete(client);
  }

  private readonly flushDueNow = (): void => {
    this.immediate = null;
    const clients = [...this.dueNow];
    this.dueNow.clear();
    for (const client of clients) client.flush();
  };

  /**
   * The window timer was set by the first client of its window; later ones may be due a little after it fires, and get
   * a timer for the rest. The timer is not cleared when clients flush sooner: it then finds nothing due and stops.
   */
  private readonly flushDueBy = (): void => {
    this.timer = null;
    const now = this.now();
    let next = Infinity;
    const due: Flushable[] = [];
    for (const [client, by] of this.dueBy) {
      // Node's timers fire at whole milliseconds: a deadline less than one away counts as reached.
      if (by < now + 1) due.push(client);
      else next = Math.min(next, by);
    }
    for (const client of due) this.dueBy.delete(client);
    if (next !== Infinity) this.timer = setTimeout(this.flushDueBy, Math.ceil(next - now));
    for (const client of due) client.flush();
  };
}
