/**
 * A WebSocket attached to one session (docs/api.md, "WebSocket"): typed sends, replies matched by request_id, the
 * server's messages as listeners or an async iterator, and reconnect() that resumes where it left off.
 *
 *   const socket = await SessionSocket.connect({ baseUrl, token, WebSocket: WS });   // WS: the `ws` package in Node
 *   socket.on((m) => m.type === 'output' && console.log(m.data));
 *   await socket.execute('print(1)');
 *
 * Resuming: the socket remembers the highest `seq` it has seen. reconnect() attaches to the same session with that
 * `last_seq`, so the server replays only what followed; events at or below it are dropped here too, so no listener or
 * iterator ever sees one event twice (across reconnects included).
 */
import type { OutputEncoding, Role, WsClientMessage, WsServerMessage } from '../protocol/api-messages.js';
import { decodeBinaryOutput, messageBytes } from './binary-output.js';
import { PyreplApiError } from './api-error.js';
import { MessageFanout, type Listener } from './message-fanout.js';
import { WS_OPEN, type WebSocketConstructor, type WebSocketLike } from './transport.js';

type Msg<T extends WsServerMessage['type']> = Extract<WsServerMessage, { type: T }>;
export type SessionHello = Msg<'session_created'> | Msg<'session_attached'>;

export interface SessionSocketOptions {
  /** The server's URL (http://127.0.0.1:8080); ws:// URLs work too. */
  baseUrl: string;
  /** Leave out in a page that authenticated with POST /auth (the cookie goes with the upgrade). */
  token?: string;
  /** Attach to this session; without it the server creates one (session_created). */
  sessionId?: string;
  role?: Role;
  /** Replay only the events after this seq (default: the whole transcript still buffered). */
  lastSeq?: number;
  /**
   * How output events travel: 'json' text frames (default) or 'binary' frames, which spare both sides escaping and
   * parsing the data (the choice for large output). Either way they arrive here as the same `output` messages.
   */
  output?: OutputEncoding;
  /** Default: globalThis.WebSocket. Node 20 has none: pass the `ws` package's class. */
  WebSocket?: WebSocketConstructor;
  /**
   * 'header': `Authorization: Bearer` on the upgrade (needs `ws`: browsers cannot set headers).
   * 'message': open without a token and send {type: "auth", token} first (works everywhere). Default 'message'.
   */
  auth?: 'header' | 'message';
}

export interface CloseInfo {
  code: number;
  reason: string;
}

interface Pending {
  matches(message: WsServerMessage): boolean;
  resolve(message: WsServerMessage): void;
  reject(error: Error): void;
}

export class SessionSocket {
  sessionId: string | null;
  role: Role;
  /** The newest session event seen (0: none). */
  lastSeq: number;
  /** The first message of the current connection. */
  hello: SessionHello | null = null;
  private ws: WebSocketLike | null = null;
  private readonly fanout = new MessageFanout<WsServerMessage>();
  private readonly pending = new Map<string, Pending>();
  private nextRequest = 1;
  private closedPromise: Promise<CloseInfo> = Promise.resolve({ code: 1000, reason: 'not connected' });

  private constructor(private readonly options: SessionSocketOptions) {
    this.sessionId = options.sessionId ?? null;
    this.role = options.role ?? 'owner';
    this.lastSeq = options.lastSeq ?? 0;
  }

  /** Opens the socket and resolves once the server said session_created / session_attached. */
  static async connect(options: SessionSocketOptions): Promise<SessionSocket> {
    const socket = new SessionSocket(options);
    await socket.open(options.lastSeq);
    return socket;
  }

  get isOpen(): boolean {
    return this.ws?.readyState === WS_OPEN;
  }

  /** Resolves when the current connection has closed, with the server's close code (4000: session closed, ...). */
  get closed(): Promise<CloseInfo> {
    return this.closedPromise;
  }

  /** Closes the current connection (if any) and attaches again to the same session, resuming after lastSeq. */
  async reconnect(): Promise<SessionHello> {
    if (!this.sessionId) throw new Error('reconnect(): no session yet (connect first)');
    if (this.ws) await this.close(1000, 'reconnecting');
    return this.open(this.lastSeq);
  }

  /** Closes this connection; the session itself lives on (see closeSession). */
  close(code = 1000, reason = ''): Promise<CloseInfo> {
    if (this.ws && this.ws.readyState <= WS_OPEN) this.ws.close(code, reason);
    return this.closedPromise;
  }

