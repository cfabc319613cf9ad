/**
 * One WebSocket client of the API server (the `ws` package, header auth), as owner or observer, and one timed
 * execution on it: the WebSocket counterpart of probe.ts. Times are from just before `ws.send(execute)` to the arrival
 * of each message; input requests are answered as soon as they arrive; `T<epoch ms>` stdout lines can be turned into
 * print latencies (the anchors' method). An observer "watches" instead: it counts what reaches it until the next
 * execute_reply, including the output_dropped notices a slow observer gets.
 */
import type { Socket } from 'node:net';
import WebSocket from 'ws';
import { decodeBinaryOutput } from '../client/binary-output.js';
import type { AnchorLib } from './anchors.js';
import { withTimeout } from './log.js';
import type { ProbeOutcome } from './probe.js';

export interface WsProbeOptions {
  timeoutMs: number;
  /** The answer to each input request (by its index in this execution). */
  inputValue?: (index: number) => string;
  /** Collect print latencies from `T<epoch ms>` stdout lines (needs lib). */
  lineLatency?: AnchorLib;
}

export interface WsProbeResult extends ProbeOutcome {
  executionId: string | null;
  /** send → execute_accepted (ms). */
  tAccepted: number | null;
  /** Every message received during the execution (all types). */
  messages: number;
  /** output_dropped notices (observers only): skipped bytes and events. */
  dropped: { notices: number; bytes: number; events: number };
}

interface Current {
  r: WsProbeResult;
  t0: number;
  opts: WsProbeOptions;
  carry: string;
  resolve: (r: WsProbeResult) => void;
  reject: (err: Error) => void;
}

export interface ApiSocketTarget {
  wsUrl(query?: Record<string, string | number>): string;
  readonly token: string;
}

interface ServerMessage {
  type: string;
  seq?: number;
  session_id?: string;
  execution_id?: string | null;
  stream?: string;
  data?: string;
  token?: string;
  repr?: string;
  status?: string;
  exception?: string;
  message?: string;
  bytes?: number;
  events?: number;
  error?: { code: string; message: string };
}

export class ApiSocket {
  sessionId = '';
  /** The newest event seq seen on this socket (to attach an observer after it). */
  lastSeq = 0;
  private cur: Current | null = null;
  private closeInfo: string | null = null;
  private readonly closed: Promise<void>;

  private constructor(
    readonly ws: WebSocket,
    readonly role: 'owner' | 'observer',
  ) {
    this.closed = new Promise((resolve) => {
      ws.once('close', (code, reason) => {
        this.closeInfo = `closed ${code} ${reason.toString()}`;
        this.cur?.reject(new Error(`WebSocket ${this.closeInfo} during an execution`));
        this.cur = null;
        resolve();
      });
    });
    ws.on('error', () => undefined); // 'close' follows and says it
  }

