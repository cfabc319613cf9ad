/**
 * What a session can be configured with, and the defaults applied in one place.
 */
import { defaultRuntimeDir } from '../paths.js';
import {
  DEFAULT_MAX_QUEUED_EXECUTIONS,
  DEFAULT_OUTPUT_LIMIT_BYTES,
  EVENTS_HIGH_WATERMARK_BYTES,
  EVENTS_LOW_WATERMARK_BYTES,
  INTERRUPT_GRACE_MS,
  REQUEST_TIMEOUT_MS,
  SHUTDOWN_MESSAGE_GRACE_MS,
  SHUTDOWN_TERM_GRACE_MS,
  WORKER_START_TIMEOUT_MS,
} from './constants.js';
import { findPython, type PythonCandidateSources } from './python-discovery.js';

export interface SessionOptions {
  sessionId?: string;
  /** An interpreter path; when absent it is looked up (python-discovery.ts). */
  python?: string;
  pythonSources?: PythonCandidateSources;
  runtimeDir?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** RLIMIT_AS for the worker, in MiB; null for none. */
  memoryLimitMb?: number | null;
  /** Output bytes per execution; null for unlimited. */
  outputLimitBytes?: number | null;
  /** Wall-clock limit per execution when the request gives none; null for none. */
  defaultTimeoutMs?: number | null;
  interruptGraceMs?: number;
  requestTimeoutMs?: number;
  startTimeoutMs?: number;
  maxQueuedExecutions?: number;
  highWatermarkBytes?: number;
  lowWatermarkBytes?: number;
  shutdownGraces?: { messageMs?: number; termMs?: number };
  /** Tests only: run something else than the real worker (see server/session/testing/broken_worker.py). */
  workerArgsOverride?: string[];
}

export interface ResolvedSessionOptions {
  sessionId: string | undefined;
  python: string;
  runtimeDir: string;
  env: NodeJS.ProcessEnv | undefined;
  cwd: string | undefined;
  memoryLimitMb: number | null;
  outputLimitBytes: number | null;
  defaultTimeoutMs: number | null;
  interruptGraceMs: number;
  requestTimeoutMs: number;
  startTimeoutMs: number;
  maxQueuedExecutions: number;
  highWatermarkBytes: number;
  lowWatermarkBytes: number;
  shutdownGraces: { messageMs: number; termMs: number };
  workerArgsOverride: string[] | undefined;
}

export async function resolveSessionOptions(options: SessionOptions): Promise<ResolvedSessionOptions> {
  const python = options.python ?? (await findPython(options.pythonSources ?? {})).path;
  return {
    sessionId: options.sessionId,
    python,
    runtimeDir: options.runtimeDir ?? defaultRuntimeDir(),
    env: options.env,
    cwd: options.cwd,
    memoryLimitMb: options.memoryLimitMb ?? null,
    outputLimitBytes: options.outputLimitBytes === undefined ? DEFAULT_OUTPUT_LIMIT_BYTES : options.outputLimitBytes,
    defaultTimeoutMs: options.defaultTimeoutMs ?? null,
    interruptGraceMs: options.interruptGraceMs ?? INTERRUPT_GRACE_MS,
    requestTimeoutMs: options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS,
    startTimeoutMs: options.startTimeoutMs ?? WORKER_START_TIMEOUT_MS,
    maxQueuedExecutions: options.maxQueuedExecutions ?? DEFAULT_MAX_QUEUED_EXECUTIONS,
    highWatermarkBytes: options.highWatermarkBytes ?? EVENTS_HIGH_WATERMARK_BYTES,
    lowWatermarkBytes: options.lowWatermarkBytes ?? EVENTS_LOW_WATERMARK_BYTES,
    shutdownGraces: {
      messageMs: options.shutdownGraces?.messageMs ?? SHUTDOWN_MESSAGE_GRACE_MS,
      termMs: options.shutdownGraces?.termMs ?? SHUTDOWN_TERM_GRACE_MS,
    },
    workerArgsOverride: options.workerArgsOverride,
  };
}