  /** Every server message, in order, from now across reconnects (plus any that arrived before the first consumer). */
  on(listener: Listener<WsServerMessage>): () => void {
    return this.fanout.on(listener);
  }

  /** The server's messages until the current connection closes. */
  messages(): AsyncIterableIterator<WsServerMessage> {
    return this.fanout.iterate();
  }

  [Symbol.asyncIterator](): AsyncIterableIterator<WsServerMessage> {
    return this.messages();
  }

  // ------------------------------------------------------------------------------------------------ sends

  /** Resolves with execute_accepted (its execution_id); the execution's events arrive as messages. */
  execute(code: string, options: Omit<Extract<WsClientMessage, { type: 'execute' }>, 'type' | 'code' | 'request_id'> = {}): Promise<Msg<'execute_accepted'>> {
    return this.request({ type: 'execute', code, ...options }, 'execute_accepted');
  }

  /** Resolves when the server has logged the answer (its input_response event); rejects on unknown_input_token. */
  answerInput(token: string, data: string): Promise<void> {
    const requestId = this.newRequestId();
    const done = this.expect(requestId, (m) => m.type === 'input_response' && 'seq' in m && m.token === token);
    this.send({ type: 'input_response', token, data, request_id: requestId });
    return done.then(() => undefined);
  }

  /**
   * Interrupts the running execution. The server sends no reply when it works (the execution ends with
   * KeyboardInterrupt); a refusal (e.g. read_only) is a request_error carrying the returned request_id.
   */
  interrupt(): string {
    const requestId = this.newRequestId();
    this.send({ type: 'interrupt', request_id: requestId });
    return requestId;
  }

  complete(code: string, cursor?: number): Promise<Msg<'complete_reply'>> {
    return this.request({ type: 'complete', code, ...(cursor !== undefined ? { cursor } : {}) }, 'complete_reply');
  }

  isComplete(code: string): Promise<Msg<'is_complete_reply'>> {
    return this.request({ type: 'is_complete', code }, 'is_complete_reply');
  }

  /** Closes the session for everyone; resolves with its session_closed event. */
  closeSession(): Promise<Msg<'session_closed'>> {
    const requestId = this.newRequestId();
    const done = this.expect(requestId, (m) => m.type === 'session_closed');
    this.send({ type: 'close_session', request_id: requestId });
    return done as Promise<Msg<'session_closed'>>;
  }

  /**
   * Client-side backpressure: true while this client's own backlog is full (a browser cannot pause a WebSocket), false
   * once it can take more. No reply. The server starts every connection unpaused, so say it again after reconnect().
   */
  setFlowPaused(paused: boolean): void {
    this.send({ type: 'flow', paused });
  }

  ping(): Promise<Msg<'pong'>> {
    return this.request({ type: 'ping' }, 'pong');
  }

  /** Sends any client message as is (the helpers above are typed wrappers of this). */
  send(message: WsClientMessage): void {
    if (!this.ws || this.ws.readyState !== WS_OPEN) throw new Error('SessionSocket: not connected');
    this.ws.send(JSON.stringify(message));
  }

  // ------------------------------------------------------------------------------------------------ internals

  private request<T extends WsServerMessage['type']>(message: WsClientMessage, replyType: T): Promise<Msg<T>> {
    const requestId = this.newRequestId();
    const done = this.expect(requestId, (m) => m.type === replyType && 'request_id' in m && m.request_id === requestId);
    this.send({ ...message, request_id: requestId } as WsClientMessage);
    return done as Promise<Msg<T>>;
  }

  private expect(requestId: string, matches: (m: WsServerMessage) => boolean): Promise<WsServerMessage> {
    return new Promise((resolve, reject) => this.pending.set(requestId, { matches, resolve, reject }));
  }

  private newRequestId(): string {
    return `c${this.nextRequest++}`;
  }

