/**
 * WebSocket framing for what the server sends (RFC 6455 §5.2): one unfragmented, unmasked frame per message, text for
 * JSON, binary for output a client takes in binary frames. The session's events are encoded once (event-frame.ts) and
 * each client writes the same payload bytes after this small header, straight to its socket: no conversion, measuring
 * or copying per client. Permessage-deflate is off (gateway.ts), so these are exactly the bytes ws's own sender would
 * write.
 */

const FIN_TEXT = 0x81;
const FIN_BINARY = 0x82;

/** Bytes of the header of a frame carrying `length` payload bytes. */
export function headerLength(length: number): number {
  return length < 126 ? 2 : length < 0x10000 ? 4 : 10;
}

/** Writes the header of a final, unmasked text (or binary) frame of `length` payload bytes at `at`; returns its end. */
export function writeFrameHeader(target: Buffer, at: number, length: number, binary: boolean): number {
  target[at] = binary ? FIN_BINARY : FIN_TEXT;
  if (length < 126) {
    target[at + 1] = length;
    return at + 2;
  }
  if (length < 0x10000) {
    target[at + 1] = 126;
    target.writeUInt16BE(length, at + 2);
    return at + 4;
  }
  target[at + 1] = 127;
  target.writeUInt32BE(Math.floor(length / 0x100000000), at + 2);
  target.writeUInt32BE(length >>> 0, at + 6);
  return at + 10;
}

/** The header of a final, unmasked text (or binary) frame carrying `length` payload bytes. */
export function frameHeader(length: number, binary = false): Buffer {
  const header = Buffer.allocUnsafe(headerLength(length));
  writeFrameHeader(header, 0, length, binary);
  return header;
}
