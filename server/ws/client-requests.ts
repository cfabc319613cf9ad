/**
 * What a WebSocket client asks of its session: each text frame is validated (client-messages.ts) and acted on; a bad
 * one, or one that fails, gets a `request_error` (with its request_id, if it had one) and changes nothing else.
 * Observers may only ask what does not drive the session.
 */
import { OWNER_ONLY_MESSAGES, type Role, type WsClientMessage, type WsServerMessage } from '../../protocol/api-messages.js';
import { PyreplError, isPyreplError } from '../../protocol/errors.js';
import type { ApiSession } from '../api/api-session.js';
import { parseClientMessage } from './client-messages.js';

/** What the requests need of their connection. */
export interface RequestChannel {
  send(message: WsServerMessage): void;
  /** The client says its own backlog is full (`flow {paused: true}`) or has room again. */
  setPaused(paused: boolean): void;
  closeSession(): Promise<void>;
}

export class ClientRequests {
  constructor(
    private readonly role: Role,
    private readonly session: ApiSession,
    private readonly channel: RequestChannel,
  ) {}

  /**
   * Handles one client message. Synchronous up to the session call, so an execute costs no promise of its own; a
   * request that waits (an input answer, a completion, a close) reports its failure when it settles.
   */
  onMessage(text: string, isBinary: boolean): void {
    let requestId: string | undefined;
    try {
      if (isBinary) throw new PyreplError('invalid_json', 'Binary frames are not accepted: send JSON text frames.');
      const parsed = parseClientMessage(text);
      requestId = parsed.requestId;
      if (!parsed.ok) throw parsed.error;
      const waiting = this.handle(parsed.message);
      if (waiting) waiting.catch((err: unknown) => this.failed(err, requestId));
    } catch (err) {
      this.failed(err, requestId);
    }
  }

  private failed(err: unknown, requestId: string | undefined): void {
    const error = isPyreplError(err) ? err : new PyreplError('internal_error', 'Internal server error.');
    this.channel.send({ type: 'request_error', ...(requestId ? { request_id: requestId } : {}), error: error.toBody().error });
  }

  /** Acts on a valid message; returns a promise when the answer waits for something. */
  private handle(message: WsClientMessage): Promise<void> | undefined {
    if (this.role === 'observer' && OWNER_ONLY_MESSAGES.has(message.type)) {
      throw new PyreplError('read_only', `Observers cannot send ${message.type}: attach as owner to drive the session.`);
    }
    switch (message.type) {
      case 'execute': {
        this.session.submit(
          {
            code: message.code,
            source: 'ws',
            input: { lines: [], whenExhausted: 'wait' },
            ...(message.transaction_policy ? { transaction_policy: message.transaction_policy } : {}),
            ...(message.timeout !== undefined ? { timeout_s: message.timeout } : {}),
          },
          (record, ahead) => {
            const accepted: WsServerMessage = { type: 'execute_accepted', execution_id: record.executionId, queue_position: ahead };
            if (message.request_id) accepted.request_id = message.request_id;
            this.channel.send(accepted);
          },
        );
        return undefined;
      }
      case 'input_response':
        return this.session.answerInput(message.token, message.data);
      case 'interrupt':
        this.session.interrupt();
        return undefined;
      case 'complete':
      case 'is_complete':
        return this.answerRequest(message);
      case 'close_session':
        return this.channel.closeSession();
      case 'ping':
        this.channel.send({ type: 'pong', ...requestIdOf(message) });
        return undefined;
      case 'flow':
        this.channel.setPaused(message.paused);
        return undefined;
      case 'auth':
        return undefined; // already authenticated: nothing to do
    }
  }

  private async answerRequest(message: Extract<WsClientMessage, { type: 'complete' | 'is_complete' }>): Promise<void> {
    const rid = requestIdOf(message);
    if (message.type === 'complete') {
      const reply = await this.session.session.complete(message.code, message.cursor ?? message.code.length);
      this.channel.send({ type: 'complete_reply', ...rid, ...reply });
    } else {
      const reply = await this.session.session.isComplete(message.code);
      this.channel.send({ type: 'is_complete_reply', ...rid, ...reply });
    }
  }
}

/** The request_id a reply echoes, as a spreadable object. */
function requestIdOf(message: WsClientMessage): { request_id?: string } {
  return 'request_id' in message && message.request_id ? { request_id: message.request_id } : {};
}
