/**
 * Splits a byte stream into `\n`-terminated lines (the worker channel's framing). Works on Buffers so a UTF-8
 * character split across chunks is never decoded in halves, and keeps a partial line until its newline arrives.
 */
export class LineSplitter {
  private pending: Buffer[] = [];
  private pendingBytes = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Calls onLine for each complete line in `chunk`; throws RangeError when a line exceeds maxLineBytes. */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let start = 0;
    let nl = chunk.indexOf(10, start);
    while (nl !== -1) {
      if (this.pendingBytes > 0) {
        this.pending.push(chunk.subarray(start, nl));
        const line = Buffer.concat(this.pending).toString('utf8');
        this.pending = [];
        this.pendingBytes = 0;
        onLine(line);
      } else {
        onLine(chunk.toString('utf8', start, nl));
      }
      start = nl + 1;
      nl = chunk.indexOf(10, start);
    }
    if (start < chunk.length) {
      this.pending.push(chunk.subarray(start));
      this.pendingBytes += chunk.length - start;
      if (this.pendingBytes > this.maxLineBytes) {
        throw new RangeError(`protocol line longer than ${this.maxLineBytes} bytes`);
      }
    }
  }
}
