/**
 * One WebSocket connection attached to a session, as owner or observer.
 *
 * Sending: the session's events arrive already serialized (one JSON text frame each). An owner that cannot keep up is
 * reported as congested, and the session holds the worker back for it (nothing it asked for is dropped). An observer
 * that falls behind skips output instead: when its socket drains it gets `output_dropped {bytes, events}` and then
 * live events again; events other than output are never skipped. A socket that stays past the hard limit is closed.
 *
 * Receiving: every message is validated; a bad one gets a `request_error` and changes nothing else.
 */
import type { WebSocket } from 'ws';
import { OWNER_ONLY_MESSAGES, WsClientMessage, type Role, type WsServerMessage } from '../../protocol/api-messages.js';
import { PyreplError, isPyreplError } from '../../protocol/errors.js';
import { CLOSE_CODES } from '../../protocol/limits.js';
import type { ApiSession, SessionClient } from '../api/api-session.js';
import type { LoggedEvent } from '../api/event-log.js';

export interface WsClientLimits {
  /** An owner above this many buffered bytes holds the worker back. */
  ownerHighWatermark: number;
  /** An observer above this many buffered bytes starts skipping output... */
  observerHighWatermark: number;
  /** ...until it drains below this. */
  observerLowWatermark: number;
  /** Above this any client is closed (its peer is gone or hopelessly slow). */
  hardLimit: number;
}

export interface WsClientHooks {
  closeSession(session: ApiSession): Promise<void>;
  onDropped(bytes: number): void;
  onClose(client: WsClient): void;
}

export class WsClient implements SessionClient {
  private dropping: { bytes: number; events: number } | null = null;
  private drainTimer: NodeJS.Timeout | null = null;
  private closed = false;
  private corked = false;

  constructor(
    readonly ws: WebSocket,
    readonly session: ApiSession,
    readonly role: Role,
    private readonly limits: WsClientLimits,
    private readonly hooks: WsClientHooks,
  ) {
    ws.on('message', (data, isBinary) => void this.onMessage(data.toString(), isBinary));
    ws.on('close', () => this.cleanup());
    ws.on('error', () => this.cleanup());
  }

  deliver(entry: LoggedEvent): void {
    if (this.closed) return;
    if (this.role === 'observer' && entry.event.type === 'output') {
      if (this.dropping || this.ws.bufferedAmount > this.limits.observerHighWatermark) {
        this.dropping ??= { bytes: 0, events: 0 };
        this.dropping.bytes += Buffer.byteLength(entry.event.data);
        this.dropping.events += 1;
        this.watchDrain();
        return;
      }
    } else if (this.dropping) {
      // Keep the observer's picture consistent: say what was skipped before the next non-output event.
      this.flushDropped();
    }
    if (this.ws.bufferedAmount > this.limits.hardLimit) {
      this.close(CLOSE_CODES.tooSlow, 'client too slow');
      return;
    }
    this.write(entry.json);
  }

  congested(): boolean {
    return !this.closed && this.ws.bufferedAmount > this.limits.ownerHighWatermark;
  }

  send(message: WsServerMessage): void {
    if (!this.closed) this.write(JSON.stringify(message));
  }

  /**
   * Frames produced in the same turn of the event loop (an execution's result, execute_reply and status, say) leave in
   * one write: the socket is corked at the first and uncorked once the turn, microtasks included, is over. One TCP
   * segment instead of five means one wake-up of the client instead of five; ws sets TCP_NODELAY, so nothing waits.
   */
  private write(json: string): void {
    const socket = (this.ws as unknown as { _socket?: { cork(): void; uncork(): void } })._socket;
    if (socket && !this.corked) {
      this.corked = true;
      socket.cork();
      setImmediate(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    this.ws.send(json);
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.ws.close(code, reason.slice(0, 120));
    this.cleanup();
  }

  private watchDrain(): void {
    if (this.drainTimer) return;
    this.drainTimer = setInterval(() => {
      if (this.closed || this.ws.bufferedAmount <= this.limits.observerLowWatermark) this.flushDropped();
    }, 10);
  }

  private flushDropped(): void {
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.drainTimer = null;
    const dropped = this.dropping;
    this.dropping = null;
    if (!dropped || this.closed) return;
    this.hooks.onDropped(dropped.bytes);
    this.send({ type: 'output_dropped', session_id: this.session.id, bytes: dropped.bytes, events: dropped.events });
  }

  private async onMessage(text: string, isBinary: boolean): Promise<void> {
    let requestId: string | undefined;
    try {
      if (isBinary) throw new PyreplError('invalid_json', 'Binary frames are not accepted: send JSON text frames.');
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw new PyreplError('invalid_json', 'The message is not valid JSON.');
      }
      if (raw && typeof raw === 'object' && typeof (raw as { request_id?: unknown }).request_id === 'string') {
        requestId = (raw as { request_id: string }).request_id;
      }
      const parsed = WsClientMessage.safeParse(raw);
      if (!parsed.success) {
        const type = (raw as { type?: unknown } | null)?.type;
        const known = WsClientMessage.options.some((o) => o.shape.type.value === type);
        if (!known) throw new PyreplError('unknown_message_type', `Unknown message type ${JSON.stringify(type)}.`);
        const issue = parsed.error.issues[0];
        throw new PyreplError('invalid_argument', `${issue?.path.join('.') || 'message'}: ${issue?.message ?? 'invalid'}`);
      }
      await this.handle(parsed.data);
    } catch (err) {
      const error = isPyreplError(err) ? err : new PyreplError('internal_error', 'Internal server error.');
      this.send({ type: 'request_error', ...(requestId ? { request_id: requestId } : {}), error: error.toBody().error });
    }
  }

  private async handle(message: WsClientMessage): Promise<void> {
    if (this.role === 'observer' && OWNER_ONLY_MESSAGES.has(message.type)) {
      throw new PyreplError('read_only', `Observers cannot send ${message.type}: attach as owner to drive the session.`);
    }
    const rid = 'request_id' in message && message.request_id ? { request_id: message.request_id } : {};
    switch (message.type) {
      case 'execute': {
        const record = this.session.submit({
          code: message.code,
          source: 'ws',
          input: { lines: [], whenExhausted: 'wait' },
          ...(message.transaction_policy ? { transaction_policy: message.transaction_policy } : {}),
          ...(message.timeout !== undefined ? { timeout_s: message.timeout } : {}),
        });
        this.send({ type: 'execute_accepted', ...rid, execution_id: record.executionId, queue_position: this.session.queueLength });
        return;
      }
      case 'input_response':
        await this.session.answerInput(message.token, message.data);
        return;
      case 'interrupt':
        this.session.interrupt();
        return;
      case 'complete': {
        const reply = await this.session.session.complete(message.code, message.cursor ?? message.code.length);
        this.send({ type: 'complete_reply', ...rid, ...reply });
        return;
      }
      case 'is_complete': {
        const reply = await this.session.session.isComplete(message.code);
        this.send({ type: 'is_complete_reply', ...rid, ...reply });
        return;
      }
      case 'close_session':
        await this.hooks.closeSession(this.session);
        return;
      case 'ping':
        this.send({ type: 'pong', ...rid });
        return;
      case 'auth':
        return; // already authenticated: nothing to do
    }
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.drainTimer) clearInterval(this.drainTimer);
    this.session.detach(this);
    this.hooks.onClose(this);
  }
}
