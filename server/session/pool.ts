/**
 * Pre-warmed sessions. acquire() hands out a warm session at once (or starts one, or waits for capacity, then fails
 * with pool_exhausted); release() destroys the session, so no namespace ever reaches a second owner. Idle sessions
 * are heartbeated and replaced when stuck or dead; shutdown() escalates close → SIGTERM → SIGKILL on every worker.
 */
import { EventEmitter } from 'node:events';
import { PyreplError, isPyreplError } from '../../protocol/errors.js';
import {
  POOL_ACQUIRE_TIMEOUT_MS,
  POOL_HEARTBEAT_INTERVAL_MS,
  POOL_HEARTBEAT_TIMEOUT_MS,
  POOL_MAX_SESSIONS,
  POOL_MIN_IDLE,
  POOL_REFILL_DELAY_MS,
} from './constants.js';
import { collect } from './execution.js';
import { Session } from './session.js';
import type { SessionOptions } from './session-options.js';

export interface PoolOptions {
  minIdle?: number;
  maxSessions?: number;
  /** Run in every new session before it is handed out (imports, settings). A failure fails that session's start. */
  warmupCode?: string;
  acquireTimeoutMs?: number;
  heartbeatIntervalMs?: number;
  heartbeatTimeoutMs?: number;
  session?: SessionOptions;
}

export interface PoolStats {
  idle: number;
  active: number;
  starting: number;
  total: number;
  max: number;
  waiting: number;
}

interface Waiter {
  resolve: (session: Session) => void;
  reject: (err: Error) => void;
  timer: NodeJS.Timeout;
}

interface PoolEvents {
  /** An idle session failed its health check (dead or no heartbeat) and was replaced. */
  replaced: [Session, string];
  /** A session could not be started. */
  start_failed: [Error];
}

export class SessionPool extends EventEmitter<PoolEvents> {
  readonly minIdle: number;
  readonly maxSessions: number;
  private readonly options: PoolOptions;
  private readonly idle: Session[] = [];
  private readonly active = new Set<Session>();
  private readonly starting = new Set<Promise<void>>();
  private readonly waiters: Waiter[] = [];
  private readonly closing = new Set<Promise<unknown>>();
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private shuttingDown = false;
  private startFailures = 0;

  constructor(options: PoolOptions = {}) {
    super();
    this.options = options;
    this.minIdle = options.minIdle ?? POOL_MIN_IDLE;
    this.maxSessions = options.maxSessions ?? POOL_MAX_SESSIONS;
    if (this.minIdle > this.maxSessions) {
      throw new PyreplError('invalid_argument', `min_idle (${this.minIdle}) cannot exceed max_sessions (${this.maxSessions}).`);
    }
  }

  /** Starts the pre-warmed sessions and the health checks; resolves once min_idle sessions are ready (or failed). */
  async start(): Promise<void> {
    this.refill();
    const interval = this.options.heartbeatIntervalMs ?? POOL_HEARTBEAT_INTERVAL_MS;
    this.heartbeatTimer = setInterval(() => void this.checkHealth(), interval);
    this.heartbeatTimer.unref();
    await Promise.all(this.starting);
  }

  stats(): PoolStats {
    return {
      idle: this.idle.length,
      active: this.active.size,
      starting: this.starting.size,
      total: this.idle.length + this.active.size + this.starting.size,
      max: this.maxSessions,
      waiting: this.waiters.length,
    };
  }

