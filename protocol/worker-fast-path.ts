/**
 * Hand-written checks for the worker messages every execution sends (output headers, result, execute_reply) and the
 * two of every input() round trip (input_request, ack). The zod schemas in worker-messages.ts stay the contract; these accept exactly a subset of what those accept and
 * build the same output (unknown keys dropped, as z.object does), and return undefined for anything else, so the
 * caller falls back to zod for the full check and its error. A `1+1` round trip spent about as long in
 * discriminated-union parsing as the worker spent evaluating the code; worker-fast-path.test.ts holds the two to
 * agreement on valid and invalid messages.
 */
import type {
  ExecuteReplyEvent,
  InputRequestEvent,
  OutputFrameHeader,
  ResultEvent,
  WorkerEvent,
} from './worker-messages.js';

type AckEvent = Extract<WorkerEvent, { type: 'ack' }>;

type Loose = Record<string, unknown>;

const isId = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);

export function fastOutputHeader(message: unknown): OutputFrameHeader | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Loose;
  const { execution_id, stream, bytes } = m;
  if (m.type !== 'output' || (execution_id !== null && !isId(execution_id))) return undefined;
  if ((stream !== 'stdout' && stream !== 'stderr') || !isInt(bytes) || bytes < 0) return undefined;
  return { type: 'output', execution_id, stream, bytes };
}

/**
 * result, execute_reply, input_request or ack when `message` is a valid one; undefined otherwise (including every
 * other type). input_request and ack are the two halves of every input() round trip.
 */
export function fastExecutionEvent(
  message: unknown,
): ResultEvent | ExecuteReplyEvent | InputRequestEvent | AckEvent | undefined {
  if (typeof message !== 'object' || message === null) return undefined;
  const m = message as Loose;
  if (m.type === 'ack') return isId(m.request_id) ? { type: 'ack', request_id: m.request_id } : undefined;
  if (!isId(m.execution_id)) return undefined;
  if (m.type === 'execute_reply') {
    const { status, execution_count, execution_time } = m;
    if (status !== 'ok' && status !== 'error' && status !== 'aborted') return undefined;
    if (!isInt(execution_count) || typeof execution_time !== 'number' || !Number.isFinite(execution_time)) return undefined;
    return { type: 'execute_reply', execution_id: m.execution_id, status, execution_count, execution_time };
  }
  if (m.type === 'result') {
    if (typeof m.repr !== 'string') return undefined;
    const event: ResultEvent = { type: 'result', execution_id: m.execution_id, repr: m.repr };
    if ('value' in m) event.value = m.value;
    if ('execution_count' in m) {
      // Present but undefined cannot come from JSON; zod keeps such a key, so this does too.
      if (m.execution_count !== undefined && !isInt(m.execution_count)) return undefined;
      event.execution_count = m.execution_count as number;
    }
    return event;
  }
  if (m.type === 'input_request') {
    const { token, prompt, password } = m;
    if (!isId(token) || typeof prompt !== 'string' || typeof password !== 'boolean') return undefined;
    return { type: 'input_request', execution_id: m.execution_id, token, prompt, password };
  }
  return undefined;
}
