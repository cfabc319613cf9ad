/**
 * The API's sessions: created from the pool, found by id, closed on request, and culled when nobody has used them for
 * idle_timeout (no client attached, no activity, nothing running). A closed session's id is remembered for a while so
 * clients get session_closed rather than a bare not-found.
 */
import { EventEmitter } from 'node:events';
import { PyreplError } from '../../protocol/errors.js';
import type { SessionPool } from '../session/pool.js';
import { ApiSession, type ApiSessionOptions } from './api-session.js';

export interface SessionManagerOptions {
  session: ApiSessionOptions;
  /** Close a session nobody has used for this long; 0 disables culling. */
  idleTimeoutMs: number;
  /** How often to look for idle sessions. */
  cullIntervalMs: number;
  /** How many closed ids to remember, and for how long. */
  tombstones: { max: number; ttlMs: number };
  acquireTimeoutMs: number;
}

interface SessionManagerEvents {
  created: [ApiSession];
  closed: [ApiSession, string];
  /** How getting a worker from the pool went: at once from a warm one, after a wait, or not at all. */
  acquired: ['warm' | 'waited' | 'exhausted'];
}

export class SessionManager extends EventEmitter<SessionManagerEvents> {
  private readonly sessions = new Map<string, ApiSession>();
  private readonly tombstones = new Map<string, { reason: string; at: number }>();
  private readonly cullTimer: NodeJS.Timeout | null;

  constructor(
    private readonly pool: SessionPool,
    private readonly options: SessionManagerOptions,
  ) {
    super();
    this.cullTimer = options.idleTimeoutMs > 0 ? setInterval(() => void this.cullIdle(), options.cullIntervalMs) : null;
    this.cullTimer?.unref();
  }

  async create(): Promise<ApiSession> {
    const api = await this.acquire();
    this.sessions.set(api.id, api);
    api.once('closed', (reason) => {
      this.sessions.delete(api.id);
      this.remember(api.id, reason);
      this.emit('closed', api, reason);
    });
    this.emit('created', api);
    return api;
  }

  /** A session for one request (POST /execute): not listed, not attachable, closed by the caller. */
  async createEphemeral(): Promise<ApiSession> {
    const api = await this.acquire();
    this.emit('created', api);
    return api;
  }

  private async acquire(): Promise<ApiSession> {
    const warm = this.pool.stats().idle > 0;
    try {
      const session = await this.pool.acquire(this.options.acquireTimeoutMs);
      this.emit('acquired', warm ? 'warm' : 'waited');
      return new ApiSession(session, this.options.session, (s) => this.pool.release(s));
    } catch (err) {
      this.emit('acquired', 'exhausted');
      throw err;
    }
  }

  /** An open session; one that is closing (or closed) is session_closed from the moment its close began. */
  get(id: string): ApiSession {
    const api = this.sessions.get(id);
    if (api && !api.isClosed) return api;
    const reason = api?.closeReason ?? this.tombstones.get(id)?.reason;
    if (reason) throw new PyreplError('session_closed', `Session ${id} is closed (${reason}).`, { session_id: id });
    throw new PyreplError('session_not_found', `No session with id ${id}.`, { session_id: id });
  }

  /** The open sessions. */
  list(): ApiSession[] {
    return [...this.sessions.values()].filter((api) => !api.isClosed);
  }

  get size(): number {
    return this.sessions.size;
  }

  async close(id: string, reason = 'closed by client'): Promise<void> {
    await this.get(id).close(reason);
  }

  async closeAll(reason: string): Promise<void> {
    if (this.cullTimer) clearInterval(this.cullTimer);
    // Sessions already closing are waited for too (close() returns the close in progress).
    await Promise.all([...this.sessions.values()].map((s) => s.close(reason, 1001)));
  }

  /** Closes sessions with no client, nothing running or queued, and no activity for idle_timeout. */
  async cullIdle(now = Date.now()): Promise<string[]> {
    const culled: string[] = [];
    for (const api of this.list()) {
      const busy = api.runningRecord !== null || api.queueLength > 0;
      if (api.clients.size > 0 || busy) continue;
      if (now - api.lastActivityAt.getTime() < this.options.idleTimeoutMs) continue;
      culled.push(api.id);
      await api.close('idle timeout');
    }
    return culled;
  }

  private remember(id: string, reason: string): void {
    const now = Date.now();
    this.tombstones.set(id, { reason, at: now });
    for (const [key, tomb] of this.tombstones) {
      if (this.tombstones.size <= this.options.tombstones.max && now - tomb.at < this.options.tombstones.ttlMs) break;
      this.tombstones.delete(key);
    }
  }
}
