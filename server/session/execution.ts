/**
 * One execution as its caller sees it: its events (output, input_request, result or error, then execute_reply or exit),
 * buffered until consumed, either by iterating (an AsyncIterable) or by a sink that takes each one as it arrives
 * (deliverTo) and may pause. The unconsumed byte count drives flow control back to the worker; a consumer that stops
 * iterating early stops counting, so it can never stall the session.
 */
import type {
  ExecuteReplyEvent,
  ExecutionEvent,
  TransactionPolicy,
} from '../../protocol/worker-messages.js';

export interface ExecuteRequest {
  code: string;
  transaction_policy?: TransactionPolicy;
  /** Wall-clock limit for this execution; null or absent uses the session's default (none unless configured). */
  timeout_ms?: number | null;
  /** Output bytes allowed for this execution; absent uses the session's default. */
  output_limit?: number | null;
  /** Supplied by callers that need to know it before the first event; generated otherwise. */
  execution_id?: string;
}

/** A consumer that takes each event as it arrives, in the call that delivers it: no promise or microtask per event. */
export interface ExecutionSink {
  event(event: ExecutionEvent): void;
  /** After the last event has been delivered (at once if the execution ends without one), even while paused. */
  end(): void;
}

export class Execution implements AsyncIterable<ExecutionEvent> {
  readonly executionId: string;
  readonly request: ExecuteRequest;
  /** Resolves with the final execute_reply (synthesized by the session when the worker cannot send one). */
  readonly finished: Promise<ExecuteReplyEvent>;

  private readonly buffer: ExecutionEvent[] = [];
  private bufferedBytes = 0;
  private ended = false;
  private detached = false;
  /** The reader's pending next(), when it has read everything buffered. */
  private waiter: ((result: IteratorResult<ExecutionEvent>) => void) | null = null;
  private sink: ExecutionSink | null = null;
  private paused = false;
  private sinkEnded = false;
  private resolveFinished!: (reply: ExecuteReplyEvent) => void;

  constructor(
    executionId: string,
    request: ExecuteRequest,
    private readonly onBufferedChange: (delta: number) => void,
  ) {
    this.executionId = executionId;
    this.request = request;
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  get isEnded(): boolean {
    return this.ended;
  }

  /** Called by the session for each event of this execution, in order. */
  push(event: ExecutionEvent): void {
    if (this.ended) return;
    if (!this.detached) {
      const waiter = this.waiter;
      if (this.sink && !this.paused && this.buffer.length === 0) {
        this.sink.event(event);
      } else if (waiter) {
        // The reader is waiting (so nothing is buffered): hand the event straight over. Going through the buffer
        // and a wake-up cost two more promise hops on every event.
        this.waiter = null;
        waiter({ value: event, done: false });
      } else {
        this.buffer.push(event);
        const size = eventSize(event);
        this.bufferedBytes += size;
        this.onBufferedChange(size);
      }
    }
    if (event.type === 'execute_reply') this.end(event);
  }

  /** Ends the stream; `reply` is the execute_reply that `finished` resolves with. */
  end(reply: ExecuteReplyEvent): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveFinished(reply);
    this.releaseWaiter();
    this.endSinkIfDrained();
  }

  /**
   * Hands every event, buffered ones first, to `sink` from now on (instead of iteration). pause() keeps new events in
   * the buffer, where they count for flow control, until resume().
   */
  deliverTo(sink: ExecutionSink): void {
    this.sink = sink;
    this.drain();
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    this.drain();
  }

  /** Delivers what was buffered, in order, until the sink pauses; then the end, if that came. */
  private drain(): void {
    const sink = this.sink;
    if (!sink) return;
    while (!this.paused && this.buffer.length > 0) {
      const event = this.buffer.shift()!;
      const size = eventSize(event);
      this.bufferedBytes -= size;
      this.onBufferedChange(-size);
      sink.event(event);
    }
    this.endSinkIfDrained();
  }

  private endSinkIfDrained(): void {
    // A pause holds back events, not the end: with nothing left to deliver, the consumer learns at once that none come.
    if (!this.sink || this.sinkEnded || this.buffer.length > 0 || !(this.ended || this.detached)) return;
    this.sinkEnded = true;
    this.sink.end();
  }

  [Symbol.asyncIterator](): AsyncIterator<ExecutionEvent> {
    return {
      next: () => {
        const event = this.buffer.shift();
        if (event) {
          const size = eventSize(event);
          this.bufferedBytes -= size;
          this.onBufferedChange(-size);
          return Promise.resolve({ value: event, done: false });
        }
        if (this.ended || this.detached) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          this.waiter = resolve;
        });
      },
      return: async () => {
        this.detach();
        return { value: undefined, done: true };
      },
    };
  }

  /** The consumer went away: drop what it did not read and stop buffering, so flow control releases the worker. */
  detach(): void {
    if (this.detached) return;
    this.detached = true;
    this.buffer.length = 0;
    this.onBufferedChange(-this.bufferedBytes);
    this.bufferedBytes = 0;
    this.releaseWaiter();
    this.paused = false;
    this.endSinkIfDrained();
  }

  /** A waiting reader learns that no more events come (ended or detached; nothing is buffered when one waits). */
  private releaseWaiter(): void {
    const waiter = this.waiter;
    if (!waiter) return;
    this.waiter = null;
    waiter({ value: undefined, done: true });
  }
}

function eventSize(event: ExecutionEvent): number {
  // Output dominates memory; the fixed part approximates a small event's overhead.
  return event.type === 'output' ? event.data.length + 64 : 256;
}

export interface CollectedExecution {
  execution_id: string;
  events: ExecutionEvent[];
  stdout: string;
  stderr: string;
  reply: ExecuteReplyEvent | null;
}

/** Drains an execution into one record (REST's synchronous execute, tests). */
export async function collect(events: AsyncIterable<ExecutionEvent>): Promise<CollectedExecution> {
  const out: CollectedExecution = { execution_id: '', events: [], stdout: '', stderr: '', reply: null };
  for await (const event of events) {
    out.events.push(event);
    if (event.execution_id) out.execution_id = event.execution_id;
    if (event.type === 'output') out[event.stream] += event.data;
    if (event.type === 'execute_reply') out.reply = event;
  }
  return out;
}
