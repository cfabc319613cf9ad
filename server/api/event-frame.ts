/**
 * A session event's WebSocket frame, encoded once: the UTF-8 bytes of its JSON, sent as is to every client (ws sends a
 * Buffer without converting or measuring it again) and kept in the replay buffer.
 *
 * Output events, which carry nearly all the bytes, skip the generic path: only their data string is quoted (see
 * quotedBody), the small envelope around it is built as text, the text is written into a buffer sized for the
 * common case (no measuring pass over a large string first), and the data's UTF-8 size falls out of the frame's
 * length. The result is the same JSON, keys in the same order, as JSON.stringify of the event.
 */
import type { SessionEventApi, UnsequencedEvent } from '../../protocol/api-messages.js';
import { BINARY_OUTPUT_LENGTH_BYTES } from '../../protocol/binary-output.js';

export interface EncodedEvent {
  event: SessionEventApi;
  frame: Buffer;
  /** Output events: the data's size in UTF-8 bytes (0 for other events). */
  dataBytes: number;
}

/** Room for a few multi-byte characters before the one-byte guess has to be measured after all. */
const SLACK_BYTES = 256;

/**
 * From this size on, output data is checked for the quick quoting of quotedBody: below it the checks cost more than
 * they save (they are a fixed 33 scans), and nearly all of the bytes of a large output come in chunks far above it.
 */
const QUICK_QUOTE_MIN_CHARS = 4096;

/** Every character JSON.stringify escapes in a well-formed string, except the newline. */
const ESCAPED_EXCEPT_NEWLINE: readonly string[] = [
  ...Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).filter((c) => c !== '\n'),
  '"',
  '\\',
];

/**
 * JSON.stringify(data) without its two quotes. Output is mostly lines of plain text, where the newline is the only
 * character JSON escapes: then replacing newlines is the whole job, and 33 native scans that prove it plus the
 * replacement cost about half of JSON.stringify's character-by-character pass (about 1 ns of the server's ~5 ns per
 * streamed byte). Anything else (tabs, ANSI colours, quotes, lone surrogates) takes JSON.stringify.
 */
function quotedBody(data: string): string {
  if (data.length >= QUICK_QUOTE_MIN_CHARS && data.isWellFormed()) {
    let plain = true;
    for (const c of ESCAPED_EXCEPT_NEWLINE) {
      if (data.includes(c)) {
        plain = false;
        break;
      }
    }
    if (plain) return data.replaceAll('\n', '\\n');
  }
  return JSON.stringify(data).slice(1, -1);
}

/** Takes `partial` over: it becomes the event (seq and session_id added), so callers pass a fresh object. */
export function encodeEvent(partial: UnsequencedEvent, seq: number, sessionId: string): EncodedEvent {
  const event = numbered(partial, seq, sessionId);
  return { event, ...jsonFrame(event) };
}

/** Adds seq and session_id in place (an object spread here cost more than the JSON). */
export function numbered(partial: UnsequencedEvent, seq: number, sessionId: string): SessionEventApi {
  const event = partial as SessionEventApi;
  event.seq = seq;
  event.session_id = sessionId;
  return event;
}

/** The event's JSON text frame: the same text, keys in the same order, as JSON.stringify(event). */
export function jsonFrame(event: SessionEventApi): { frame: Buffer; dataBytes: number } {
  const tail = `,"seq":${event.seq},"session_id":${JSON.stringify(event.session_id)}}`;
  if (event.type === 'output') {
    const head = `{"type":"output","execution_id":${JSON.stringify(event.execution_id)},"stream":${JSON.stringify(event.stream)},"data":"`;
    const body = quotedBody(event.data);
    const end = `"${tail}`;
    const frame = utf8(head, body, end);
    // Envelope and escape sequences are ASCII (one byte per char); the data's own chars are what remains. Exact for
    // well-formed strings, which decoded worker output always is.
    const dataBytes = frame.length - head.length - end.length - (body.length - event.data.length);
    return { frame, dataBytes };
  }
  const { seq, session_id, ...rest } = event;
  const json = JSON.stringify(rest);
  return { frame: Buffer.from(json.length > 2 ? json.slice(0, -1) + tail : `{${tail.slice(1)}`, 'utf8'), dataBytes: 0 };
}

/**
 * An output event's binary frame (protocol/binary-output.ts): its header and its data as UTF-8, no escaping. Written
 * into one buffer sized for mostly one-byte text, measured first only when it is not.
 */
export function binaryOutputFrame(event: SessionEventApi & { type: 'output' }): { frame: Buffer; dataBytes: number } {
  const header = `{"type":"output","execution_id":${JSON.stringify(event.execution_id)},"stream":${JSON.stringify(event.stream)},"seq":${event.seq},"session_id":${JSON.stringify(event.session_id)}}`;
  const headerBytes = Buffer.byteLength(header);
  const start = BINARY_OUTPUT_LENGTH_BYTES + headerBytes;
  const room = start + event.data.length + SLACK_BYTES;
  let frame = Buffer.allocUnsafe(room);
  let dataBytes = frame.write(event.data, start, 'utf8');
  if (start + dataBytes > room - 4) {
    // Possibly cut short (more multi-byte characters than the slack): measure, and write it again.
    frame = Buffer.allocUnsafe(start + Buffer.byteLength(event.data));
    dataBytes = frame.write(event.data, start, 'utf8');
  }
  frame.writeUInt32BE(headerBytes, 0);
  frame.write(header, BINARY_OUTPUT_LENGTH_BYTES, 'utf8');
  return { frame: frame.subarray(0, start + dataBytes), dataBytes };
}

/** The data of an output event's binary frame. */
export function binaryOutputData(frame: Buffer): string {
  return frame.toString('utf8', BINARY_OUTPUT_LENGTH_BYTES + frame.readUInt32BE(0));
}

/**
 * Buffer.from(head + body + tail, 'utf8') without concatenating the (possibly large) body into a new string and without
 * a length pass over it first, when the text is (nearly) all ASCII, as output mostly is.
 */
function utf8(head: string, body: string, tail: string): Buffer {
  if (body.length < 4096) return Buffer.from(head + body + tail, 'utf8');
  const room = head.length + body.length + tail.length + SLACK_BYTES;
  const buffer = Buffer.allocUnsafe(room);
  let at = buffer.write(head, 0, 'utf8');
  at += buffer.write(body, at, 'utf8');
  // A write that stopped short leaves less room than the next character needed (at most 4 bytes).
  if (room - at < 4 + Buffer.byteLength(tail)) return Buffer.from(head + body + tail, 'utf8');
  at += buffer.write(tail, at, 'utf8');
  return buffer.subarray(0, at);
}
