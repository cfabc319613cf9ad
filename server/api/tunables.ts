/**
 * Tunables of the API layer, each with why it has its value. The ones users would change are also server options
 * (server/config.ts); these are the internal ones.
 */
export const API_TUNABLES = {
  /** Replay buffer events per session (bytes are the --replay-buffer-bytes option): a long interactive day. */
  replayBufferEvents: 20_000,
  /** Output within this window becomes one event/frame; well under the 10 ms a print may take to reach a client. */
  outputFlushMs: 3,
  /**
   * A merged output event is sent at once at this size. Small prints are merged; the worker's own chunks (up to 64 KB)
   * go out as they come, never joined, and every string of a frame stays small enough for V8's young generation, where
   * short-lived garbage is cheap to collect (bigger ones go to the large-object space, and the server's RSS grows).
   */
  outputBatchBytes: 32 * 1024,
  /**
   * A congested owner's execution resumes when its socket drains (the socket's 'drain' event); this is only the
   * backstop for a wake-up that never comes, so a bug there slows output down instead of stalling it.
   */
  congestionRecheckMs: 100,
  /** How often to look for sessions past idle_timeout (also bounded by a quarter of the timeout itself). */
  cullIntervalMs: 30_000,
  /** Closed session ids remembered (so clients get session_closed, not session_not_found), and for how long. */
  tombstones: { max: 10_000, ttlMs: 60 * 60 * 1000 },
  wsLimits: {
    /** Owner: above this the worker is held back (flow control), so memory stays bounded and nothing is dropped. */
    ownerHighWatermark: 1024 * 1024,
    /** Observer: above this, output is skipped (and counted) until the socket drains below the low watermark. */
    observerHighWatermark: 2 * 1024 * 1024,
    observerLowWatermark: 256 * 1024,
    /**
     * A skipping observer resumes when its socket drains ('drain'); this backstop only matters should that event never
     * come, so it can be slow.
     */
    observerRecheckMs: 100,
    /**
     * Any client whose socket buffer passes this (plus the replay buffer, see app.ts) is closed (4008): its peer is gone
     * or hopelessly slow.
     */
    hardLimit: 32 * 1024 * 1024,
  },
  /**
   * Frames that only announce a step (execute_accepted, execute_input, status busy, an input's echo, result before its
   * execute_reply) wait up to this long to leave in one write with what follows; the same window as output's.
   */
  flushWindowMs: 3,
} as const;
