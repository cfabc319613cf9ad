/**
 * Reads the worker's event stream (docs/worker-protocol.md): JSON objects one per `\n`-terminated line, except that
 * an output header (`{"type": "output", ..., "bytes": N}`) is followed by N raw bytes of output. Raw output costs the
 * worker nothing to frame, where escaping it into JSON strings was the most expensive step of streaming.
 *
 * Works on Buffers, so a UTF-8 character split across chunks is never decoded in halves; throws (a broken worker)
 * on a line that is not JSON or longer than the limit.
 */

/** `payload` may be a view of a buffer the reader reuses: it is valid only during the call (decode it there). */
export type FrameHandler = (message: unknown, payload: Buffer | null) => void;

interface Awaiting {
  message: unknown;
  need: number;
  got: number;
  parts: Buffer[];
}

/** The size of the raw payload that follows this header, or -1 when none does. */
function payloadSize(message: unknown): number {
  if (typeof message !== 'object' || message === null) return -1;
  const m = message as { type?: unknown; bytes?: unknown };
  return m.type === 'output' && typeof m.bytes === 'number' && Number.isInteger(m.bytes) && m.bytes >= 0 ? m.bytes : -1;
}

export class FrameReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private awaiting: Awaiting | null = null;
  /**
   * Where a payload that arrived in several reads is put together. Reused: a fresh buffer for each one (nearly every
   * full-size output chunk, since a header and its payload rarely fit one 64 KiB pipe read) cost new memory and its
   * page faults at every chunk, the largest allocation the server made per streamed byte.
   */
  private joined: Buffer = Buffer.alloc(0);

  constructor(private readonly maxLineBytes: number) {}

  push(chunk: Buffer, onFrame: FrameHandler): void {
    let pos = 0;
    while (pos < chunk.length) {
      const awaiting = this.awaiting;
      if (awaiting) {
        const take = Math.min(awaiting.need - awaiting.got, chunk.length - pos);
        awaiting.parts.push(chunk.subarray(pos, pos + take));
        awaiting.got += take;
        pos += take;
        if (awaiting.got === awaiting.need) {
          this.awaiting = null;
          onFrame(awaiting.message, awaiting.parts.length === 1 ? awaiting.parts[0]! : this.join(awaiting.parts, awaiting.need));
        }
        continue;
      }
      const nl = chunk.indexOf(10, pos);
      if (nl === -1) {
        this.pending.push(chunk.subarray(pos));
        this.pendingBytes += chunk.length - pos;
        if (this.pendingBytes > this.maxLineBytes) throw new RangeError(`a line longer than ${this.maxLineBytes} bytes`);
        return;
      }
      let line: string;
      if (this.pendingBytes > 0) {
        this.pending.push(chunk.subarray(pos, nl));
        line = Buffer.concat(this.pending).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
      } else {
        line = chunk.toString('utf8', pos, nl);
      }
      pos = nl + 1;
      if (line.length === 0) continue;
      let message: unknown;
      try {
        message = JSON.parse(line);
      } catch {
        throw new SyntaxError(`not JSON: ${line.length > 120 ? `${line.slice(0, 120)}…` : line}`);
      }
      const size = payloadSize(message);
      if (size > this.maxLineBytes) throw new RangeError(`an output payload of ${size} bytes`);
      if (size > 0) this.awaiting = { message, need: size, got: 0, parts: [] };
      else onFrame(message, size === 0 ? Buffer.alloc(0) : null);
    }
  }

  private join(parts: Buffer[], length: number): Buffer {
    if (this.joined.length < length) this.joined = Buffer.allocUnsafe(length);
    let at = 0;
    for (const part of parts) at += part.copy(this.joined, at);
    return this.joined.subarray(0, length);
  }
}
