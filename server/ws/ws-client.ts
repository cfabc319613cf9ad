/**
 * One WebSocket connection attached to a session, as owner or observer.
 *
 * Sending: the session's events arrive already encoded (one frame's bytes each, shared by every client). An owner that
 * cannot keep up is reported as congested, and the session holds the worker back for it (nothing it asked for is
 * dropped). An observer that falls behind skips output instead: when its socket drains it gets `output_dropped {bytes,
 * events}` and then live events again; events other than output are never skipped, nor is the replay a client gets
 * when it attaches. A socket that stays past the hard limit is closed.
 *
 * Frames leave in batches (see write()): what only says that something started waits for what follows, up to the
 * flush window, so a short execution costs the client one wake-up instead of several.
 *
 * Receiving: what the client asks is handled by ClientRequests (client-requests.ts).
 */
import type { WebSocket } from 'ws';
import type { OutputEncoding, Role, WsServerMessage } from '../../protocol/api-messages.js';
import { CLOSE_CODES } from '../../protocol/limits.js';
import type { ApiSession } from '../api/api-session.js';
import type { SessionClient } from '../api/attached-clients.js';
import type { LoggedEvent } from '../api/event-log.js';
import type { Frame } from '../api/frame.js';
import { ClientRequests } from './client-requests.js';
import type { FlushScheduler } from './flush-scheduler.js';
import { frameHeader } from './frame-header.js';
import { SMALL_BATCH_MAX_BYTES, SMALL_FRAME_MAX_BYTES, SmallFrames } from './small-frames.js';

/** ws's readyState for an open connection. */
const OPEN = 1;

export interface WsClientLimits {
  /** An owner above this many buffered bytes holds the worker back. */
  ownerHighWatermark: number;
  /** An observer above this many buffered bytes starts skipping output... */
  observerHighWatermark: number;
  /** ...until it drains below this. */
  observerLowWatermark: number;
  /** A skipping observer resumes on its socket's 'drain'; this is the backstop should none come. */
  observerRecheckMs: number;
  /** Above this any client is closed (its peer is gone or hopelessly slow). */
  hardLimit: number;
}

interface RawSocket {
  cork(): void;
  uncork(): void;
  write(chunk: Buffer | string, encoding?: BufferEncoding): boolean;
  on(event: 'drain', listener: () => void): void;
}

/**
 * Events that announce a step whose outcome follows soon (an execution accepted and started, an input answered, a
 * result or error, which execute_reply follows): they may wait for the next frame. Everything else is sent at once.
 */
function deferrable(event: LoggedEvent['event']): boolean {
  switch (event.type) {
    case 'execute_input':
    case 'input_response':
    case 'result':
    case 'error':
      return true;
    case 'status':
      return event.state === 'busy';
    default:
      return false;
  }
}

export interface WsClientHooks {
  closeSession(session: ApiSession): Promise<void>;
  onDropped(bytes: number): void;
  onClose(client: WsClient): void;
}

export class WsClient implements SessionClient {
  private dropping: { bytes: number; events: number } | null = null;
  /** The client said its own backlog is full (`flow {paused: true}`): treated like a full socket until it resumes. */
  private clientPaused = false;
  /** While an observer skips output: the backstop to its socket's 'drain' (see resumeIfCaughtUp). */
  private recheckTimer: NodeJS.Timeout | null = null;
  private closed = false;
  /** The socket is corked from the first frame of a batch written to it until flush(). */
  private corked: RawSocket | null = null;
  /** The batch's small frames, written to the socket as one buffer when it leaves. */
  private readonly small = new SmallFrames();
  /** A frame that is not deferrable is in the batch: it leaves at the end of this turn. */
  private flushThisTurn = false;
  /** whenUncongested() callers, woken when the socket drains, the client resumes or the connection ends. */
  private uncongestedWaiters: (() => void)[] = [];

