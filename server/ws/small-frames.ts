/**
 * The small frames of a client's batch (ws-client.ts), kept aside and written to the socket as one buffer, headers
 * included, when the batch leaves. A `1+1` is six small frames: written one by one they were twelve trips through the
 * socket's stream machinery (header and payload each) and six header allocations; copied into one buffer they are one
 * write, and the copy costs less than a single one of those trips.
 */
import { headerLength, writeFrameHeader } from './frame-header.js';

/**
 * Frames up to this size are copied into the batch; bigger ones (large output) are written as they are, since copying
 * them would cost more than the write it saves.
 */
export const SMALL_FRAME_MAX_BYTES = 16 * 1024;

/**
 * The batch goes to the socket once it holds this much, so what is kept outside the socket's own buffer (and its
 * bufferedAmount) stays small however many frames one turn produces (a replay, a burst of events).
 */
export const SMALL_BATCH_MAX_BYTES = 64 * 1024;

export class SmallFrames {
  private readonly payloads: Buffer[] = [];
  private readonly binary: boolean[] = [];
  /** Bytes the batch will write: headers and payloads. */
  bytes = 0;

  get isEmpty(): boolean {
    return this.payloads.length === 0;
  }

  add(payload: Buffer, binary: boolean): void {
    this.payloads.push(payload);
    this.binary.push(binary);
    this.bytes += headerLength(payload.length) + payload.length;
  }

  /** The frames, each with its header, in one buffer; the batch is empty afterwards. */
  take(): Buffer {
    const out = Buffer.allocUnsafe(this.bytes);
    let at = 0;
    for (let i = 0; i < this.payloads.length; i++) {
      const payload = this.payloads[i]!;
      at = writeFrameHeader(out, at, payload.length, this.binary[i]!);
      at += payload.copy(out, at);
    }
    this.clear();
    return out;
  }

  clear(): void {
    // Emptied in place: a batch leaves every turn, and new arrays each time were garbage on every execution.
    this.payloads.length = 0;
    this.binary.length = 0;
    this.bytes = 0;
  }
}
