/**
 * Hands a socket's messages to listeners and async iterators, in order, losing none.
 *
 * Messages that arrive while nobody consumes them are kept and given to the first consumer: `ws` may emit several
 * messages in one tick (a replay follows session_attached at once), before the code that awaited connect() could
 * subscribe. Once a consumer exists nothing is kept here, so a listener-only client holds no growing buffer.
 */

export type Listener<T> = (message: T) => void;

class Queue<T> implements AsyncIterableIterator<T> {
  private readonly items: T[] = [];
  private readonly waiters: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;

  constructor(private readonly onReturn: (queue: Queue<T>) => void) {}

  push(item: T): void {
    if (this.ended) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter({ value: item, done: false });
    else this.items.push(item);
  }

  /** No more items: what is queued is still yielded, then the iteration ends. */
  end(): void {
    this.ended = true;
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
  }

  next(): Promise<IteratorResult<T>> {
    if (this.items.length > 0) return Promise.resolve({ value: this.items.shift()!, done: false });
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** `break` out of a for-await loop: stop receiving. */
  return(): Promise<IteratorResult<T>> {
    this.items.length = 0;
    this.end();
    this.onReturn(this);
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<T> {
    return this;
  }
}

export class MessageFanout<T> {
  private readonly listeners = new Set<Listener<T>>();
  private readonly queues = new Set<Queue<T>>();
  private backlog: T[] = [];
  private open = false;

  /** A connection started: iterators created from now on run until end(). */
  start(): void {
    this.open = true;
  }

  push(message: T): void {
    if (this.listeners.size === 0 && this.queues.size === 0) {
      this.backlog.push(message);
      return;
    }
    for (const queue of this.queues) queue.push(message);
    for (const listener of [...this.listeners]) listener(message);
  }

  /** The connection closed: current iterators finish once drained. Listeners stay for the next connection. */
  end(): void {
    this.open = false;
    for (const queue of this.queues) queue.end();
    this.queues.clear();
  }

  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    for (const message of this.takeBacklog()) listener(message);
    return () => this.listeners.delete(listener);
  }

  /** Messages until the current connection closes (at once, after any backlog, when none is open). */
  iterate(): AsyncIterableIterator<T> {
    const queue = new Queue<T>((q) => this.queues.delete(q));
    for (const message of this.takeBacklog()) queue.push(message);
    if (this.open) this.queues.add(queue);
    else queue.end();
    return queue;
  }

  private takeBacklog(): T[] {
    const taken = this.backlog;
    this.backlog = [];
    return taken;
  }
}
