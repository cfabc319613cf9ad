/**
 * The public API's messages, defined once: REST bodies and WebSocket frames in both directions. The server validates
 * with these schemas, the typed client is typed by them, and /openapi.json and /ws-schema.json are generated from them.
 */
import { z } from 'zod';
import { LimitKind, NamespaceVariable, Stream, TransactionPolicy } from './worker-messages.js';

export const SessionState = z.enum(['starting', 'idle', 'busy', 'waiting_input', 'dead', 'closed']);
export type SessionState = z.infer<typeof SessionState>;

export const Role = z.enum(['owner', 'observer']);
export type Role = z.infer<typeof Role>;

/**
 * How a WebSocket client takes `output` events (`/ws?output=…`): as JSON text frames like every other event (`json`,
 * the default), or as binary frames (`binary`, laid out in binary-output.ts), which skip escaping the data into JSON
 * and parsing it back out: the way to take large output.
 */
export const OutputEncoding = z.enum(['json', 'binary']);
export type OutputEncoding = z.infer<typeof OutputEncoding>;

const id = z.string().min(1).max(200);
/** Wall-clock limit in seconds, as users think of it; the server converts. */
const timeoutSeconds = z.number().positive().max(24 * 3600);

// ---------------------------------------------------------------------------------------------- REST bodies
// What clients send is strict: an unknown field (`timout` for `timeout`) is refused, not silently ignored.

export const PendingInput = z.object({
  execution_id: z.string(),
  token: z.string(),
  prompt: z.string(),
  password: z.boolean(),
});
export type PendingInput = z.infer<typeof PendingInput>;

export const SessionSummary = z.object({
  session_id: z.string(),
  state: SessionState,
  created_at: z.string(),
  last_activity: z.string(),
  execution_count: z.number().int(),
  queue_length: z.number().int(),
  clients: z.object({ owners: z.number().int(), observers: z.number().int() }),
  pending_input: PendingInput.nullable(),
  python_version: z.string().nullable(),
  last_seq: z.number().int(),
});
export type SessionSummary = z.infer<typeof SessionSummary>;

export const ExecuteBody = z.strictObject({
  code: z.string().max(1024 * 1024),
  /** Lines answered to input() in order; without them input() raises EOFError, as with a closed stdin. */
  stdin: z.array(z.string()).max(10_000).optional(),
  timeout: timeoutSeconds.optional(),
  transaction_policy: TransactionPolicy.optional(),
  /** Run as an async job: 202 {job_id} at once. */
  async: z.boolean().optional(),
});
export type ExecuteBody = z.infer<typeof ExecuteBody>;

export const OneShotBody = ExecuteBody.omit({ async: true, transaction_policy: true });
export type OneShotBody = z.infer<typeof OneShotBody>;

export const OutputChunk = z.object({ stream: Stream, data: z.string() });

export const ExecutionResultValue = z.object({
  repr: z.string(),
  value: z.unknown().optional(),
  execution_count: z.number().int().optional(),
});

export const ExecutionErrorValue = z.object({
  exception: z.string(),
  message: z.string(),
  traceback: z.string(),
  limit: LimitKind.optional(),
});

export const ExecuteResponse = z.object({
  execution_id: z.string(),
  status: z.enum(['ok', 'error', 'aborted']),
  outputs: z.array(OutputChunk),
  stdout: z.string(),
  stderr: z.string(),
  result: ExecutionResultValue.nullable(),
  error: ExecutionErrorValue.nullable(),
  /** Seconds, measured in the worker. */
  execution_time: z.number(),
  /** Present when the code ended the session with exit()/sys.exit(): the code it exited with. */
  exit_code: z.union([z.number(), z.string(), z.null()]).optional(),
});
export type ExecuteResponse = z.infer<typeof ExecuteResponse>;

export const JobState = z.enum(['queued', 'running', 'waiting_input', 'finished']);
export const JobInfo = z.object({
  job_id: z.string(),
  session_id: z.string(),
  state: JobState,
  created_at: z.string(),
  finished_at: z.string().nullable(),
  outputs: z.array(OutputChunk),
  pending_input: PendingInput.nullable(),
  /** Present once finished. */
  response: ExecuteResponse.nullable(),
});
export type JobInfo = z.infer<typeof JobInfo>;

export const JobAccepted = z.object({ job_id: z.string(), execution_id: z.string(), session_id: z.string() });
export type JobAccepted = z.infer<typeof JobAccepted>;
export const Ack = z.object({ ok: z.literal(true) });
export const InterruptResponse = z.object({ interrupted: z.boolean() });
export const SessionClosedResponse = z.object({ session_id: z.string(), state: z.literal('closed') });

