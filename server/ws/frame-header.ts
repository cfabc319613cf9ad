/**
 * WebSocket framing for what the server sends (RFC 6455 §5.2): one unfragmented, unmasked frame per message, text for
 * JSON, binary for output a client takes in binary frames. The session's events are encoded once (event-frame.ts) and
 * each client writes the same payload bytes after this small header, straight to its socket: no conversion, measuring
 * or copying per client. Permessage-deflate is off (gateway.ts), so these are exactly the bytes ws's own sender would
 * write.
 */

const FIN_TEXT = 0x81;
const FIN_BINARY = 0x82;

/** The header of a final, unmasked text (or binary) frame carrying `length` payload bytes. */
export function frameHeader(length: number, binary = false): Buffer {
  const first = binary ? FIN_BINARY : FIN_TEXT;
  if (length < 126) {
    const header = Buffer.allocUnsafe(2);
    header[0] = first;
    header[1] = length;
    return header;
  }
  if (length < 0x10000) {
    const header = Buffer.allocUnsafe(4);
    header[0] = first;
    header[1] = 126;
    header.writeUInt16BE(length, 2);
    return header;
  }
  const header = Buffer.allocUnsafe(10);
  header[0] = first;
  header[1] = 127;
  header.writeUInt32BE(Math.floor(length / 0x100000000), 2);
  header.writeUInt32BE(length >>> 0, 6);
  return header;
}
