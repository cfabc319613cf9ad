/**
 * An `output` event in a binary WebSocket frame (a client that connected with `/ws?output=binary`):
 *
 *   bytes 0-3   N, the length of the header, unsigned 32-bit big-endian
 *   next N      the header: the event's JSON in UTF-8 without `data`
 *               {"type":"output","execution_id":...,"stream":"stdout","seq":12,"session_id":...}
 *   the rest    `data`, in UTF-8
 *
 * Every other message stays a JSON text frame, and the event is the same as in JSON (same seq, same data) once `data`
 * is decoded. A frame never ends inside a character (the server decodes the worker's output before framing it), so
 * each one decodes on its own.
 */
export const BINARY_OUTPUT_LENGTH_BYTES = 4;
