/**
 * The WebSocket endpoint `/ws`, on the HTTP server's 'upgrade' event (ws in noServer mode), so Host, Origin and the
 * token are checked before the upgrade is accepted:
 *
 *   /ws                              a new session; first message: session_created
 *   /ws?session_id=ID                attach as owner; first message: session_attached, then the transcript so far
 *   /ws?session_id=ID&role=observer  attach read-only
 *   ...&last_seq=N                   replay only what followed seq N (replay_gap first if some of it is gone)
 *   ...output=binary                 output events in binary frames (protocol/binary-output.ts), on any of these
 *
 * A browser that cannot send headers may open the socket without a token and send {type: "auth", token} first; nothing
 * else is accepted (and no session is touched) until then.
 */
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { OutputEncoding, Role, WsAuth } from '../../protocol/api-messages.js';
import { PyreplError, isPyreplError } from '../../protocol/errors.js';
import { CLOSE_CODES } from '../../protocol/limits.js';
import type { ApiSession } from '../api/api-session.js';
import type { SessionManager } from '../api/session-manager.js';
import { authenticated, hostAllowed, originAllowed, safeEqual, type SecurityPolicy } from '../http/security.js';
import type { Metrics } from '../metrics.js';
import { FlushScheduler } from './flush-scheduler.js';
import { WsClient, type WsClientLimits } from './ws-client.js';

/** How long an unauthenticated socket may wait before its auth message. */
const AUTH_MESSAGE_TIMEOUT_MS = 5_000;
/** Protocol-level pings find peers that vanished without a close (laptop lid, dropped network). */
const KEEPALIVE_INTERVAL_MS = 30_000;

export interface GatewayDeps {
  manager: SessionManager;
  policy: SecurityPolicy;
  metrics: Metrics;
  limits: WsClientLimits;
  /** How long a frame that only announces something (execution started, input answered) may wait for company. */
  flushWindowMs: number;
  maxMessageBytes: number;
}

interface Target {
  sessionId: string | null;
  role: Role;
  lastSeq: number | null;
  output: OutputEncoding;
}

export class WsGateway {
  readonly wss: WebSocketServer;
  readonly clients = new Set<WsClient>();
  private readonly keepalive: NodeJS.Timeout;
  private readonly flushes: FlushScheduler;

  constructor(
    server: Server,
    private readonly deps: GatewayDeps,
  ) {
    this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxMessageBytes, perMessageDeflate: false });
    this.flushes = new FlushScheduler(deps.flushWindowMs);
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
    const alive = new WeakSet<WebSocket>();
    this.keepalive = setInterval(() => {
      for (const ws of this.wss.clients) {
        if (!alive.has(ws)) {
          ws.terminate();
          continue;
        }
        alive.delete(ws);
        ws.ping();
      }
    }, KEEPALIVE_INTERVAL_MS);
    this.keepalive.unref();
    this.wss.on('connection', (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
    });
  }

  close(): void {
    clearInterval(this.keepalive);
    for (const ws of this.wss.clients) ws.close(CLOSE_CODES.goingAway, 'server shutting down');
    this.wss.close();
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    let target: Target;
    let authed: boolean;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/ws') throw new PyreplError('not_found', 'WebSocket endpoint is /ws.');
      if (!hostAllowed(req.headers.host, this.deps.policy)) throw new PyreplError('forbidden_host', 'Host not allowed.');
      const origin = req.headers.origin;
      if (origin && !originAllowed(origin, this.deps.policy)) throw new PyreplError('forbidden_origin', `Origin ${origin} is not allowed.`);
      target = parseTarget(url);
      authed = authenticated({ authorization: req.headers.authorization, cookie: req.headers.cookie }, this.deps.policy);
      if (!authed && req.headers.authorization) throw new PyreplError('unauthorized', 'Invalid token.');
      // Fail before upgrading when the target is known to be wrong and the caller is entitled to know.
      if (authed && target.sessionId) this.deps.manager.get(target.sessionId);
    } catch (err) {
      rejectUpgrade(socket, isPyreplError(err) ? err : new PyreplError('internal_error', 'Internal server error.'));
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      this.wss.emit('connection', ws, req);
      if (authed) void this.open(ws, target);
      else this.awaitAuth(ws, target);
    });
  }

  private awaitAuth(ws: WebSocket, target: Target): void {
    const timer = setTimeout(() => ws.close(CLOSE_CODES.policyViolation, 'authentication required'), AUTH_MESSAGE_TIMEOUT_MS);
    ws.once('message', (data) => {
      clearTimeout(timer);
      let ok = false;
      try {
        const msg = WsAuth.safeParse(JSON.parse(data.toString()));
        ok = msg.success && safeEqual(msg.data.token, this.deps.policy.token);
      } catch {
        ok = false;
      }
      if (!ok) {
        sendError(ws, new PyreplError('unauthorized', 'The first message must be {"type": "auth", "token": ...} with a valid token.'));
        ws.close(CLOSE_CODES.policyViolation, 'unauthorized');
        return;
      }
      void this.open(ws, target);
    });
  }

  private async open(ws: WebSocket, target: Target): Promise<void> {
    let api: ApiSession;
    let created = false;
    try {
      if (target.sessionId) {
        api = this.deps.manager.get(target.sessionId);
      } else {
        if (target.role === 'observer') throw new PyreplError('invalid_argument', 'role=observer needs a session_id to observe.');
        api = await this.deps.manager.create();
        created = true;
      }
    } catch (err) {
      const error = isPyreplError(err) ? err : new PyreplError('internal_error', 'Internal server error.');
      sendError(ws, error);
      ws.close(closeCodeFor(error), error.message.slice(0, 120));
      return;
    }
    if (ws.readyState !== ws.OPEN) {
      if (created) await this.deps.manager.close(api.id, 'client went away before the session was ready');
      return;
    }
    const client = new WsClient(ws, api, target.role, target.output, this.deps.limits, {
      closeSession: (s) => s.close('closed by client'),
      onDropped: (bytes) => this.deps.metrics.bytesDropped.inc(bytes),
      onClose: (c) => {
        this.clients.delete(c);
        this.deps.metrics.wsClients.dec({ role: c.role });
      },
    }, this.flushes);
    this.clients.add(client);
    this.deps.metrics.wsClients.inc({ role: target.role });
    const summary = api.summary();
    if (created) {
      client.send({
        type: 'session_created',
        session_id: api.id,
        role: target.role,
        state: summary.state,
        last_seq: api.log.lastSeq,
        python_version: summary.python_version,
      });
    }
    // From here to attach() nothing awaits, so no event can slip between the replay and the live stream.
    const plan = api.log.since(target.lastSeq ?? 0);
    if (!created) {
      client.send({
        type: 'session_attached',
        session_id: api.id,
        role: target.role,
        state: summary.state,
        last_seq: api.log.lastSeq,
        replay_from: plan.events[0]?.seq ?? api.log.lastSeq + 1,
        python_version: summary.python_version,
        pending_input: summary.pending_input,
        clients: {
          owners: summary.clients.owners + (target.role === 'owner' ? 1 : 0),
          observers: summary.clients.observers + (target.role === 'observer' ? 1 : 0),
        },
      });
    }
    if (plan.gap) client.send({ type: 'replay_gap', session_id: api.id, ...plan.gap });
    client.replay(plan.events);
    api.attach(client);
  }
}

