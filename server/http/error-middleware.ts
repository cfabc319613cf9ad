/**
 * The one place where errors become HTTP responses: `{"error": {"code", "message", ...}}` with the error's status.
 * Domain code throws PyreplError; errors from Koa's stack (body parser, router) are mapped to our codes; anything
 * else is an internal_error whose details are logged, never shown.
 */
import type { Context, Next } from 'koa';
import type { Logger } from 'pino';
import { PyreplError, isPyreplError } from '../../protocol/errors.js';

interface HttpishError extends Error {
  status?: number;
  statusCode?: number;
  type?: string;
  expose?: boolean;
  /** raw-body's 413: the limit, in bytes. */
  limit?: number;
}

export function toPyreplError(err: unknown): PyreplError {
  if (isPyreplError(err)) return err;
  const e = err as HttpishError;
  const status = e?.status ?? e?.statusCode;
  if (status === 413 || e?.type === 'entity.too.large') {
    const limit = typeof e.limit === 'number' ? e.limit : null;
    return limit === null
      ? new PyreplError('payload_too_large', 'The request body is larger than the limit.')
      : new PyreplError('payload_too_large', `The request body is larger than the limit of ${limit} bytes (--max-body-bytes).`, { limit_bytes: limit });
  }
  if (status === 415) return new PyreplError('unsupported_media_type', 'The request body must be application/json.');
  if (status === 400 && (e?.type === 'entity.parse.failed' || e instanceof SyntaxError || /JSON/i.test(e?.message ?? ''))) {
    return new PyreplError('invalid_json', 'The request body is not valid JSON.');
  }
  if (status === 404) return new PyreplError('not_found', 'No such endpoint.');
  if (status === 405) return new PyreplError('method_not_allowed', e.message || 'Method not allowed.');
  if (status && status >= 400 && status < 500 && e?.expose) return new PyreplError('invalid_argument', e.message);
  return new PyreplError('internal_error', 'Internal server error.', {}, { cause: err });
}

export function errorMiddleware(log: Logger) {
  return async function errors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
    } catch (err) {
      const error = toPyreplError(err);
      if (error.code === 'internal_error') log.error({ err, path: ctx.path, method: ctx.method }, 'internal error');
      ctx.status = error.status;
      ctx.body = error.toBody();
      const retry = error.details.retry_after_s;
      if (typeof retry === 'number') ctx.set('Retry-After', String(retry));
      if (error.status === 401) ctx.set('WWW-Authenticate', 'Bearer realm="pyrepl"');
    }
  };
}
