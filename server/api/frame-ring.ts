import { writeFrame, type Frame } from './frame.js';

/** Enough for a long interactive session's events; only a large output needs the rest of the capacity. */
const INITIAL_BYTES = 256 * 1024;

/**
 * The replay buffer's bytes: frames are copied into one ring that is reused, oldest first out, instead of being kept
 * as Buffers of their own. A kept Buffer lives long enough for V8 to promote it, so every frame that later falls out
 * of the buffer would be old-generation garbage that only a full collection frees; with the ring, the frame sent live
 * dies young and the replay buffer's memory stays put.
 *
 * The ring starts small and, when that is full, grows to its whole capacity at once (uninitialized: the kernel backs
 * pages only as records are written). Growing by doubling instead cost a session's first large output twice the
 * capacity in page faults, for the copies and the short-lived buffers in between. Starting at full capacity is no good
 * either: V8 counts every Buffer as external memory, and eight new sessions (64 MB) set off full collections.
 *
 * Records are placed in FIFO order and released oldest first (the event log decides when); a record that does not fit
 * at the end goes to the start, once the oldest records there are gone.
 */
export class FrameRing {
  private buffer: Buffer | null = null;
  /** Offset of the oldest record. */
  private head = 0;
  /** Offset just after the newest record. */
  private tail = 0;
  private records = 0;

  constructor(readonly capacity: number) {}

  /** True when `length` bytes can be placed now, without releasing any record. */
  fits(length: number): boolean {
    if (length > this.capacity) return false;
    if (this.records === 0) return true;
    if (this.tail > this.head) return this.capacity - this.tail >= length || this.head >= length;
    return this.head - this.tail >= length; // wrapped: the free space is between the newest and the oldest
  }

  /** Copies `frame` in (fits() must hold) and returns its offset. */
  put(frame: Frame): number {
    const length = frame.length;
    if (this.records === 0) this.head = this.tail = 0;
    const wrapped = this.records > 0 && this.tail <= this.head;
    const at = wrapped || this.capacity - this.tail >= length ? this.tail : 0;
    this.reserve(at + length);
    writeFrame(frame, this.buffer!, at);
    this.tail = at + length;
    this.records += 1;
    return at;
  }

  /** A copy of the record at `at` (the ring's bytes are reused, so nothing outside may keep a view of them). */
  read(at: number, length: number): Buffer {
    return Buffer.from(this.buffer!.subarray(at, at + length));
  }

  /** The oldest record is released; `next` is the offset of the one after it (unused when none is left). */
  releaseOldest(next: number): void {
    this.records -= 1;
    if (this.records === 0) this.head = this.tail = 0;
    else this.head = next;
  }

  private reserve(end: number): void {
    const size = this.buffer?.length ?? 0;
    if (end <= size) return;
    const grown = Buffer.allocUnsafe(size === 0 ? Math.min(this.capacity, Math.max(end, INITIAL_BYTES)) : this.capacity);
    this.buffer?.copy(grown, 0, 0, size);
    this.buffer = grown;
  }
}
