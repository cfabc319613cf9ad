/**
 * The error every client call throws when the server refuses: the API's `{"error": {"code", "message", ...}}` body
 * (REST) or a WebSocket `request_error`, with the code to branch on (docs/errors.md) and any extra fields in `details`.
 */
import { ERROR_CODES, type ErrorCode } from '../protocol/errors.js';

export class PyreplApiError extends Error {
  /** A code from docs/errors.md; `http_<status>` when the body was not the API's error format (e.g. a proxy's page). */
  readonly code: ErrorCode | (string & {});
  /** The HTTP status; for WebSocket errors the status the same code has over REST. */
  readonly status: number;
  /** The error object's other fields, e.g. `session_id`, `retry_after_s`, `issues`. */
  readonly details: Record<string, unknown>;

  constructor(code: string, status: number, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'PyreplApiError';
    this.code = code;
    this.status = status;
    this.details = details;
  }

  /** From a non-2xx REST response's status and body text. */
  static fromResponse(status: number, text: string): PyreplApiError {
    let parsed: unknown = null;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON: fall through to the generic error */
    }
    const error = (parsed as { error?: unknown } | null)?.error;
    if (error && typeof error === 'object' && typeof (error as { code?: unknown }).code === 'string') {
      return PyreplApiError.fromErrorObject(error as Record<string, unknown>, status);
    }
    return new PyreplApiError(`http_${status}`, status, text.slice(0, 200) || `HTTP ${status}`);
  }

  /** From the `error` object of a REST body or a WebSocket request_error. */
  static fromErrorObject(error: Record<string, unknown>, status?: number): PyreplApiError {
    const { code, message, ...details } = error;
    const known = ERROR_CODES[code as ErrorCode] as { status: number } | undefined;
    return new PyreplApiError(String(code), status ?? known?.status ?? 0, String(message ?? code), details);
  }
}

export function isPyreplApiError(value: unknown, code?: string): value is PyreplApiError {
  return value instanceof PyreplApiError && (code === undefined || value.code === code);
}