  private open(lastSeq: number | undefined): Promise<SessionHello> {
    const { token, auth = 'message' } = this.options;
    const Ctor = this.options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (!Ctor) throw new Error('SessionSocket: no WebSocket here; pass one (e.g. the `ws` package) as options.WebSocket');
    const url = wsUrl(this.options.baseUrl, this.sessionId, this.role, lastSeq, this.options.output);
    const useHeader = auth === 'header' && token !== undefined;
    const ws = useHeader ? new Ctor(url, [], { headers: { Authorization: `Bearer ${token}` } }) : new Ctor(url);
    if (this.options.output === 'binary') ws.binaryType = 'arraybuffer';
    this.ws = ws;
    this.hello = null;
    this.fanout.start();
    let failure: Error | null = null;
    let settle: { resolve(h: SessionHello): void; reject(e: Error): void };
    const ready = new Promise<SessionHello>((resolve, reject) => (settle = { resolve, reject }));
    this.closedPromise = new Promise<CloseInfo>((resolveClosed) => {
      ws.onclose = (event: { code: number; reason: string }) => {
        const info = { code: event.code, reason: String(event.reason ?? '') };
        if (this.ws === ws) this.ws = null;
        const error = failure ?? new Error(`WebSocket closed (${info.code}${info.reason ? ` ${info.reason}` : ''})`);
        if (!this.hello) settle.reject(error);
        for (const pending of this.pending.values()) pending.reject(error);
        this.pending.clear();
        this.fanout.end();
        resolveClosed(info);
      };
    });
    ws.onopen = () => {
      if (auth === 'message' && token !== undefined) ws.send(JSON.stringify({ type: 'auth', token }));
    };
    ws.onerror = (event: { message?: string; error?: unknown }) => {
      failure ??= event.error instanceof Error ? event.error : new Error(event.message ?? 'WebSocket error');
    };
    ws.onmessage = (event: { data: unknown }) => {
      const message = parse(event.data);
      if (!message) return;
      if (!this.hello && message.type === 'request_error' && !message.request_id) {
        failure = PyreplApiError.fromErrorObject(message.error); // why the server is about to close this socket
      }
      if (message.type === 'session_created' || message.type === 'session_attached') {
        this.sessionId = message.session_id;
        this.role = message.role;
        this.hello = message;
        settle.resolve(message);
      }
      this.dispatch(message);
    };
    captureRefusedUpgrade(ws, (error) => (failure = error));
    return ready;
  }

  private dispatch(message: WsServerMessage): void {
    if ('seq' in message) {
      if (message.seq <= this.lastSeq) return; // already seen before a reconnect
      this.lastSeq = message.seq;
    }
    for (const [id, pending] of this.pending) {
      if (message.type === 'request_error' && message.request_id === id) {
        this.pending.delete(id);
        pending.reject(PyreplApiError.fromErrorObject(message.error));
      } else if (pending.matches(message)) {
        this.pending.delete(id);
        pending.resolve(message);
      }
    }
    this.fanout.push(message);
  }
}

function parse(data: unknown): WsServerMessage | null {
  if (typeof data !== 'string') {
    const bytes = messageBytes(data);
    return bytes ? decodeBinaryOutput(bytes) : null; // binary frames carry output only
  }
  try {
    return JSON.parse(data) as WsServerMessage;
  } catch {
    return null; // text frames are JSON; anything else is not ours to interpret
  }
}

export function wsUrl(baseUrl: string, sessionId: string | null, role: Role, lastSeq: number | undefined, output: OutputEncoding = 'json'): string {
  const base = baseUrl.replace(/\/+$/, '').replace(/^http(s?):/, 'ws$1:');
  const params = new URLSearchParams();
  if (sessionId) params.set('session_id', sessionId);
  if (role !== 'owner') params.set('role', role);
  if (sessionId && lastSeq !== undefined) params.set('last_seq', String(lastSeq));
  if (output !== 'json') params.set('output', output);
  const query = params.toString();
  return `${base}/ws${query ? `?${query}` : ''}`;
}

/**
 * A refused upgrade (401, 404 session_not_found, ...) carries the API's JSON error body, but a WebSocket only reports
 * "unexpected response". The `ws` package lets us read the body ('unexpected-response'); browsers do not, and there
 * the error stays generic. Reading it means ending the attempt ourselves (ws leaves that to the listener).
 */
function captureRefusedUpgrade(ws: WebSocketLike, onError: (error: PyreplApiError) => void): void {
  type Res = { statusCode: number; setEncoding(e: string): void; on(ev: string, fn: (chunk?: string) => void): void };
  const emitter = ws as unknown as { on?: (event: string, fn: (req: unknown, res: Res) => void) => void; terminate?: () => void };
  if (typeof emitter.on !== 'function' || typeof emitter.terminate !== 'function') return;
  emitter.on('unexpected-response', (_req, res) => {
    let body = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => (body += chunk ?? ''));
    res.on('end', () => {
      onError(PyreplApiError.fromResponse(res.statusCode, body));
      emitter.terminate!();
    });
  });
}