  constructor(
    readonly ws: WebSocket,
    readonly session: ApiSession,
    readonly role: Role,
    /** How this client takes output events (`?output=`): JSON text frames or binary frames. */
    readonly encoding: OutputEncoding,
    private readonly limits: WsClientLimits,
    private readonly hooks: WsClientHooks,
    /** Decides when batched frames leave (shared by all clients of the server). */
    private readonly flushes: FlushScheduler,
  ) {
    const requests = new ClientRequests(this.role, this.session, {
      send: (message) => this.send(message),
      setPaused: (paused) => {
        this.clientPaused = paused;
        this.mayTakeMore();
      },
      closeSession: () => this.hooks.closeSession(this.session),
    });
    ws.on('message', (data, isBinary) => requests.onMessage(data.toString(), isBinary));
    // We write to the socket ourselves (write()), so its 'drain' is when our buffered frames have left.
    this.socket()?.on('drain', this.mayTakeMore);
    ws.on('close', () => this.cleanup());
    ws.on('error', () => this.cleanup());
  }

  deliver(entry: LoggedEvent): void {
    if (this.closed) return;
    if (this.role === 'observer' && entry.event.type === 'output') {
      if (this.dropping || this.clientPaused || this.buffered() > this.limits.observerHighWatermark) {
        this.dropping ??= { bytes: 0, events: 0 };
        this.dropping.bytes += entry.dataBytes;
        this.dropping.events += 1;
        this.recheckTimer ??= setInterval(this.resumeIfCaughtUp, this.limits.observerRecheckMs);
        return;
      }
    } else if (this.dropping) {
      // Keep the observer's picture consistent: say what was skipped before the next non-output event.
      this.flushDropped();
    }
    if (this.buffered() > this.limits.hardLimit) {
      this.close(CLOSE_CODES.tooSlow, 'client too slow');
      return;
    }
    this.writeEvent(entry);
  }

  /**
   * The transcript this client asked for when it attached (all of it, or what followed its last_seq), before any live
   * event. None of it is skipped, also for an observer: the drop rule is for a client that falls behind live output,
   * and the replay is bounded by the replay buffer, which the hard limit leaves room for (app.ts).
   */
  replay(entries: readonly LoggedEvent[]): void {
    if (this.closed) return;
    for (const entry of entries) this.writeEvent(entry);
  }

  congested(): boolean {
    return !this.closed && (this.clientPaused || this.buffered() > this.limits.ownerHighWatermark);
  }

  /**
   * Resolves once congested() is false. Event-driven, not polled: a held-back execution resumes the moment the socket
   * has handed its frames to the kernel, while the kernel's own buffer still keeps the client busy.
   */
  whenUncongested(): Promise<void> {
    if (!this.congested()) return Promise.resolve();
    return new Promise((resolve) => this.uncongestedWaiters.push(resolve));
  }

  /** The socket drained or the client resumed: wake held-back executions, and let a lagging observer catch up. */
  private readonly mayTakeMore = (): void => {
    this.wakeIfUncongested();
    this.resumeIfCaughtUp();
  };

  private readonly wakeIfUncongested = (): void => {
    if (this.uncongestedWaiters.length === 0 || this.congested()) return;
    const waiters = this.uncongestedWaiters;
    this.uncongestedWaiters = [];
    for (const resolve of waiters) resolve();
  };

  /** Bytes sent and not yet handed to the kernel: the socket's buffer (ws.bufferedAmount) and the batch's small frames. */
  private buffered(): number {
    return this.ws.bufferedAmount + this.small.bytes;
  }

  private socket(): RawSocket | undefined {
    return (this.ws as unknown as { _socket?: RawSocket })._socket;
  }

  /** A session event, in the frame this client takes it in. */
  private writeEvent(entry: LoggedEvent): void {
    this.write(entry.frame(this.encoding), deferrable(entry.event), entry.isBinary(this.encoding));
  }