export const InputBody = z.strictObject({ token: z.string().min(1), data: z.string().max(1024 * 1024) });
export const CompleteBody = z.strictObject({ code: z.string().max(1024 * 1024), cursor: z.number().int().nonnegative().optional() });
export const IsCompleteBody = z.strictObject({ code: z.string().max(1024 * 1024) });

export const CompleteResponse = z.object({
  matches: z.array(z.string()),
  cursor_start: z.number().int(),
  cursor_end: z.number().int(),
});
export const IsCompleteResponse = z.object({ status: z.enum(['complete', 'incomplete', 'invalid']), indent: z.string() });
export const NamespaceResponse = z.object({ variables: z.array(NamespaceVariable) });

export const HealthResponse = z.object({
  status: z.enum(['ok', 'degraded']),
  pool: z.object({
    idle: z.number().int(),
    active: z.number().int(),
    starting: z.number().int(),
    total: z.number().int(),
    max: z.number().int(),
    waiting: z.number().int(),
  }),
});

export const ErrorResponse = z.object({
  error: z.object({ code: z.string(), message: z.string() }).catchall(z.unknown()),
});

// ---------------------------------------------------------------------------------------------- WebSocket: client → server
// Strict, as the REST bodies are.

export const WsExecute = z.strictObject({
  type: z.literal('execute'),
  code: z.string(),
  transaction_policy: TransactionPolicy.optional(),
  timeout: timeoutSeconds.optional(),
  /** Echoed back on the client's own replies so it can match them. */
  request_id: id.optional(),
});
export const WsInputResponse = z.strictObject({ type: z.literal('input_response'), token: z.string().min(1), data: z.string(), request_id: id.optional() });
export const WsInterrupt = z.strictObject({ type: z.literal('interrupt'), request_id: id.optional() });
export const WsComplete = z.strictObject({ type: z.literal('complete'), code: z.string(), cursor: z.number().int().nonnegative().optional(), request_id: id.optional() });
export const WsIsComplete = z.strictObject({ type: z.literal('is_complete'), code: z.string(), request_id: id.optional() });
export const WsCloseSession = z.strictObject({ type: z.literal('close_session'), request_id: id.optional() });
export const WsPing = z.strictObject({ type: z.literal('ping'), request_id: id.optional() });
/**
 * Backpressure from the client's side (a browser cannot pause a WebSocket): `paused: true` while the client's own
 * backlog is full. An owner then holds the worker back as a slow socket does; an observer skips output (and gets
 * `output_dropped`) as a slow observer does, until `paused: false`. No reply.
 */
export const WsFlow = z.strictObject({ type: z.literal('flow'), paused: z.boolean(), request_id: id.optional() });
/** Browser-friendly auth: the first message on a socket opened without a token (see docs/api.md). */
export const WsAuth = z.strictObject({ type: z.literal('auth'), token: z.string() });

export const WsClientMessage = z.discriminatedUnion('type', [
  WsExecute,
  WsInputResponse,
  WsInterrupt,
  WsComplete,
  WsIsComplete,
  WsCloseSession,
  WsPing,
  WsFlow,
  WsAuth,
]);
export type WsClientMessage = z.infer<typeof WsClientMessage>;

/** Client messages an observer may not send. */
export const OWNER_ONLY_MESSAGES: ReadonlySet<WsClientMessage['type']> = new Set(['execute', 'input_response', 'interrupt', 'close_session']);

// ---------------------------------------------------------------------------------------------- WebSocket: server → client

/** Events of a session: every one carries `seq` (per session, +1 each) and is kept for replay. */
const sessionEvent = { seq: z.number().int().positive(), session_id: z.string() };

