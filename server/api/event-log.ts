/**
 * A session's numbered event stream: every event gets the next `seq` and is kept in a bounded buffer (by count and by
 * bytes), so a client that reconnects with `last_seq` gets exactly what it missed, and an observer that joins late
 * gets the transcript so far. When the gap is older than the buffer the caller is told how much was lost.
 */
import type { SessionEventApi, UnsequencedEvent } from '../../protocol/api-messages.js';
import { encodeEvent } from './event-frame.js';
import { FrameRing } from './frame-ring.js';

export interface LoggedEvent {
  seq: number;
  /** The event. Replayed output events have `data` '' (the frame carries it: the buffer holds the bytes once). */
  event: SessionEventApi;
  /** The frame: the event's JSON as UTF-8 bytes, encoded once and sent to every client as is. */
  frame: Buffer;
  /** Output events: the data's size in UTF-8 bytes (0 for other events). */
  dataBytes: number;
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

/** A kept event: its frame is in the ring at `at`, or in `own` when it is larger than the whole ring. */
interface Kept {
  seq: number;
  event: SessionEventApi;
  dataBytes: number;
  length: number;
  at: number;
  own: Buffer | null;
}

export class EventLog {
  /** Evicted slots before `head` are cleared, so their (possibly large) events can be collected at once. */
  private readonly entries: (Kept | undefined)[] = [];
  private readonly ring: FrameRing;
  private head = 0; // index of the oldest kept entry (amortized shift)
  private bytes = 0;
  private seq = 0;

  constructor(
    readonly sessionId: string,
    private readonly limits: EventLogLimits,
  ) {
    this.ring = new FrameRing(limits.maxBytes);
  }

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

  /** Numbers and encodes the event (see encodeEvent: `partial` becomes the event) and keeps it for replay. */
  append(partial: UnsequencedEvent): LoggedEvent {
    this.seq += 1;
    const { event, frame, dataBytes } = encodeEvent(partial, this.seq, this.sessionId);
    const length = frame.length;
    // The new event always stays; older ones go while the limits are exceeded, or the ring has no room for it.
    while (this.kept > 0 && (this.kept + 1 > this.limits.maxEvents || this.bytes + length > this.limits.maxBytes)) this.evictOldest();
    let at = -1;
    if (length <= this.ring.capacity) {
      while (this.kept > 0 && !this.ring.fits(length)) this.evictOldest();
      at = this.ring.put(frame);
    }
    const keptEvent = event.type === 'output' ? withoutData(event) : event;
    this.entries.push({ seq: this.seq, event: keptEvent, dataBytes, length, at, own: at < 0 ? frame : null });
    this.bytes += length;
    this.compact();
    return { seq: this.seq, event, frame, dataBytes };
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
    const events: LoggedEvent[] = [];
    for (let i = startIndex; i < this.entries.length; i++) {
      const kept = this.entries[i]!;
      const frame = kept.own ?? this.ring.read(kept.at, kept.length);
      events.push({ seq: kept.seq, event: kept.event, frame, dataBytes: kept.dataBytes });
    }
    return { events, gap };
  }

  private get kept(): number {
    return this.entries.length - this.head;
  }

  private evictOldest(): void {
    const dropped = this.entries[this.head]!;
    this.bytes -= dropped.length;
    this.entries[this.head] = undefined;
    this.head += 1;
    if (dropped.at < 0) return;
    let next = -1;
    for (let i = this.head; i < this.entries.length && next < 0; i++) next = this.entries[i]!.at;
    this.ring.releaseOldest(next);
  }

  /** Now and then, so the array does not grow forever. */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries.splice(0, this.head);
      this.head = 0;
    }
  }
}

function withoutData(event: SessionEventApi & { type: 'output' }): SessionEventApi {
  return { type: 'output', execution_id: event.execution_id, stream: event.stream, data: '', seq: event.seq, session_id: event.session_id };
}