function parseTarget(url: URL): Target {
  const sessionId = url.searchParams.get('session_id');
  const roleParam = url.searchParams.get('role') ?? 'owner';
  const role = Role.safeParse(roleParam);
  if (!role.success) throw new PyreplError('invalid_argument', `role must be owner or observer, not ${JSON.stringify(roleParam)}.`);
  const lastSeqParam = url.searchParams.get('last_seq');
  let lastSeq: number | null = null;
  if (lastSeqParam !== null) {
    lastSeq = Number(lastSeqParam);
    if (!Number.isInteger(lastSeq) || lastSeq < 0) throw new PyreplError('invalid_argument', 'last_seq must be a whole number >= 0.');
  }
  const outputParam = url.searchParams.get('output') ?? 'json';
  const output = OutputEncoding.safeParse(outputParam);
  if (!output.success) throw new PyreplError('invalid_argument', `output must be json or binary, not ${JSON.stringify(outputParam)}.`);
  return { sessionId: sessionId || null, role: role.data, lastSeq, output: output.data };
}

function closeCodeFor(error: PyreplError): number {
  switch (error.code) {
    case 'session_not_found':
      return CLOSE_CODES.sessionNotFound;
    case 'session_closed':
      return CLOSE_CODES.sessionClosed;
    case 'pool_exhausted':
    case 'pool_shut_down':
      return CLOSE_CODES.poolExhausted;
    case 'internal_error':
      return CLOSE_CODES.internalError;
    default:
      return CLOSE_CODES.policyViolation;
  }
}

function sendError(ws: WebSocket, error: PyreplError): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type: 'request_error', error: error.toBody().error }));
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 409: 'Conflict', 500: 'Internal Server Error' };

/** Answers a refused upgrade with a plain HTTP error in the API's JSON format, then closes the socket. */
function rejectUpgrade(socket: Duplex, error: PyreplError): void {
  const body = JSON.stringify(error.toBody());
  socket.end(
    `HTTP/1.1 ${error.status} ${STATUS_TEXT[error.status] ?? 'Error'}\r\n` +
      'Content-Type: application/json\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\n` +
      (error.status === 401 ? 'WWW-Authenticate: Bearer realm="pyrepl"\r\n' : '') +
      'Connection: close\r\n\r\n' +
      body,
  );
}
