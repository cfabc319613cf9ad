/**
 * A session event's WebSocket frames, each encoded once and sent as is to every client that takes it, and kept in the
 * replay buffer: the event's JSON (a text frame), and for output also the binary frame (protocol/binary-output.ts).
 *
 * Output events, which carry nearly all the bytes, skip the generic path: only their data string is quoted (see
 * quotedBody) and the small envelope around it is built as text. Large ones become split frames (frame.ts): the
 * envelope's bytes, then the text, encoded where it is written. The JSON is the same, keys in the same order, as
 * JSON.stringify of the event.
 */
import type { SessionEventApi, UnsequencedEvent } from '../../protocol/api-messages.js';
import { BINARY_OUTPUT_LENGTH_BYTES } from '../../protocol/binary-output.js';
import { eventJson, QuotedIds } from './event-json.js';
import { SPLIT_MIN_CHARS, split, type Frame } from './frame.js';

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

/** Takes `partial` over: seq and session_id are added in place (an object spread here cost more than the JSON). */
export function numbered(partial: UnsequencedEvent, seq: number, sessionId: string): SessionEventApi {
  const event = partial as SessionEventApi;
  event.seq = seq;
  event.session_id = sessionId;
  return event;
}

/**
 * The event's JSON text frame: the same text, keys in the same order, as JSON.stringify(event). `ids` quotes the ids
 * the session's events repeat (an event log keeps one); without it they are quoted here.
 */
export function jsonFrame(event: SessionEventApi, ids: QuotedIds = new QuotedIds(event.session_id)): { frame: Frame; dataBytes: number } {
  if (event.type === 'output') {
    const tail = `,"seq":${event.seq},"session_id":${ids.session}}`;
    const head = `{"type":"output","execution_id":${ids.execution(event.execution_id)},"stream":"${event.stream}","data":"`;
    const body = quotedBody(event.data);
    const end = `"${tail}`;
    // Envelope and escape sequences are ASCII (one byte per char); the data's own chars are what remains. Exact for
    // well-formed strings, which decoded worker output always is.
    const frame = body.length < SPLIT_MIN_CHARS ? Buffer.from(head + body + end, 'utf8') : split(head, body + end);
    return { frame, dataBytes: frame.length - head.length - end.length - (body.length - event.data.length) };
  }
  // seq and session_id were added last (numbered), so they come last, as in every frame.
  return { frame: Buffer.from(eventJson(event, ids), 'utf8'), dataBytes: 0 };
}

/**
 * An output event's binary frame (protocol/binary-output.ts): its header and its data as UTF-8, no escaping. `ids`
 * quotes the ids, as for jsonFrame.
 */
export function binaryOutputFrame(
  event: SessionEventApi & { type: 'output' },
  ids: QuotedIds = new QuotedIds(event.session_id),
): { frame: Frame; dataBytes: number } {
  const header = Buffer.from(
    `____{"type":"output","execution_id":${ids.execution(event.execution_id)},"stream":"${event.stream}","seq":${event.seq},"session_id":${ids.session}}`,
    'utf8',
  );
  header.writeUInt32BE(header.length - BINARY_OUTPUT_LENGTH_BYTES, 0); // over the four placeholder bytes
  const frame = event.data.length < SPLIT_MIN_CHARS ? Buffer.concat([header, Buffer.from(event.data, 'utf8')]) : split(header, event.data);
  return { frame, dataBytes: frame.length - header.length };
}

/** The data of an output event's binary frame. */
export function binaryOutputData(frame: Frame): string {
  if (!Buffer.isBuffer(frame)) return frame.text;
  return frame.toString('utf8', BINARY_OUTPUT_LENGTH_BYTES + frame.readUInt32BE(0));
}
