/** Reading an output event out of its binary WebSocket frame (the layout: protocol/binary-output.ts). */
import type { WsServerMessage } from '../protocol/api-messages.js';
import { BINARY_OUTPUT_LENGTH_BYTES } from '../protocol/binary-output.js';

const utf8 = new TextDecoder();

/** The output event a binary frame carries, as the JSON frame would give it; null when the bytes are not one. */
export function decodeBinaryOutput(bytes: Uint8Array): WsServerMessage | null {
  if (bytes.length < BINARY_OUTPUT_LENGTH_BYTES) return null;
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(0);
  const dataStart = BINARY_OUTPUT_LENGTH_BYTES + headerBytes;
  if (dataStart > bytes.length) return null;
  try {
    const header = JSON.parse(utf8.decode(bytes.subarray(BINARY_OUTPUT_LENGTH_BYTES, dataStart))) as { type?: unknown };
    if (header.type !== 'output') return null;
    return { ...header, data: utf8.decode(bytes.subarray(dataStart)) } as WsServerMessage;
  } catch {
    return null;
  }
}

/** The bytes of a binary message as WebSocket implementations hand them over (ArrayBuffer, Buffer, typed array). */
export function messageBytes(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return null;
}
