/**
 * Tunables of the runtime core. Each is a named default with the reason for its value; SessionOptions and PoolOptions
 * let callers (the server's config, tests) override the ones users would want to change.
 */

/** A cold start on this class of machine is ~40 ms; 20 s covers a loaded CI box or a slow network filesystem. */
export const WORKER_START_TIMEOUT_MS = 20_000;

/** complete/is_complete/inspect/heartbeat are answered by the worker's command thread at once; 5 s means it is wedged. */
export const REQUEST_TIMEOUT_MS = 5_000;

/** After an interrupt, how long an execution may take to stop before the worker is killed (handler replaced, stuck in C). */
export const INTERRUPT_GRACE_MS = 2_000;

/** Shutdown escalation: time for the worker to exit after the shutdown command, then after SIGTERM, before SIGKILL. */
export const SHUTDOWN_MESSAGE_GRACE_MS = 500;
export const SHUTDOWN_TERM_GRACE_MS = 1_000;

/** Default output allowed per execution: 64 MiB keeps a runaway loop from filling memory downstream, far above real use. */
export const DEFAULT_OUTPUT_LIMIT_BYTES = 64 * 1024 * 1024;

/** Executions waiting behind the running one; more is almost certainly a client bug, so refuse (queue_full / 429). */
export const DEFAULT_MAX_QUEUED_EXECUTIONS = 100;

/**
 * Flow control from an execution's consumer back to the worker: stop reading the worker's events when this many bytes
 * wait unconsumed, resume below the low watermark. The worker then blocks in its write, so nothing is dropped.
 */
export const EVENTS_HIGH_WATERMARK_BYTES = 4 * 1024 * 1024;
export const EVENTS_LOW_WATERMARK_BYTES = 1 * 1024 * 1024;

/** Bytes kept from the worker's raw stdout/stderr (start-up errors, faulthandler dumps) for the "worker died" message. */
export const WORKER_DIAGNOSTIC_TAIL_BYTES = 8 * 1024;

/** Pool: idle sessions are heartbeated this often; one that does not answer in time is replaced. */
export const POOL_HEARTBEAT_INTERVAL_MS = 10_000;
export const POOL_HEARTBEAT_TIMEOUT_MS = 3_000;

/** Pool: how long acquire() waits for a free slot by default before pool_exhausted. */
export const POOL_ACQUIRE_TIMEOUT_MS = 10_000;

/** Pool: after a warm session is handed out, wait this long before starting its replacement (see acquire()). */
export const POOL_REFILL_DELAY_MS = 50;

/** Pool defaults: one warm session makes the first acquire instant; 10 workers fit a 2-core laptop comfortably. */
export const POOL_MIN_IDLE = 1;
export const POOL_MAX_SESSIONS = 10;

/** The oldest Python the worker supports (ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dict ordering, f-strings...). */
export const MIN_PYTHON_VERSION: readonly [number, number] = [3, 9];
