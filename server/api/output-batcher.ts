/**
 * Output batching: output events of the same execution and stream that arrive within the flush window become one
 * event (fewer frames, one seq). A batch is sent when the window ends, when it reaches the size limit, when the
 * stream or execution changes, and whenever anything else is about to be logged (flush()), so order is kept.
 */
import type { UnsequencedEvent } from '../../protocol/api-messages.js';
import type { OutputEvent, Stream } from '../../protocol/worker-messages.js';

export interface OutputBatchLimits {
  /** Output events arriving within this window are merged into one event. */
  flushMs: number;
  /** A merged output event is sent at once when it reaches this many characters. */
  batchChars: number;
}

export class OutputBatcher {
  private pending: { executionId: string | null; stream: Stream; parts: string[]; size: number } | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly limits: OutputBatchLimits,
    private readonly emit: (event: UnsequencedEvent & { type: 'output' }) => void,
  ) {}

  add(event: OutputEvent): void {
    const pending = this.pending;
    if (pending && (pending.executionId !== event.execution_id || pending.stream !== event.stream)) this.flush();
    if (!this.pending) {
      // A chunk that fills a batch by itself (the worker's own chunks usually do) goes out as it is.
      if (event.data.length >= this.limits.batchChars) {
        this.emit({ type: 'output', execution_id: event.execution_id, stream: event.stream, data: event.data });
        return;
      }
      this.pending = { executionId: event.execution_id, stream: event.stream, parts: [], size: 0 };
      this.timer = setTimeout(() => this.flush(), this.limits.flushMs);
    }
    const current = this.pending!;
    current.parts.push(event.data);
    current.size += event.data.length;
    if (current.size >= this.limits.batchChars) this.flush();
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const pending = this.pending;
    if (!pending) return;
    this.pending = null;
    const data = pending.parts.length === 1 ? pending.parts[0]! : pending.parts.join('');
    this.emit({ type: 'output', execution_id: pending.executionId, stream: pending.stream, data });
  }
}