  send(message: WsServerMessage): void {
    // execute_accepted, like execute_input, says only that something started: it may wait for what follows.
    if (!this.closed) this.write(Buffer.from(JSON.stringify(message), 'utf8'), message.type === 'execute_accepted');
  }

  /**
   * Writes one frame, text or binary (the payload is shared with other clients and never modified), and batches frames
   * into one socket write. The batch leaves at the end of the current turn of the event loop (microtasks included) once
   * a frame that is not deferrable was written, or after the flush window when only deferrable ones were. A `1+1` is
   * then one write (execute_accepted … status idle) and one wake-up of the client instead of two or three; output and
   * anything the client waits for still leave within the turn that produced them. ws sets TCP_NODELAY, so nothing
   * waits after that.
   *
   * Small frames are copied into one buffer (small-frames.ts); big ones go to the socket, corked until the batch
   * leaves, after the small ones before them. Frames are written as ws's sender would write them (frame-header.ts),
   * and count in bufferedAmount all the same (see buffered()). Like ws.send, nothing is sent unless the connection is
   * open: a close frame is always last.
   */
  private write(payload: Frame, canWait: boolean, binary = false): void {
    const socket = this.socket();
    if (this.ws.readyState !== OPEN || !socket) return;
    if (Buffer.isBuffer(payload) && payload.length <= SMALL_FRAME_MAX_BYTES) {
      this.small.add(payload, binary);
      if (this.small.bytes >= SMALL_BATCH_MAX_BYTES) this.corkedWrite(socket, this.small.take());
    } else {
      if (!this.small.isEmpty) this.corkedWrite(socket, this.small.take());
      this.corkedWrite(socket, frameHeader(payload.length, binary));
      if (Buffer.isBuffer(payload)) {
        socket.write(payload);
      } else {
        // Node encodes the text straight into the write. Its buffered size counts characters, not bytes, until then.
        socket.write(payload.head);
        socket.write(payload.text, 'utf8');
      }
    }
    if (this.flushThisTurn) return;
    if (canWait) {
      this.flushes.withinWindow(this);
    } else {
      this.flushThisTurn = true;
      this.flushes.endOfTurn(this);
    }
  }

  /** Writes into the socket, corked until the batch leaves. */
  private corkedWrite(socket: RawSocket, bytes: Buffer): void {
    if (!this.corked) {
      socket.cork();
      this.corked = socket;
    }
    socket.write(bytes);
  }

  /** Sends the batch now (the session has nothing more to say for a while); also when the window or turn ends. */
  flush(): void {
    this.flushes.forget(this);
    this.flushThisTurn = false;
    const socket = this.corked;
    this.corked = null;
    if (!this.small.isEmpty) {
      const target = socket ?? this.socket();
      if (this.ws.readyState === OPEN && target) target.write(this.small.take());
      else this.small.clear();
    }
    socket?.uncork();
  }

  close(code: number, reason: string): void {
    if (this.closed) return;
    this.flush();
    this.ws.close(code, reason.slice(0, 120));
    this.cleanup();
  }

  /**
   * An observer that skips output takes live output again once it has caught up: when its socket drains (or at the
   * backstop) and it has not paused itself. What it missed is said first (flushDropped).
   */
  private readonly resumeIfCaughtUp = (): void => {
    if (!this.dropping || this.closed) return;
    if (!this.clientPaused && this.buffered() <= this.limits.observerLowWatermark) this.flushDropped();
  };

  private flushDropped(): void {
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.recheckTimer = null;
    const dropped = this.dropping;
    this.dropping = null;
    if (!dropped || this.closed) return;
    this.hooks.onDropped(dropped.bytes);
    this.send({ type: 'output_dropped', session_id: this.session.id, bytes: dropped.bytes, events: dropped.events });
  }

  private cleanup(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.recheckTimer) clearInterval(this.recheckTimer);
    this.recheckTimer = null;
    this.flush();
    this.wakeIfUncongested();
    this.session.detach(this);
    this.hooks.onClose(this);
  }
}
