/**
 * The Node ↔ worker wire contract (docs/worker-protocol.md), defined once: these schemas validate what the
 * worker sends, type what Node sends, and are the source of the published JSON Schema.
 */
import { z } from 'zod';

export const WORKER_PROTOCOL_VERSION = 1;

export const TransactionPolicy = z.enum(['commit_always', 'rollback_on_failure', 'rollback_always']);
export type TransactionPolicy = z.infer<typeof TransactionPolicy>;

export const Stream = z.enum(['stdout', 'stderr']);
export type Stream = z.infer<typeof Stream>;

export const LimitKind = z.enum(['timeout', 'output', 'memory']);
export type LimitKind = z.infer<typeof LimitKind>;

const executionId = z.string().min(1);
const requestId = z.string().min(1);

// ---------------------------------------------------------------- commands: Node → worker

export const ExecuteCommand = z.object({
  type: z.literal('execute'),
  execution_id: executionId,
  code: z.string(),
  transaction_policy: TransactionPolicy,
  output_limit: z.number().int().positive().nullable(),
  /** Seconds (absent: none). Node enforces it (an interrupt with reason "timeout"); the worker only names it in the error. */
  timeout: z.number().positive().optional(),
});
export const InterruptCommand = z.object({
  type: z.literal('interrupt'),
  execution_id: executionId,
  reason: z.enum(['user', 'timeout']),
});
export const InputResponseCommand = z.object({
  type: z.literal('input_response'),
  request_id: requestId,
  token: z.string(),
  data: z.string(),
});
export const InputCancelCommand = z.object({
  type: z.literal('input_cancel'),
  request_id: requestId,
  token: z.string(),
});
export const CompleteCommand = z.object({
  type: z.literal('complete'),
  request_id: requestId,
  code: z.string(),
  cursor: z.number().int().nonnegative(),
});
export const IsCompleteCommand = z.object({
  type: z.literal('is_complete'),
  request_id: requestId,
  code: z.string(),
});
export const InspectCommand = z.object({
  type: z.literal('inspect'),
  request_id: requestId,
  max_repr: z.number().int().positive().optional(),
});
export const HeartbeatCommand = z.object({ type: z.literal('heartbeat'), request_id: requestId });
export const ShutdownCommand = z.object({ type: z.literal('shutdown') });

export const WorkerCommand = z.discriminatedUnion('type', [
  ExecuteCommand,
  InterruptCommand,
  InputResponseCommand,
  InputCancelCommand,
  CompleteCommand,
  IsCompleteCommand,
  InspectCommand,
  HeartbeatCommand,
  ShutdownCommand,
]);
export type WorkerCommand = z.infer<typeof WorkerCommand>;

// ---------------------------------------------------------------- events: worker → Node

export const ReadyEvent = z.object({
  type: z.literal('ready'),
  protocol: z.number().int(),
  pid: z.number().int(),
  python_version: z.string(),
  implementation: z.string(),
  executable: z.string(),
  memory_limit_mb: z.number().nullable().optional(),
});
export const OutputEvent = z.object({
  type: z.literal('output'),
  execution_id: executionId.nullable(),
  stream: Stream,
  data: z.string(),
});
/** On the wire, output is this header line followed by `bytes` raw bytes; Node turns it into an OutputEvent. */
export const OutputFrameHeader = z.object({
  type: z.literal('output'),
  execution_id: executionId.nullable(),
  stream: Stream,
  bytes: z.number().int().nonnegative(),
});
export type OutputFrameHeader = z.infer<typeof OutputFrameHeader>;
export const InputRequestEvent = z.object({
  type: z.literal('input_request'),
  execution_id: executionId,
  token: z.string().min(1),
  prompt: z.string(),
  password: z.boolean(),
});
export const ResultEvent = z.object({
  type: z.literal('result'),
  execution_id: executionId,
  repr: z.string(),
  value: z.unknown().optional(),
  execution_count: z.number().int().optional(),
});
export const ErrorEvent = z.object({
  type: z.literal('error'),
  execution_id: executionId,
  exception: z.string(),
  message: z.string(),
  traceback: z.string(),
  limit: LimitKind.optional(),
  /** Set by Node when the worker process died: how it ended. */
  exit_code: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
});
export const ExecuteReplyEvent = z.object({
  type: z.literal('execute_reply'),
  execution_id: executionId,
  /** `aborted`: the execution never ran (the session died or closed while it was queued). */
  status: z.enum(['ok', 'error', 'aborted']),
  execution_count: z.number().int(),
  execution_time: z.number(),
});
export const ExitEvent = z.object({
  type: z.literal('exit'),
  execution_id: executionId.nullable(),
  code: z.union([z.number(), z.string(), z.null()]),
});
export const CompleteReplyEvent = z.object({
  type: z.literal('complete_reply'),
  request_id: requestId,
  matches: z.array(z.string()),
  cursor_start: z.number().int(),
  cursor_end: z.number().int(),
});
export const IsCompleteReplyEvent = z.object({
  type: z.literal('is_complete_reply'),
  request_id: requestId,
  status: z.enum(['complete', 'incomplete', 'invalid']),
  indent: z.string(),
});
export const NamespaceVariable = z.object({
  name: z.string(),
  type: z.string(),
  repr: z.string(),
  truncated: z.boolean(),
});
export type NamespaceVariable = z.infer<typeof NamespaceVariable>;
export const InspectReplyEvent = z.object({
  type: z.literal('inspect_reply'),
  request_id: requestId,
  variables: z.array(NamespaceVariable),
});
export const HeartbeatReplyEvent = z.object({ type: z.literal('heartbeat_reply'), request_id: requestId });
export const AckEvent = z.object({ type: z.literal('ack'), request_id: requestId });
export const RequestErrorEvent = z.object({
  type: z.literal('request_error'),
  request_id: requestId,
  code: z.string(),
  message: z.string(),
});
export const LogEvent = z.object({
  type: z.literal('log'),
  level: z.string(),
  message: z.string(),
});

export const WorkerEvent = z.discriminatedUnion('type', [
  ReadyEvent,
  OutputEvent,
  InputRequestEvent,
  ResultEvent,
  ErrorEvent,
  ExecuteReplyEvent,
  ExitEvent,
  CompleteReplyEvent,
  IsCompleteReplyEvent,
  InspectReplyEvent,
  HeartbeatReplyEvent,
  AckEvent,
  RequestErrorEvent,
  LogEvent,
]);
export type WorkerEvent = z.infer<typeof WorkerEvent>;

export type ReadyEvent = z.infer<typeof ReadyEvent>;
export type OutputEvent = z.infer<typeof OutputEvent>;
export type InputRequestEvent = z.infer<typeof InputRequestEvent>;
export type ResultEvent = z.infer<typeof ResultEvent>;
export type ErrorEvent = z.infer<typeof ErrorEvent>;
export type ExecuteReplyEvent = z.infer<typeof ExecuteReplyEvent>;
export type ExitEvent = z.infer<typeof ExitEvent>;
export type CompleteReplyEvent = z.infer<typeof CompleteReplyEvent>;
export type IsCompleteReplyEvent = z.infer<typeof IsCompleteReplyEvent>;

/** What one execution yields, in order: output / input_request …, then result or error, then execute_reply (or exit). */
export type ExecutionEvent = OutputEvent | InputRequestEvent | ResultEvent | ErrorEvent | ExecuteReplyEvent | ExitEvent;

/** Events that answer a command carrying a request_id. */
export type ReplyEvent = Extract<WorkerEvent, { request_id: string }>;
