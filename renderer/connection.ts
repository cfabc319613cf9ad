/**
 * The session's WebSocket, kept alive: attaches (or creates a session), and when the connection drops reconnects by
 * itself with last_seq, so the server replays exactly what this page missed (SessionSocket drops anything already
 * seen): no output lost, none shown twice. Implements the REPL's backend over it.
 */
import { PyreplClient, SessionSocket, isPyreplApiError, type WsServerMessage } from '../client/index.js';
import type { ConnectionSpec } from './connection-spec.js';
import type { CompleteAnswer, IsCompleteAnswer, ReplBackend } from './repl-backend.js';

export type LinkState = 'connecting' | 'connected' | 'reconnecting' | 'closed' | 'failed';

export interface ConnectionEvents {
  message(message: WsServerMessage): void;
  link(state: LinkState, detail?: string): void;
}

/** Close codes after which reconnecting cannot help (docs/api.md, "Close codes"). */
const FINAL_CLOSE = new Map<number, string>([
  [4000, 'the session was closed'],
  [1008, 'authentication failed'],
  [4004, 'no such session'],
  [4029, 'no free session in the pool'],
]);
const MAX_BACKOFF_MS = 5000;

export class Connection implements ReplBackend {
  private socket: SessionSocket | null = null;
  private stopped = false;
  /** Whether the page's output backlog is full (OutputWriter's watermarks); said again after a reconnect. */
  private flowPaused = false;
  readonly client: PyreplClient;

  constructor(
    private readonly spec: ConnectionSpec,
    private readonly events: ConnectionEvents,
    private readonly token?: string,
  ) {
    this.client = new PyreplClient({ baseUrl: spec.baseUrl, ...(token ? { token } : {}) });
  }

  get sessionId(): string | null {
    return this.socket?.sessionId ?? this.spec.sessionId ?? null;
  }

  get connected(): boolean {
    return this.socket?.isOpen ?? false;
  }

  get lastSeq(): number {
    return this.socket?.lastSeq ?? 0;
  }

  /** Connects (creating the session when the spec names none); rejects when that fails. */
  async start(): Promise<void> {
    this.events.link('connecting');
    const socket = await SessionSocket.connect({
      baseUrl: this.spec.baseUrl,
      role: this.spec.role,
      // Output in binary frames: a large print reaches the terminal without being escaped into JSON and parsed back.
      output: 'binary',
      ...(this.spec.sessionId ? { sessionId: this.spec.sessionId } : {}),
      ...(this.token ? { token: this.token, auth: 'message' as const } : {}),
    });
    this.socket = socket;
    socket.on((message) => this.events.message(message));
    this.events.link('connected');
    void this.watch();
  }

  /** Ends the connection for good (page unload, new session). */
  stop(): void {
    this.stopped = true;
    void this.socket?.close(1000, 'page closed');
  }

  private async watch(): Promise<void> {
    const socket = this.socket!;
    for (;;) {
      const { code, reason } = await socket.closed;
      if (this.stopped) return;
      const final = FINAL_CLOSE.get(code);
      if (final) return this.events.link(code === 4000 ? 'closed' : 'failed', final);
      if (!(await this.reconnect(socket, reason))) return;
    }
  }

  /** Retries with backoff until attached again (true) or the session is known to be gone (false). */
  private async reconnect(socket: SessionSocket, reason: string): Promise<boolean> {
    for (let attempt = 1; !this.stopped; attempt++) {
      this.events.link('reconnecting', `attempt ${attempt}${reason ? ` (${reason})` : ''}`);
      await delay(Math.min(MAX_BACKOFF_MS, 250 * 2 ** (attempt - 1)));
      try {
        // The browser hides why an upgrade failed; REST says whether the session is still there.
        await this.client.getSession(socket.sessionId!);
      } catch (error) {
        if (isPyreplApiError(error, 'session_not_found') || isPyreplApiError(error, 'session_closed')) {
          this.events.link('closed', 'the session no longer exists');
          return false;
        }
        if (isPyreplApiError(error, 'unauthorized')) {
          this.events.link('failed', 'not authorised any more (was the server restarted?)');
          return false;
        }
        continue; // server unreachable: try again
      }
      try {
        await socket.reconnect();
        if (this.flowPaused) socket.setFlowPaused(true); // a new connection starts unpaused on the server
        this.events.link('connected');
        return true;
      } catch {
        /* refused or dropped at once: next attempt */
      }
    }
    return false;
  }

  // ------------------------------------------------------------------ ReplBackend

  private open(): SessionSocket {
    if (!this.socket || !this.socket.isOpen) throw new Error('not connected');
    return this.socket;
  }

  async execute(code: string): Promise<void> {
    await this.open().execute(code);
  }

  answerInput(token: string, data: string): Promise<void> {
    return this.open().answerInput(token, data);
  }

  interrupt(): void {
    if (this.socket?.isOpen) this.socket.interrupt();
  }

  /** Asks the server to hold output back while the page's backlog is full, and to go on once it has drained. */
  setFlowPaused(paused: boolean): void {
    if (paused === this.flowPaused) return;
    this.flowPaused = paused;
    if (this.socket?.isOpen) this.socket.setFlowPaused(paused);
  }

  complete(code: string, cursor: number): Promise<CompleteAnswer> {
    return this.open().complete(code, cursor);
  }

  isComplete(code: string): Promise<IsCompleteAnswer> {
    return this.open().isComplete(code);
  }

  async closeSession(): Promise<void> {
    await this.open().closeSession();
  }

  async restart(): Promise<void> {
    await this.client.restart(this.sessionId!);
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
