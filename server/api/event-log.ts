/**
 * A session's numbered event stream: every event gets the next `seq` and is kept in a bounded buffer (by count and by
 * bytes), so a client that reconnects with `last_seq` gets exactly what it missed, and an observer that joins late
 * gets the transcript so far. When the gap is older than the buffer the caller is told how much was lost.
 */
import type { SessionEventApi, UnsequencedEvent } from '../../protocol/api-messages.js';

export interface LoggedEvent {
  seq: number;
  event: SessionEventApi;
  /** The JSON text, serialized once and sent to every client as is. */
  json: string;
}

export interface ReplayPlan {
  /** Events after the requested seq that are still in the buffer, oldest first. */
  events: LoggedEvent[];
  /** Set when some requested events fell out of the buffer. */
  gap: { missed_from: number; missed_to: number; missed_events: number } | null;
}

export interface EventLogLimits {
  maxEvents: number;
  maxBytes: number;
}

export class EventLog {
  /** Evicted slots before `head` are cleared, so their (possibly large) events can be collected at once. */
  private readonly entries: (LoggedEvent | undefined)[] = [];
  private head = 0; // index of the oldest kept entry (amortized shift)
  private bytes = 0;
  private seq = 0;

  constructor(
    readonly sessionId: string,
    private readonly limits: EventLogLimits,
  ) {}

  get lastSeq(): number {
    return this.seq;
  }

  /** The oldest seq still replayable (lastSeq + 1 when the buffer is empty). */
  get firstSeq(): number {
    return this.entries[this.head]?.seq ?? this.seq + 1;
  }

  get size(): { events: number; bytes: number } {
    return { events: this.entries.length - this.head, bytes: this.bytes };
  }

  append(partial: UnsequencedEvent): LoggedEvent {
    this.seq += 1;
    const event = { ...partial, seq: this.seq, session_id: this.sessionId } as SessionEventApi;
    const entry: LoggedEvent = { seq: this.seq, event, json: JSON.stringify(event) };
    this.entries.push(entry);
    this.bytes += entry.json.length;
    this.evict();
    return entry;
  }

  /** What a client that has seen everything up to `afterSeq` needs (0: from the beginning). */
  since(afterSeq: number): ReplayPlan {
    const wanted = Math.max(0, Math.min(afterSeq, this.seq));
    const first = this.firstSeq;
    const gap =
      wanted + 1 < first
        ? { missed_from: wanted + 1, missed_to: first - 1, missed_events: first - 1 - wanted }
        : null;
    const startSeq = Math.max(wanted + 1, first);
    const startIndex = this.head + (startSeq - first);
    return { events: this.entries.slice(startIndex) as LoggedEvent[], gap };
  }

  private evict(): void {
    while (
      this.entries.length - this.head > 1 &&
      (this.entries.length - this.head > this.limits.maxEvents || this.bytes > this.limits.maxBytes)
    ) {
      const dropped = this.entries[this.head]!;
      this.bytes -= dropped.json.length;
      this.entries[this.head] = undefined;
      this.head += 1;
    }
    // Compact now and then so the array does not grow forever.
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}