  /**
   * A new session (`/ws`, no sessionId) or an attach to one (owner or observer, after `lastSeq`). Resolves on
   * session_created / session_attached.
   */
  static open(
    server: ApiSocketTarget,
    opts: { sessionId?: string; role?: 'owner' | 'observer'; lastSeq?: number; output?: 'json' | 'binary'; timeoutMs: number },
  ): Promise<ApiSocket> {
    const role = opts.role ?? 'owner';
    const query: Record<string, string | number> = {};
    if (opts.sessionId) query.session_id = opts.sessionId;
    if (opts.sessionId && role === 'observer') query.role = 'observer';
    if (opts.lastSeq !== undefined) query.last_seq = opts.lastSeq;
    if (opts.output) query.output = opts.output;
    const ws = new WebSocket(server.wsUrl(query), {
      headers: { authorization: `Bearer ${server.token}` },
      perMessageDeflate: false,
      maxPayload: 512 * 1024 * 1024,
    });
    const sock = new ApiSocket(ws, role);
    const opened = new Promise<ApiSocket>((resolve, reject) => {
      const onFirst = (data: WebSocket.RawData): void => {
        const msg = JSON.parse(data.toString()) as ServerMessage;
        if (msg.type === 'session_created' || msg.type === 'session_attached') {
          sock.sessionId = msg.session_id ?? '';
          ws.off('message', onFirst);
          ws.on('message', (d, isBinary) => sock.onMessage(d, isBinary));
          resolve(sock);
        } else {
          reject(new Error(`first message on ${role} socket: ${JSON.stringify(msg).slice(0, 300)}`));
        }
      };
      ws.on('message', onFirst);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`WebSocket upgrade refused: HTTP ${res.statusCode}`)));
      ws.once('close', (code) => reject(new Error(`WebSocket closed (${code}) before session_created/attached`)));
      ws.once('error', reject);
    });
    return withTimeout(opened, opts.timeoutMs, `WebSocket ${role} open`).catch((err: unknown) => {
      ws.terminate();
      throw err;
    });
  }

  /** Owner: runs `code`, resolves at its execute_reply. */
  execute(code: string, opts: WsProbeOptions): Promise<WsProbeResult> {
    const p = this.begin(opts);
    this.ws.send(JSON.stringify({ type: 'execute', code }));
    return withTimeout(p, opts.timeoutMs, `ws execute ${JSON.stringify(code.slice(0, 40))}`).finally(() => {
      this.cur = null;
    });
  }

  /** Observer (or owner): counts what arrives from now until the next execute_reply. */
  watch(opts: WsProbeOptions): Promise<WsProbeResult> {
    const p = this.begin(opts);
    return withTimeout(p, opts.timeoutMs, `ws ${this.role} watching for an execute_reply`).finally(() => {
      this.cur = null;
    });
  }

  /** Stops reading the TCP socket (the server's send buffer for this client fills); resume() undoes it. */
  pause(): void {
    (this.ws as unknown as { _socket: Socket })._socket.pause();
  }

  resume(): void {
    (this.ws as unknown as { _socket: Socket })._socket.resume();
  }

  /** Owner: close_session, then wait for the server to close the socket (4000). */
  async closeSession(timeoutMs: number): Promise<void> {
    if (this.closeInfo) return;
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(JSON.stringify({ type: 'close_session' }));
    await this.waitClosed(timeoutMs);
  }

  async close(timeoutMs: number): Promise<void> {
    if (this.closeInfo) return;
    this.ws.close();
    await this.waitClosed(timeoutMs);
  }

  private async waitClosed(timeoutMs: number): Promise<void> {
    try {
      await withTimeout(this.closed, timeoutMs, 'WebSocket close');
    } catch {
      this.ws.terminate();
    }
  }

  private begin(opts: WsProbeOptions): Promise<WsProbeResult> {
    if (this.cur) throw new Error('one execution at a time per socket');
    if (this.closeInfo) throw new Error(`WebSocket already ${this.closeInfo}`);
    return new Promise<WsProbeResult>((resolve, reject) => {
      this.cur = {
        r: {
          executionId: null,
          tAccepted: null,
          tInputRequest: null,
          tResult: null,
          tReply: NaN,
          tFirstStdout: null,
          status: 'none',
          resultRepr: null,
          error: null,
          stdoutChars: 0,
          stderrChars: 0,
          outputEvents: 0,
          messages: 0,
          inputsAnswered: 0,
          dropped: { notices: 0, bytes: 0, events: 0 },
          lineLatencies: opts.lineLatency ? [] : null,
        },
        t0: performance.now(),
        opts,
        carry: '',
        resolve,
        reject,
      };
    });
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    const t1 = performance.now();
    // Binary frames (`?output=binary`) are read with the typed client's decoder, as any client of ours reads them.
    const msg = isBinary
      ? ((decodeBinaryOutput(data as Buffer) ?? { type: 'unreadable binary frame' }) as ServerMessage)
      : (JSON.parse(data.toString()) as ServerMessage);
    if (typeof msg.seq === 'number' && msg.seq > this.lastSeq) this.lastSeq = msg.seq;
    const cur = this.cur;
    if (!cur) return;
    const r = cur.r;
    const t = t1 - cur.t0;
    r.messages++;
    // Events of another execution (none expected: one at a time) are not ours to count.
    if (msg.execution_id && r.executionId && msg.execution_id !== r.executionId) return;
    switch (msg.type) {
      case 'execute_accepted':
        r.tAccepted = t;
        r.executionId ??= msg.execution_id ?? null;
        break;
      case 'execute_input':
        r.executionId ??= msg.execution_id ?? null;
        break;
      case 'output': {
        const text = msg.data ?? '';
        r.outputEvents++;
        if (msg.stream === 'stdout') {
          r.tFirstStdout ??= t;
          r.stdoutChars += text.length;
          const lib = cur.opts.lineLatency;
          if (lib && r.lineLatencies) cur.carry = lib.collectLineLatencies(cur.carry, text, lib.epochMs(), r.lineLatencies);
        } else {
          r.stderrChars += text.length;
        }
        break;
      }
      case 'output_dropped':
        r.dropped.notices++;
        r.dropped.bytes += msg.bytes ?? 0;
        r.dropped.events += msg.events ?? 0;
        break;
      case 'input_request':
        r.tInputRequest ??= t;
        if (this.role === 'owner') {
          const value = cur.opts.inputValue ? cur.opts.inputValue(r.inputsAnswered) : 'v';
          this.ws.send(JSON.stringify({ type: 'input_response', token: msg.token, data: value }));
          r.inputsAnswered++;
        }
        break;
      case 'result':
        r.tResult = t;
        r.resultRepr = msg.repr ?? null;
        break;
      case 'error':
        r.error = { exception: msg.exception ?? '?', message: msg.message ?? '' };
        break;
      case 'execute_reply':
        r.tReply = t;
        r.status = msg.status ?? 'none';
        r.executionId ??= msg.execution_id ?? null;
        cur.resolve(r);
        break;
      case 'request_error':
        cur.reject(new Error(`request_error: ${msg.error?.code}: ${msg.error?.message}`));
        break;
    }
  }
}