export const ExecuteInputEvent = z.object({ type: z.literal('execute_input'), ...sessionEvent, execution_id: z.string(), code: z.string(), source: z.enum(['ws', 'rest', 'job']) });
export const OutputEventApi = z.object({ type: z.literal('output'), ...sessionEvent, execution_id: z.string().nullable(), stream: Stream, data: z.string() });
export const InputRequestEventApi = z.object({ type: z.literal('input_request'), ...sessionEvent, execution_id: z.string(), token: z.string(), prompt: z.string(), password: z.boolean() });
/** The answer to an input request, for observers; `data` is null for password input. */
export const InputResponseEventApi = z.object({ type: z.literal('input_response'), ...sessionEvent, execution_id: z.string(), token: z.string(), data: z.string().nullable() });
export const ResultEventApi = z.object({ type: z.literal('result'), ...sessionEvent, execution_id: z.string(), repr: z.string(), value: z.unknown().optional(), execution_count: z.number().int().optional(), execution_time: z.number().optional() });
export const ErrorEventApi = z.object({ type: z.literal('error'), ...sessionEvent, execution_id: z.string(), exception: z.string(), message: z.string(), traceback: z.string(), limit: LimitKind.optional() });
export const ExecuteReplyEventApi = z.object({
  type: z.literal('execute_reply'),
  ...sessionEvent,
  execution_id: z.string(),
  status: z.enum(['ok', 'error', 'aborted']),
  execution_count: z.number().int(),
  execution_time: z.number(),
  /** Present when the code ended the session with exit()/sys.exit() (session_closed follows). */
  exit_code: z.union([z.number(), z.string(), z.null()]).optional(),
});
export const StatusEventApi = z.object({ type: z.literal('status'), ...sessionEvent, state: SessionState, execution_id: z.string().nullable() });
export const SessionClosedEventApi = z.object({ type: z.literal('session_closed'), ...sessionEvent, reason: z.string(), exit_code: z.union([z.number(), z.string(), z.null()]).optional() });

export const SessionEventApi = z.discriminatedUnion('type', [
  ExecuteInputEvent,
  OutputEventApi,
  InputRequestEventApi,
  InputResponseEventApi,
  ResultEventApi,
  ErrorEventApi,
  ExecuteReplyEventApi,
  StatusEventApi,
  SessionClosedEventApi,
]);
export type SessionEventApi = z.infer<typeof SessionEventApi>;
/** A session event before the log numbers it. */
export type UnsequencedEvent = SessionEventApi extends infer E ? (E extends unknown ? Omit<E, 'seq' | 'session_id'> : never) : never;

/** Messages to one client only: no seq, not replayed. */
export const SessionCreatedMessage = z.object({ type: z.literal('session_created'), session_id: z.string(), role: Role, state: SessionState, last_seq: z.number().int(), python_version: z.string().nullable() });
export const SessionAttachedMessage = z.object({
  type: z.literal('session_attached'),
  session_id: z.string(),
  role: Role,
  state: SessionState,
  /** The newest seq at attach time; replayed events follow this message, then live ones. */
  last_seq: z.number().int(),
  replay_from: z.number().int(),
  python_version: z.string().nullable(),
  pending_input: PendingInput.nullable(),
  clients: z.object({ owners: z.number().int(), observers: z.number().int() }),
});
/** Sent before a replay when events the client asked for are no longer in the buffer. */
export const ReplayGapMessage = z.object({ type: z.literal('replay_gap'), session_id: z.string(), missed_from: z.number().int(), missed_to: z.number().int(), missed_events: z.number().int() });
/** An observer fell behind: this much output was skipped for it; live events follow. */
export const OutputDroppedMessage = z.object({ type: z.literal('output_dropped'), session_id: z.string(), bytes: z.number().int(), events: z.number().int() });
/** Who is attached now, sent to the session's other clients whenever someone attaches or leaves. */
export const ClientsMessage = z.object({ type: z.literal('clients'), session_id: z.string(), owners: z.number().int(), observers: z.number().int() });
export const PongMessage = z.object({ type: z.literal('pong'), request_id: z.string().optional() });
export const CompleteReplyMessage = z.object({ type: z.literal('complete_reply'), request_id: z.string().optional(), matches: z.array(z.string()), cursor_start: z.number().int(), cursor_end: z.number().int() });
export const IsCompleteReplyMessage = z.object({ type: z.literal('is_complete_reply'), request_id: z.string().optional(), status: z.enum(['complete', 'incomplete', 'invalid']), indent: z.string() });
/** Acknowledges an execute: the id the execution will carry in its events. */
export const ExecuteAcceptedMessage = z.object({ type: z.literal('execute_accepted'), request_id: z.string().optional(), execution_id: z.string(), queue_position: z.number().int() });
/** A refused client message: the socket and the session stay as they were. */
export const RequestErrorMessage = z.object({
  type: z.literal('request_error'),
  request_id: z.string().optional(),
  error: z.object({ code: z.string(), message: z.string() }).catchall(z.unknown()),
});

export const WsServerMessage = z.union([
  SessionEventApi,
  SessionCreatedMessage,
  SessionAttachedMessage,
  ReplayGapMessage,
  OutputDroppedMessage,
  ClientsMessage,
  PongMessage,
  CompleteReplyMessage,
  IsCompleteReplyMessage,
  ExecuteAcceptedMessage,
  RequestErrorMessage,
]);
export type WsServerMessage = z.infer<typeof WsServerMessage>;
