/**
 * The one error hierarchy. Every error the product reports carries a stable `code` (clients branch on it), the HTTP
 * status it maps to, and a message. Codes are documented in docs/errors.md; a test fails when one is missing there.
 */

export const ERROR_CODES = {
  // --- runtime / sessions
  python_not_found: { status: 500, summary: 'No usable Python interpreter was found (PYREPL_PYTHON, bundled, python3 on PATH).' },
  python_too_old: { status: 500, summary: 'The Python interpreter found is older than the minimum supported version (3.9).' },
  worker_start_failed: { status: 500, summary: 'The Python worker process exited or timed out before it was ready.' },
  worker_protocol_error: { status: 500, summary: 'The worker sent something that is not a valid protocol message; the worker was killed.' },
  session_dead: { status: 409, summary: 'The session\'s worker has died; restart the session or create a new one.' },
  session_closed: { status: 409, summary: 'The session has been closed.' },
  session_not_found: { status: 404, summary: 'No session with that id.' },
  queue_full: { status: 429, summary: 'Too many executions are queued on this session.' },
  unknown_input_token: { status: 409, summary: 'The input token does not match the pending input request of this session (unknown, answered or stale).' },
  request_timeout: { status: 504, summary: 'The worker did not answer a request (complete, inspect, heartbeat, ...) in time.' },
  // --- pool
  pool_exhausted: { status: 503, summary: 'No session became available within the acquire timeout: the pool is at max_sessions.' },
  pool_shut_down: { status: 503, summary: 'The pool is shutting down or has shut down.' },
  // --- API
  job_not_found: { status: 404, summary: 'No job with that id (unknown, or finished and expired).' },
  unauthorized: { status: 401, summary: 'The request has no valid token (Authorization: Bearer, the session cookie, or the WebSocket auth message).' },
  forbidden_host: { status: 403, summary: 'The Host header is not a loopback name or address with the server\'s port (DNS-rebinding defence).' },
  forbidden_origin: { status: 403, summary: 'The Origin is not the server\'s own nor an allowed one.' },
  read_only: { status: 403, summary: 'An observer tried to drive the session (execute, input, interrupt, close).' },
  not_found: { status: 404, summary: 'No such endpoint.' },
  method_not_allowed: { status: 405, summary: 'The endpoint does not accept that method.' },
  invalid_json: { status: 400, summary: 'The body (or WebSocket message) is not valid JSON.' },
  unsupported_media_type: { status: 415, summary: 'The request body is not application/json.' },
  payload_too_large: { status: 413, summary: 'The request body or WebSocket message is larger than the limit.' },
  unknown_message_type: { status: 400, summary: 'A WebSocket message with a type the server does not know.' },
  // --- generic
  invalid_argument: { status: 400, summary: 'A parameter has the wrong type or value.' },
  internal_error: { status: 500, summary: 'An unexpected error inside the server. Its details are logged, not shown.' },
} as const satisfies Record<string, { status: number; summary: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; [extra: string]: unknown };
}

export class PyreplError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Whether the message may be shown to a client; internal errors are logged, not exposed. */
  readonly expose: boolean;
  readonly details: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PyreplError';
    this.code = code;
    this.status = ERROR_CODES[code].status;
    this.expose = code !== 'internal_error';
    this.details = details;
  }

  toBody(): ErrorBody {
    return { error: { ...this.details, code: this.code, message: this.message } };
  }
}

export function isPyreplError(value: unknown, code?: ErrorCode): value is PyreplError {
  return value instanceof PyreplError && (code === undefined || value.code === code);
}
