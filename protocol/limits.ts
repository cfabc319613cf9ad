/**
 * Limits and close codes of the public API, shared by the server, the typed client and the renderer.
 */

/** Request bodies above this are refused with 413: code cells are small; 1 MiB leaves room for pasted data. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

/** WebSocket messages above this close the socket with 1009, like ws's maxPayload. */
export const MAX_WS_MESSAGE_BYTES = 1024 * 1024;

/** WebSocket close codes (RFC 6455 and the 4000–4999 private range). */
export const CLOSE_CODES = {
  normal: 1000,
  goingAway: 1001,
  protocolError: 1002,
  unsupportedData: 1003,
  policyViolation: 1008,
  messageTooBig: 1009,
  internalError: 1011,
  /** The session was closed (by a client, exit(), idle timeout, server shutdown). */
  sessionClosed: 4000,
  /** The session id does not exist. */
  sessionNotFound: 4004,
  /** The pool could not provide a session. */
  poolExhausted: 4029,
  /** An observer fell too far behind even for output_dropped accounting (its socket buffer stayed full). */
  tooSlow: 4008,
} as const;

export type CloseCode = (typeof CLOSE_CODES)[keyof typeof CLOSE_CODES];