  /** A session for exclusive use until release(). Waits up to timeoutMs for capacity, then pool_exhausted. */
  acquire(timeoutMs: number = this.options.acquireTimeoutMs ?? POOL_ACQUIRE_TIMEOUT_MS): Promise<Session> {
    if (this.shuttingDown) return Promise.reject(new PyreplError('pool_shut_down', 'The session pool is shut down.'));
    const warm = this.takeIdle();
    if (warm) {
      this.active.add(warm);
      // Spawning the replacement costs a couple of ms of synchronous fork/exec and ~20 ms of CPU for Python's start:
      // not on the caller's path, and not racing the caller's first execution for the CPU.
      setTimeout(() => this.refill(), POOL_REFILL_DELAY_MS).unref();
      return Promise.resolve(warm);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.removeWaiter(waiter);
          reject(
            new PyreplError(
              'pool_exhausted',
              `No session became available within ${timeoutMs} ms (max_sessions is ${this.maxSessions}).`,
              { max_sessions: this.maxSessions, retry_after_s: 1 },
            ),
          );
        }, timeoutMs),
      };
      this.waiters.push(waiter);
      this.refill();
    });
  }

  /** Gives a session back: it is destroyed (never reused), and a fresh one takes its place if min_idle asks. */
  async release(session: Session): Promise<void> {
    this.active.delete(session);
    const idleIndex = this.idle.indexOf(session);
    if (idleIndex !== -1) this.idle.splice(idleIndex, 1);
    await this.closeTracked(session);
    this.refill();
  }

  /** Closes every session (close → SIGTERM → SIGKILL) and waits until every worker has exited. */
  async shutdown(): Promise<void> {
    this.shuttingDown = true;
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    for (const waiter of this.waiters.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new PyreplError('pool_shut_down', 'The session pool is shutting down.'));
    }
    const sessions = [...this.idle.splice(0), ...this.active];
    this.active.clear();
    await Promise.all([...sessions.map((s) => this.closeTracked(s)), ...this.starting]);
    await Promise.all(this.closing);
  }

  // ------------------------------------------------------------------------------------------------ internals

  private takeIdle(): Session | undefined {
    for (;;) {
      const session = this.idle.shift();
      if (!session) return undefined;
      if (session.state === 'idle') return session;
      void this.closeTracked(session);
    }
  }

  private refill(): void {
    if (this.shuttingDown) return;
    // After repeated start failures, stop retrying until a health check or a caller asks again.
    const wanted = this.minIdle + this.waiters.length;
    while (
      this.idle.length + this.starting.size < wanted &&
      this.idle.length + this.active.size + this.starting.size < this.maxSessions &&
      (this.startFailures < 3 || this.waiters.length > this.starting.size)
    ) {
      this.startOne();
    }
  }

  private startOne(): void {
    const started = this.createSession().then(
      (session) => {
        this.starting.delete(started);
        this.startFailures = 0;
        if (this.shuttingDown) {
          void this.closeTracked(session);
          return;
        }
        this.watch(session);
        const waiter = this.waiters.shift();
        if (waiter) {
          clearTimeout(waiter.timer);
          this.active.add(session);
          waiter.resolve(session);
        } else {
          this.idle.push(session);
        }
        this.refill();
      },
      (err: unknown) => {
        this.starting.delete(started);
        this.startFailures += 1;
        const error = err instanceof Error ? err : new Error(String(err));
        this.emit('start_failed', error);
        // A caller waiting for a session gets the reason now rather than a timeout later.
        const waiter = this.waiters.shift();
        if (waiter) {
          clearTimeout(waiter.timer);
          waiter.reject(error);
        }
      },
    );
    this.starting.add(started);
  }

  private async createSession(): Promise<Session> {
    const session = await Session.create(this.options.session ?? {});
    const warmup = this.options.warmupCode;
    if (!warmup) return session;
    const run = await collect(session.execute({ code: warmup }));
    const failure = run.events.find((e) => e.type === 'error');
    if (failure && failure.type === 'error') {
      await session.close();
      throw new PyreplError('worker_start_failed', `warmup_code failed: ${failure.exception}: ${failure.message}`);
    }
    return session;
  }

  private watch(session: Session): void {
    session.on('state', (state) => {
      if ((state === 'dead' || state === 'closed') && this.idle.includes(session)) {
        this.idle.splice(this.idle.indexOf(session), 1);
        this.emit('replaced', session, `idle session became ${state}`);
        void this.closeTracked(session);
        this.refill();
      }
    });
  }

  private async checkHealth(): Promise<void> {
    // Give a pool whose starts kept failing one more try per health tick (the interpreter may have been fixed).
    this.startFailures = Math.min(this.startFailures, 2);
    const timeout = this.options.heartbeatTimeoutMs ?? POOL_HEARTBEAT_TIMEOUT_MS;
    await Promise.all(
      [...this.idle].map(async (session) => {
        const alive = await session.heartbeat(timeout);
        if (alive || !this.idle.includes(session)) return;
        this.idle.splice(this.idle.indexOf(session), 1);
        this.emit('replaced', session, 'no heartbeat');
        await this.closeTracked(session);
      }),
    );
    this.refill();
  }

  private closeTracked(session: Session): Promise<unknown> {
    const closing = session.close().catch((err: unknown) => {
      if (!isPyreplError(err)) throw err;
    });
    this.closing.add(closing);
    void closing.finally(() => this.closing.delete(closing));
    return closing;
  }

  private removeWaiter(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index !== -1) this.waiters.splice(index, 1);
  }
}
