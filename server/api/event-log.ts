/**
 * A session's numbered event stream: every event gets the next `seq` and is kept in a bounded buffer (by count and by
 * bytes), so a client that reconnects with `last_seq` gets exactly what it missed, and an observer that joins late
 * gets the transcript so far. When the gap is older than the buffer the caller is told how much was lost.
 */
import type { OutputEncoding, SessionEventApi, UnsequencedEvent } from '../../protocol/api-messages.js';
import { binaryOutputData, binaryOutputFrame, jsonFrame, numbered } from './event-frame.js';
import { QuotedIds } from './event-json.js';
import { FrameRing } from './frame-ring.js';
import { frameBytes, type Frame } from './frame.js';

/**
 * One numbered event and its frames. A frame is encoded once, when the first client that takes it needs it, and then
 * sent as is to every such client: output events have a JSON text frame and a binary one (protocol/binary-output.ts),
 * every other event only the JSON one. The replay buffer keeps whichever was encoded first.
 */
export class LoggedEvent {
  constructor(
    readonly seq: number,
    /** The event. Replayed output events have `data` '' (the frame carries it: the buffer holds the bytes once). */
    readonly event: SessionEventApi,
    /** Output events: the data's size in UTF-8 bytes (0 for other events). */
    readonly dataBytes: number,
    private json: Frame | null,
    private binary: Frame | null,
  ) {}

  /** Whether a client that asked for `encoding` gets this event in a binary frame. */
  isBinary(encoding: OutputEncoding): boolean {
    return encoding === 'binary' && this.event.type === 'output';
  }

  /** The frame for a client that asked for `encoding`. */
  frame(encoding: OutputEncoding): Frame {
    const event = this.event;
    if (encoding === 'binary' && event.type === 'output') {
      return (this.binary ??= binaryOutputFrame(event.data === '' && this.json ? withData(event, jsonData(this.json)) : event).frame);
    }
    if (!this.json) {
      const full = event.type === 'output' && event.data === '' && this.binary ? withData(event, binaryOutputData(this.binary)) : event;
      this.json = jsonFrame(full).frame;
    }
    return this.json;
  }
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
  /** The kept frame is the binary one (an output event whose clients all took binary frames). */
  binary: boolean;
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
  private readonly ids: QuotedIds;

  constructor(
    readonly sessionId: string,
    private readonly limits: EventLogLimits,
  ) {
    this.ring = new FrameRing(limits.maxBytes);
    this.ids = new QuotedIds(sessionId);
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

  /**
   * Numbers and encodes the event (`partial` becomes the event) and keeps it for replay. `encoding`: the frame to
   * encode now, the one its clients take (binary only matters for output events; JSON when clients take both).
   */
  append(partial: UnsequencedEvent, encoding: OutputEncoding = 'json'): LoggedEvent {
    this.seq += 1;
    const event = numbered(partial, this.seq, this.sessionId);
    const binary = encoding === 'binary' && event.type === 'output';
    const { frame, dataBytes } = binary ? binaryOutputFrame(event, this.ids) : jsonFrame(event, this.ids);
    const length = frame.length;
    // The new event always stays; older ones go while the limits are exceeded, or the ring has no room for it.
    while (this.kept > 0 && (this.kept + 1 > this.limits.maxEvents || this.bytes + length > this.limits.maxBytes)) this.evictOldest();
    let at = -1;
    if (length <= this.ring.capacity) {
      while (this.kept > 0 && !this.ring.fits(length)) this.evictOldest();
      at = this.ring.put(frame);
    }
    // A frame larger than the whole ring is kept as it is; a split one as bytes (its text would keep a string alive).
    const keptEvent = event.type === 'output' ? withData(event, '') : event;
    this.entries.push({ seq: this.seq, event: keptEvent, dataBytes, binary, length, at, own: at < 0 ? frameBytes(frame) : null });
    this.bytes += length;
    this.compact();
    return new LoggedEvent(this.seq, event, dataBytes, binary ? null : frame, binary ? frame : null);
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
      events.push(new LoggedEvent(kept.seq, kept.event, kept.dataBytes, kept.binary ? null : frame, kept.binary ? frame : null));
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

function withData(event: SessionEventApi & { type: 'output' }, data: string): SessionEventApi & { type: 'output' } {
  return { type: 'output', execution_id: event.execution_id, stream: event.stream, data, seq: event.seq, session_id: event.session_id };
}

/** The data of an output event's JSON frame. */
function jsonData(frame: Frame): string {
  return (JSON.parse(frameBytes(frame).toString('utf8')) as { data: string }).data;
}
