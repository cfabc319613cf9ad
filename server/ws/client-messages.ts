/**
 * Reading one client message: JSON, then the schema. The two messages of every execution (execute and
 * input_response) are checked by hand first; anything the hand check does not accept goes through zod, which stays the
 * contract and gives the error. The hand check accepts a subset of what the schema accepts and builds the same result
 * (an unknown key is refused, as the strict schema does); client-messages.test.ts holds the two to agreement.
 */
import { TransactionPolicy } from '../../protocol/worker-messages.js';
import { WsClientMessage, WsExecute, WsInputResponse } from '../../protocol/api-messages.js';
import { PyreplError } from '../../protocol/errors.js';
import { describeIssue } from '../http/validate.js';

type Loose = Record<string, unknown>;
type Execute = Extract<WsClientMessage, { type: 'execute' }>;
type InputResponse = Extract<WsClientMessage, { type: 'input_response' }>;

export type ParsedClientMessage =
  | { ok: true; message: WsClientMessage; requestId: string | undefined }
  | { ok: false; error: PyreplError; requestId: string | undefined };

const POLICIES: ReadonlySet<unknown> = new Set(TransactionPolicy.options);
const MAX_TIMEOUT_S = 24 * 3600;
const EXECUTE_KEYS: ReadonlySet<string> = new Set(Object.keys(WsExecute.shape));
const INPUT_RESPONSE_KEYS: ReadonlySet<string> = new Set(Object.keys(WsInputResponse.shape));

function onlyKeys(m: Loose, keys: ReadonlySet<string>): boolean {
  for (const key in m) if (!keys.has(key)) return false;
  return true;
}

function requestIdOk(v: unknown): v is string | undefined {
  return v === undefined || (typeof v === 'string' && v.length >= 1 && v.length <= 200);
}

/** execute / input_response when `raw` is a valid one; undefined for anything else. */
export function fastClientMessage(raw: unknown): WsClientMessage | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const m = raw as Loose;
  const { request_id } = m;
  if (!requestIdOk(request_id)) return undefined;
  if (m.type === 'execute') {
    const { code, timeout, transaction_policy } = m;
    if (typeof code !== 'string' || !onlyKeys(m, EXECUTE_KEYS)) return undefined;
    if (timeout !== undefined && !(typeof timeout === 'number' && timeout > 0 && timeout <= MAX_TIMEOUT_S)) return undefined;
    if (transaction_policy !== undefined && !POLICIES.has(transaction_policy)) return undefined;
    const message: Execute = { type: 'execute', code };
    if (transaction_policy !== undefined) message.transaction_policy = transaction_policy as TransactionPolicy;
    if (timeout !== undefined) message.timeout = timeout;
    if (request_id !== undefined) message.request_id = request_id;
    return message;
  }
  if (m.type === 'input_response') {
    const { token, data } = m;
    if (typeof token !== 'string' || token.length < 1 || typeof data !== 'string' || !onlyKeys(m, INPUT_RESPONSE_KEYS)) return undefined;
    const message: InputResponse = { type: 'input_response', token, data };
    if (request_id !== undefined) message.request_id = request_id;
    return message;
  }
  return undefined;
}

/** Parses and validates one text frame; on failure, the error to answer with (and the request_id it carried). */
export function parseClientMessage(text: string): ParsedClientMessage {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: new PyreplError('invalid_json', 'The message is not valid JSON.'), requestId: undefined };
  }
  const fast = fastClientMessage(raw);
  if (fast) return { ok: true, message: fast, requestId: 'request_id' in fast ? fast.request_id : undefined };
  const requestId =
    raw && typeof raw === 'object' && typeof (raw as { request_id?: unknown }).request_id === 'string'
      ? (raw as { request_id: string }).request_id
      : undefined;
  const parsed = WsClientMessage.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data, requestId };
  const type = (raw as { type?: unknown } | null)?.type;
  const schema = WsClientMessage.options.find((o) => o.shape.type.value === type);
  const error = schema
    ? new PyreplError('invalid_argument', describeIssue(parsed.error.issues[0], schema, 'message'))
    : new PyreplError('unknown_message_type', `Unknown message type ${JSON.stringify(type)}.`);
  return { ok: false, error, requestId };
}
